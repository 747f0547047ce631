/**
 * The layer rules of eslint.config.js catch what they promise: planted imports across layers and a
 * planted cycle are errors, the real tree's imports are not. Runs the project's real ESLint config.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** The layering and cycle errors ESLint reports for `code` as if it were the file at `filePath`. */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'import-x/no-restricted-paths' || m.ruleId === 'import-x/no-cycle')
    .map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layers enforced by lint', () => {
  it('refuses the engine importing the shell, preload, the UI or (outside the CLI) the CLI', async () => {
    expect(await layerErrors('src/engine/search/planted.ts', "import '../../main/csp.ts';\n")).toEqual([
      expect.stringMatching(/no-restricted-paths.*engine never imports the Electron shell/),
    ]);
    expect(await layerErrors('src/engine/host/planted.ts', "import '../cli/context.ts';\n")).toEqual([
      expect.stringMatching(/Only the CLI itself imports the CLI/),
    ]);
    expect(await layerErrors('src/engine/cli/planted.ts', "import './context.ts';\n")).toEqual([]);
  });

  it('keeps the renderer and preload on the contract, and the contract on nothing', async () => {
    expect(await layerErrors('src/renderer/src/planted.ts', "import '../../engine/engine.ts';\n")).toEqual([
      expect.stringMatching(/renderer talks only to the contract/),
    ]);
    expect(await layerErrors('src/renderer/src/planted.ts', "import '../../contract/api.ts';\n")).toEqual([]);
    expect(await layerErrors('src/preload/planted.ts', "import '../engine/errors.ts';\n")).toEqual([
      expect.stringMatching(/Preload exposes the contract/),
    ]);
    expect(await layerErrors('src/contract/planted.ts', "import '../engine/errors.ts';\n")).toEqual([
      expect.stringMatching(/contract is types and constants/),
    ]);
  });

  it('keeps research in training/: nothing under src/ imports it, and it builds on the engine only', async () => {
    expect(await layerErrors('src/engine/planted.ts', "import '../../training/report.ts';\n")).toEqual([
      expect.stringMatching(/Research code lives beside the product/),
    ]);
    // A thin CLI command over the Wiki recipe is the likeliest way back in.
    expect(
      await layerErrors('src/engine/cli/commands/planted.ts', "import '../../../../training/wiki-run.ts';\n"),
    ).toEqual([expect.stringMatching(/Research code lives beside the product/)]);
    expect(
      await layerErrors('src/engine/train/planted.ts', "import '../../../training/dataset-wiki.ts';\n"),
    ).toEqual([expect.stringMatching(/Research code lives beside the product/)]);
    expect(await layerErrors('training/planted.ts', "import '../src/engine/cli/output.ts';\n")).toEqual([
      expect.stringMatching(/Research code builds on the engine/),
    ]);
    expect(await layerErrors('training/planted.ts', "import '../src/main/csp.ts';\n")).toEqual([
      expect.stringMatching(/Research code builds on the engine/),
    ]);
    expect(
      await layerErrors('training/planted.ts', "import '../src/engine/train/train-client.ts';\n"),
    ).toEqual([]);
  });

  it('finds an import cycle', async () => {
    // store/db.ts is reached from engine.ts (engine → store/index → db), so db importing engine closes a loop.
    expect(await layerErrors('src/engine/store/db.ts', "import '../engine.ts';\n")).toEqual([
      expect.stringMatching(/no-cycle: Dependency cycle/),
    ]);
  });
}, 60_000);
