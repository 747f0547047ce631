/**
 * A real library (temp dir) with planted photos (planted-photos.ts) that a real Engine with tiny stand-in
 * models opens.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.ts';
import { libraryPaths } from '../../src/engine/library-paths.ts';
import { openStore } from '../../src/engine/store/index.ts';
import { plantPhotos, type PlantedGroup, type PlantedPhoto } from './planted-photos.ts';
import { tinyModels } from './standin-models.ts';

export type { PlantedGroup, PlantedPhoto } from './planted-photos.ts';

/** A real library (temp dir) with planted groups, opened by a real Engine with tiny stand-in models. */
export async function openPlantedLibrary(
  groups: PlantedGroup[],
  opts: { flips?: number; seed?: number } = {},
): Promise<{ root: string; engine: Engine; photos: PlantedPhoto[]; cleanup(): Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'glint-planted-'));
  mkdirSync(join(root, 'library'));
  const modelsDir = await tinyModels(join(root, 'models'));
  const libraryDir = join(root, 'library');
  const first = await Engine.open({ libraryDir, modelsDir, bits: 64 });
  const headId = first.heads.active.id;
  const modelId = first.modelId;
  await first.close();
  const store = openStore(libraryPaths(libraryDir).db);
  let photos: PlantedPhoto[];
  try {
    photos = plantPhotos(store, { headId, modelId, dim: 8, groups, ...opts });
  } finally {
    store.close();
  }
  const engine = await Engine.open({ libraryDir, modelsDir, bits: 64 });
  return {
    root,
    engine,
    photos,
    async cleanup() {
      await engine.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
