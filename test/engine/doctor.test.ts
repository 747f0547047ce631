import { photosFor } from '../helpers/search.ts';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { openStore } from '../../src/engine/store/index.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../helpers/shared-data.ts';
import { tinyModels } from '../helpers/standin-models.ts';

describe.skipIf(!HAS_SHARED_DATA)('glint doctor over a real library (tiny stand-in CLIP)', () => {
  const root = mkdtempSync(join(tmpdir(), 'glint-doctor-'));
  const library = join(root, 'library');
  let models: string;

  beforeAll(async () => {
    const photos = join(root, 'photos');
    mkdirSync(photos);
    for (const p of photoManifest().slice(0, 6)) copyFileSync(join(PHOTOS_DIR, p.file), join(photos, p.file));
    models = await tinyModels(join(root, 'models'));
    const engine = await Engine.open({ libraryDir: library, modelsDir: models });
    await engine.ingest.index([photos]);
    await engine.close();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds a healthy library healthy and changes nothing', async () => {
    const engine = await Engine.open({ libraryDir: library, modelsDir: models });
    try {
      const report = await engine.doctor(true);
      expect(report.ok).toBe(true);
      expect(report.checks.every((c) => c.status === 'ok')).toBe(true);
    } finally {
      await engine.close();
    }
  });

  it('repairs a deleted head folder and missing codes, and says what it did', async () => {
    let engine = await Engine.open({ libraryDir: library, modelsDir: models });
    const head = engine.status(0).head;
    await engine.close();
    rmSync(head.dir, { recursive: true, force: true });
    const store = openStore(join(library, 'glint.db'));
    store.db.prepare('DELETE FROM codes WHERE item_id IN (SELECT id FROM items LIMIT 2)').run();
    store.db
      .prepare(
        "INSERT INTO jobs(kind, path, state, created_at, updated_at) VALUES ('ingest', '/x.jpg', 'running', 0, 0)",
      )
      .run();
    store.close();

    engine = await Engine.open({ libraryDir: library, modelsDir: models });
    try {
      const dry = await engine.doctor(false);
      expect(dry.ok).toBe(false);
      expect(dry.checks.find((c) => c.name === 'active head')).toMatchObject({
        status: 'problem',
        detail: expect.stringMatching(/missing/),
      });
      const report = await engine.doctor(true);
      const status = Object.fromEntries(report.checks.map((c) => [c.name, c.status]));
      expect(status).toMatchObject({ 'active head': 'repaired', database: 'ok', codes: 'ok' });
      expect(report.ok).toBe(true);
      expect((await photosFor(engine, 'a dog', 10)).length).toBe(6);
      const side = openStore(join(library, 'glint.db'));
      side.db.prepare('DELETE FROM codes WHERE item_id IN (SELECT id FROM items LIMIT 3)').run();
      side.close();
      const codes = (await engine.doctor(true)).checks.find((c) => c.name === 'codes');
      expect(codes).toMatchObject({
        status: 'repaired',
        detail: expect.stringContaining('re-hashed 3 items'),
      });
      expect((await engine.doctor(true)).checks.every((c) => c.status === 'ok')).toBe(true);
    } finally {
      await engine.close();
    }
  });
});
