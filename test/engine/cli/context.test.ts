/** The CLI's shared option parsing. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineOptions, positiveOption } from '../../../src/engine/cli/context.ts';
import { GlintError } from '../../../src/engine/errors.ts';
import { libraryPaths } from '../../../src/engine/library-paths.ts';
import { defaultModelFolder } from '../../../src/engine/models/paths.ts';
import { writeModelsChoice } from '../../../src/engine/services/models-service.ts';
import { openStore } from '../../../src/engine/store/index.ts';

describe('engineOptions', () => {
  it("opens the models folder and device chosen in the library's Settings, unless --models or --device say otherwise", () => {
    const root = mkdtempSync(join(tmpdir(), 'glint-cli-context-'));
    try {
      const library = join(root, 'library');
      expect(engineOptions({ library })).toMatchObject({ modelsDir: defaultModelFolder(), device: 'cpu' });
      const store = openStore(libraryPaths(library).db);
      writeModelsChoice(store, { dir: join(root, 'my models'), device: 'cuda' });
      store.close();
      expect(engineOptions({ library, command: 'serve' })).toMatchObject({
        libraryDir: library,
        modelsDir: join(root, 'my models'),
        device: 'cuda',
      });
      expect(engineOptions({ library, models: join(root, 'other'), device: 'cpu' })).toMatchObject({
        modelsDir: join(root, 'other'),
        device: 'cpu',
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('positiveOption', () => {
  it('takes a whole number of 1 or more and refuses anything else, naming the option and the value', () => {
    expect(positiveOption('20', '-k')).toBe(20);
    expect(positiveOption(1, '--limit')).toBe(1);
    for (const bad of ['0', '-3', '2.5', 'ten', '', undefined]) {
      const err = (() => {
        try {
          positiveOption(bad, '--limit');
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(GlintError);
      expect((err as GlintError).code).toBe('usage');
      expect((err as GlintError).message).toBe(
        `--limit must be a whole number of 1 or more (got ${String(bad)}).`,
      );
    }
  });
});
