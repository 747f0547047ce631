import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { STANDIN_SIZES, writeStandinClip, type StandinSize } from '../../clip/standin.ts';
import { GlintError } from '../../errors.ts';
import { listModels } from '../../models/list.ts';
import { loadManifest } from '../../models/manifest.ts';
import { DEFAULT_MODEL_SET, resolveModelsDir } from '../../models/paths.ts';
import { pullModels } from '../../models/pull.ts';
import { chosenModelsFolder, modelsFolder, type GlobalOptions } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { createProgress } from '../progress.ts';
import type { Run } from './library-commands.ts';

const TOKENIZER_FILES =
  /^(vocab\.json|merges\.txt|tokenizer\.json|tokenizer_config\.json|special_tokens_map\.json|preprocessor_config\.json|config\.json)$/;

/**
 * Where `glint models pull` downloads: with --dir, into `<dir>/<set>/` for every set; else into the folder the
 * user chose (--models, or Settings → Models folder of the library), which search loads from and the
 * models-missing message points at; else into `<models root>/<set>/`.
 */
export function pullDestination(
  opts: GlobalOptions,
  dirFlag: string | undefined,
): { dir: string; setDir?: string; sets?: readonly string[] } {
  if (dirFlag !== undefined) return { dir: resolveModelsDir({ dir: dirFlag }) };
  const chosen = chosenModelsFolder(opts);
  return chosen === undefined
    ? { dir: resolveModelsDir() }
    : { dir: resolveModelsDir(), setDir: chosen, sets: [DEFAULT_MODEL_SET] };
}

/** Registers `glint models pull|make-standin|list`. */
export function registerModelCommands(program: Command, run: Run): void {
  const models = program.command('models').description('download, list or make CLIP models');

  models
    .command('pull')
    .description('download CLIP ViT-B/32 (ONNX) with progress, resume and checksum verification')
    .option(
      '--dir <dir>',
      'models root folder (default: the folder chosen with --models or in Settings, else $GLINT_MODELS_DIR or the app-data models folder)',
    )
    .action(
      run(async ({ out, local, opts }) => {
        const target = pullDestination(opts, typeof local['dir'] === 'string' ? local['dir'] : undefined);
        const dir = target.setDir ?? target.dir;
        const bar = createProgress('downloading', !out.json);
        try {
          const result = await pullModels({
            manifest: await loadManifest(),
            ...target,
            onProgress: (p) =>
              bar.update(p.bytes, p.total ?? p.bytes, `${p.file} ${(p.rate / 1e6).toFixed(1)} MB/s`),
          });
          bar.stop();
          for (const warning of result.warnings) out.warn(warning);
          out.result({ ok: true, dir, ...result }, () =>
            result.files
              .map((f) => `${f.status.padEnd(10)} ${f.target} (verified: ${f.verified})`)
              .join('\n'),
          );
          return EXIT.ok;
        } finally {
          bar.stop();
        }
      }),
    );

  models
    .command('make-standin')
    .description('write CLIP-shaped stand-in models with random weights (for tests and benchmarks)')
    .argument('<dir>', 'folder to write (onnx/vision_model.onnx, onnx/text_model.onnx, …)')
    .option(
      '--size <size>',
      `tiny (tests) or vit-b-32 (true inference cost): ${Object.keys(STANDIN_SIZES).join('|')}`,
      'tiny',
    )
    .option('--seed <n>', 'random seed', '0')
    .option('--tokenizer <dir>', 'copy CLIP tokenizer and preprocessor files from this folder')
    .action(
      run(async ({ out, args, local }) => {
        const size = String(local['size']) as StandinSize;
        if (!(size in STANDIN_SIZES))
          throw new GlintError('usage', `--size must be one of ${Object.keys(STANDIN_SIZES).join(', ')}`);
        const dir = resolve(args[0] ?? '');
        const tokenizer = typeof local['tokenizer'] === 'string' ? local['tokenizer'] : undefined;
        const hasTokenizer = (await readdir(dir).catch(() => [] as string[])).some((n) => n === 'vocab.json');
        // Refused before anything is written: a stand-in without a tokenizer would only fail at `glint index`.
        if (tokenizer === undefined && !hasTokenizer)
          throw new GlintError(
            'usage',
            'A stand-in needs the CLIP tokenizer files (vocab.json, merges.txt, tokenizer_config.json): pass --tokenizer DIR, ' +
              'e.g. --tokenizer ../shared/data/clip-tokenizer.',
          );
        const written = await writeStandinClip(dir, size, {
          seed: Number(local['seed']),
          onProgress: (m) => out.info(m),
        });
        const copied: string[] = [];
        if (tokenizer !== undefined) {
          const from = resolve(tokenizer);
          const names = await readdir(from).catch(() => {
            throw new GlintError('not-found', `Tokenizer folder ${from} does not exist.`);
          });
          await mkdir(dir, { recursive: true });
          for (const name of names.filter((n) => TOKENIZER_FILES.test(n))) {
            await copyFile(join(from, name), join(dir, name));
            copied.push(name);
          }
          if (!copied.includes('vocab.json'))
            throw new GlintError('not-found', `${from} holds no CLIP tokenizer (vocab.json, merges.txt).`);
        }
        out.result(
          { ok: true, dir, size, ...written, tokenizerFiles: copied },
          () => `stand-in models (${size}) written to ${dir}`,
        );
        return EXIT.ok;
      }),
    );

  models
    .command('list')
    .description('show which model sets are present, complete, or stand-ins')
    .option('--dir <dir>', 'models root folder')
    .action(
      run(async ({ out, opts, local }) => {
        const root = resolveModelsDir(typeof local['dir'] === 'string' ? { dir: local['dir'] } : {});
        const sets = await listModels(root, await loadManifest());
        out.result({ ok: true, root, active: modelsFolder(opts), sets }, () =>
          [`models root ${root}`, ...sets.map((s) => `  ${s.id.padEnd(28)} ${s.state ?? ''}  ${s.dir}`)].join(
            '\n',
          ),
        );
        return EXIT.ok;
      }),
    );
}
