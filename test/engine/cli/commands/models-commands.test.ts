/** Where `glint models pull` downloads, read from a real library's saved Settings (real SQLite). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pullDestination } from '../../../../src/engine/cli/commands/models-commands.ts';
import { libraryPaths } from '../../../../src/engine/library-paths.ts';
import { DEFAULT_MODEL_SET, resolveModelsDir } from '../../../../src/engine/models/paths.ts';
import { writeModelsChoice } from '../../../../src/engine/services/models-service.ts';
import { openStore } from '../../../../src/engine/store/index.ts';

describe('pullDestination', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('fills the folder chosen in Settings (the one search loads from), unless --dir or --models say otherwise', () => {
    root = mkdtempSync(join(tmpdir(), 'glint-cli-pull-'));
    const library = join(root, 'library');
    // No library yet, nothing chosen: the models root, one subfolder per set.
    expect(pullDestination({ library }, undefined)).toEqual({ dir: resolveModelsDir() });
    const chosen = join(root, 'my models');
    const store = openStore(libraryPaths(library).db);
    writeModelsChoice(store, { dir: chosen, device: 'cpu' });
    store.close();
    expect(pullDestination({ library }, undefined)).toEqual({
      dir: resolveModelsDir(),
      setDir: chosen,
      sets: [DEFAULT_MODEL_SET],
    });
    expect(pullDestination({ library, models: join(root, 'flag') }, undefined)).toMatchObject({
      setDir: join(root, 'flag'),
    });
    expect(pullDestination({ library }, join(root, 'root'))).toEqual({ dir: join(root, 'root') });
  });
});
