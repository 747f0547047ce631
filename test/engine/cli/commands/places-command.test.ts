/**
 * `glint places` on a library indexed from real photos with GPS written into copies: the places with
 * their counts, and the photos at a place named in any case and without accents.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/engine/engine.ts';
import { glint, json } from '../../../helpers/glint-cli.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../../../helpers/shared-data.ts';
import { tinyModels } from '../../../helpers/standin-models.ts';

describe.skipIf(!HAS_SHARED_DATA)('glint places (real photos with GPS; tiny stand-in CLIP)', () => {
  const root = mkdtempSync(join(tmpdir(), 'glint-places-cli-'));
  const photos = join(root, 'photos');
  const library = join(root, 'library');
  let base: string[];
  const [a, b, c] = photoManifest()
    .slice(0, 3)
    .map((p) => p.file) as [string, string, string];

  beforeAll(async () => {
    mkdirSync(photos);
    // Zürich twice (Bahnhofstrasse, the lake front), one photo without GPS.
    const zurich = { GPSLatitudeRef: 'N', GPSLongitudeRef: 'E' };
    await sharp(join(PHOTOS_DIR, a))
      .withExif({ IFD3: { ...zurich, GPSLatitude: '47/1 22/1 3600/100', GPSLongitude: '8/1 32/1 2400/100' } })
      .toFile(join(photos, a));
    await sharp(join(PHOTOS_DIR, b))
      .withExif({ IFD3: { ...zurich, GPSLatitude: '47/1 21/1 3000/100', GPSLongitude: '8/1 32/1 4200/100' } })
      .toFile(join(photos, b));
    copyFileSync(join(PHOTOS_DIR, c), join(photos, c));
    const models = await tinyModels(join(root, 'models'));
    const engine = await Engine.open({ libraryDir: library, modelsDir: models, bits: 64 });
    await engine.ingest.index([photos]);
    await engine.close();
    base = ['--library', library, '--models', models];
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('lists the places with their photo counts', () => {
    const r = json<{ ok: boolean; places: Array<{ label: string; count: number }> }>(
      glint([...base, '--json', 'places']),
    );
    expect(r.places.map((p) => [p.label, p.count])).toEqual([['Zürich, Switzerland', 2]]);
    const text = glint([...base, 'places']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('2  Zürich, Switzerland');
  });

  it('lists the photos at a place, named in any case and without accents', () => {
    const r = json<{ photos: Array<{ path: string; place: string }> }>(
      glint([...base, '--json', 'places', 'zurich']),
    );
    expect(r.photos.map((p) => p.path).sort()).toEqual([join(photos, a), join(photos, b)].sort());
    expect(glint([...base, 'places', 'Lisbon']).stdout).toContain('no photos taken at Lisbon');
  });
});
