/**
 * Places through the host over a real engine: real photos with GPS written into copies are named at
 * ingest, their details carry the place, `listPlaces` counts them, a search filters by place, and photos
 * indexed before places existed are named when a writer opens the library.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, ItemDetail, PlaceView, SearchResponse } from '../../../../src/contract/api.ts';
import { Engine } from '../../../../src/engine/engine.ts';
import { createApiHost, type ApiHost } from '../../../../src/engine/host/api-host.ts';
import { PLACES_DATA_SETTING } from '../../../../src/engine/places/backfill.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../../../helpers/shared-data.ts';
import { tinyModels } from '../../../helpers/standin-models.ts';

function value<T>(r: ApiResult<unknown>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** EXIF GPS as degrees, minutes and seconds (rationals), the way cameras write it. */
function gpsExif(lat: number, lon: number): Record<string, string> {
  const dms = (v: number): string => {
    const a = Math.abs(v);
    const d = Math.floor(a);
    const m = Math.floor((a - d) * 60);
    const s = Math.round(((a - d) * 60 - m) * 60 * 100);
    return `${d}/1 ${m}/1 ${s}/100`;
  };
  return {
    GPSLatitudeRef: lat >= 0 ? 'N' : 'S',
    GPSLatitude: dms(lat),
    GPSLongitudeRef: lon >= 0 ? 'E' : 'W',
    GPSLongitude: dms(lon),
  };
}

describe.skipIf(!HAS_SHARED_DATA)(
  'places through the host (real photos with GPS, tiny stand-in CLIP)',
  () => {
    const root = mkdtempSync(join(tmpdir(), 'glint-places-'));
    const photos = join(root, 'photos');
    const library = join(root, 'library');
    let modelsDir: string;
    let engine: Engine;
    let host: ApiHost;
    const [lisbon, tokyo, plain] = photoManifest()
      .slice(0, 3)
      .map((p) => p.file) as [string, string, string];

    const open = async (): Promise<void> => {
      engine = await Engine.open({ libraryDir: library, modelsDir, bits: 64 });
      host = createApiHost(engine, { shell: 'browser' });
    };
    const close = async (): Promise<void> => {
      await host.close();
      await engine.close();
    };
    const photoId = (file: string): number => engine.search.photoIdAt(join(photos, file));
    const detail = async (file: string): Promise<ItemDetail> =>
      value<ItemDetail>(await host.handlers.item({ id: photoId(file) }));

    beforeAll(async () => {
      mkdirSync(photos);
      const withGps = (file: string, lat: number, lon: number) =>
        sharp(join(PHOTOS_DIR, file))
          .withExif({ IFD3: gpsExif(lat, lon) })
          .toFile(join(photos, file));
      await withGps(lisbon, 38.7075, -9.1364); // Praça do Comércio
      await withGps(tokyo, 35.6595, 139.7005); // Shibuya crossing
      copyFileSync(join(PHOTOS_DIR, plain), join(photos, plain));
      modelsDir = await tinyModels(join(root, 'models'));
      await open();
      await engine.ingest.index([photos]);
    });

    afterAll(async () => {
      await close();
      rmSync(root, { recursive: true, force: true });
    });

    it('names the place of a photo with GPS at ingest, and the lightbox detail carries it', async () => {
      const d = await detail(lisbon);
      expect(d.lat).toBeCloseTo(38.7075, 4);
      expect(d.place).toEqual({
        city: 'Lisbon',
        region: 'Lisbon',
        country: 'Portugal',
        countryCode: 'PT',
        label: 'Lisbon, Portugal',
      });
      expect((await detail(tokyo)).place?.label).toBe('Tokyo, Japan');
      expect((await detail(plain)).place).toBeUndefined();
    });

    it('lists the places with their photo counts', async () => {
      const places = value<PlaceView[]>(await host.handlers.listPlaces());
      expect(places.map((p) => [p.label, p.count]).sort()).toEqual([
        ['Lisbon, Portugal', 1],
        ['Tokyo, Japan', 1],
      ]);
      expect((await host.handlers.listPlaces({ extra: 1 })).ok).toBe(false);
    });

    it('filters a search by a place name or label, and refuses a malformed one', async () => {
      const found = async (place: string): Promise<number[]> =>
        value<SearchResponse>(await host.handlers.search({ text: 'a photo', filters: { place } })).photos.map(
          (r) => r.id,
        );
      expect(await found('lisbon')).toEqual([photoId(lisbon)]);
      expect(await found('JAPAN')).toEqual([photoId(tokyo)]);
      expect(await found('Tokyo, Japan')).toEqual([photoId(tokyo)]);
      expect(await found('Porto')).toEqual([]);
      expect((await found('  ')).sort()).toEqual([lisbon, tokyo, plain].map(photoId).sort());
      const bad = await host.handlers.search({ text: 'a photo', filters: { place: 7 } });
      expect(bad.ok).toBe(false);
    });

    it('names the photos indexed before places existed when a writer opens the library', async () => {
      await close();
      // What a library indexed by a Glint without places holds: coordinates, no place, no data marker.
      const db = new Database(engine.paths.db);
      db.exec(
        `UPDATE items SET place_id = NULL; DELETE FROM places; DELETE FROM settings WHERE key = '${PLACES_DATA_SETTING}'`,
      );
      db.close();
      await open();
      expect((await detail(lisbon)).place?.label).toBe('Lisbon, Portugal');
      expect((await detail(tokyo)).place?.city).toBe('Tokyo');
    });
  },
);
