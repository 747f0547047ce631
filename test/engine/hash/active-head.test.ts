import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.ts';
import { rehashFromEmbeddings, refitDefaultHead } from '../../../src/engine/hash/active-head.ts';
import { codeToWords } from '../../../src/engine/hash/bits.ts';
import { writeDefaultHead } from '../../../src/engine/hash/head-default.ts';
import { loadHead } from '../../../src/engine/hash/head.ts';
import { libraryPaths } from '../../../src/engine/library-paths.ts';
import {
  getActiveHead,
  getCode,
  openStore,
  putHead,
  readEmbeddings,
} from '../../../src/engine/store/index.ts';
import { EncoderClient } from '../../../src/engine/worker/encoder-client.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../../helpers/shared-data.ts';
import { tinyModels } from '../../helpers/standin-models.ts';

describe.skipIf(!HAS_SHARED_DATA)('re-hashing from cached embeddings (tiny stand-in CLIP)', () => {
  const root = mkdtempSync(join(tmpdir(), 'glint-rehash-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('re-hashes every item for a new head with the photos gone from disk, and refits the default head', async () => {
    const folder = join(root, 'photos');
    mkdirSync(folder);
    for (const p of photoManifest().slice(0, 20)) {
      copyFileSync(join(PHOTOS_DIR, p.file), join(folder, p.file));
      writeFileSync(join(folder, p.file.replace('.jpg', '.txt')), p.captions.join('\n'));
    }
    const models = await tinyModels(join(root, 'models'));
    const library = join(root, 'library');
    const engine = await Engine.open({ libraryDir: library, modelsDir: models, bits: 64 });
    await engine.ingest.index([folder]);
    const modelId = engine.modelId;
    // 20 photos and ≥ 20 note chunks: enough to centre the default head on this library.
    expect(engine.status().head.id).toMatch(/^default-64-.*-fit20x\d+$/);
    await engine.close();
    rmSync(folder, { recursive: true });

    const store = openStore(libraryPaths(library).db);
    const encoder = new EncoderClient();
    try {
      await encoder.init(models, 'cpu');
      const dir = join(root, 'head-32');
      await writeDefaultHead(dir, { bits: 32, modelId, seed: 7, id: 'other-32' });
      putHead(store, { id: 'other-32', kind: 'default', bits: 32, modelId, dir });
      const head = { id: 'other-32', kind: 'default', bits: 32, dir };
      const done = await rehashFromEmbeddings(store, encoder, head, modelId);
      const images = readEmbeddings(store, modelId, 'image');
      const texts = readEmbeddings(store, modelId, 'text');
      expect(done).toBe(images.itemIds.length + texts.itemIds.length);
      const direct = await loadHead(dir);
      for (const [modality, batch] of [
        ['image', images],
        ['text', texts],
      ] as const) {
        const codes = await direct.encode(modality, batch.vectors, batch.itemIds.length);
        batch.itemIds.forEach((id, i) =>
          expect(getCode(store, 'other-32', id)).toEqual(codeToWords(codes, 32, i)),
        );
      }
      // Nothing grew since the last fit: the active default head stays as it is.
      const active = getActiveHead(store, modelId)!;
      expect(
        await refitDefaultHead(store, encoder, libraryPaths(library), modelId, { ...active }),
      ).toBeNull();
      await direct.release();
    } finally {
      await encoder.close();
      store.close();
    }
  }, 60_000);
});
