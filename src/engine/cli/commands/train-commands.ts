/**
 * `glint train` and `glint heads list|activate|rollback`: train DGHDGH heads on the library's own tags and
 * manage the library's heads. The Wiki benchmark's training and evaluation live beside the product, in
 * `training/` (`npm run train:wiki`, `npm run eval:wiki`).
 */
import type { Command } from 'commander';
import type { TrainPhaseView } from '../../../contract/api.ts';
import { GlintError } from '../../errors.ts';
import { epochsProblem } from '../../../contract/epochs.ts';
import { recordedQuality } from '../../train/head-quality.ts';
import { pct, progressLine } from '../../train/progress-line.ts';
import type { TrainProgress } from '../../train/trainer.ts';
import { CODE_BITS } from '../../types.ts';
import { openEngine, withEngine, type GlobalOptions, type Output } from '../context.ts';
import type { Engine } from '../../engine.ts';
import type { ActiveHead } from '../../hash/active-head.ts';
import { EXIT } from '../exit-codes.ts';
import { createProgress } from '../progress.ts';
import type { CommandContext, Run } from './library-commands.ts';

function intOption(local: CommandContext['local'], name: string, fallback: number, min = 1): number {
  const raw = local[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new GlintError('usage', `--${name} must be an integer ≥ ${min}, got "${String(raw)}"`);
  return n;
}

/**
 * A progress sink: a bar on a terminal (its label the current phase or step), otherwise one line per epoch and
 * one per phase as it begins (stderr; silent with --json).
 */
function trainProgress(
  out: Output,
  prefix: string,
): { onProgress: (p: TrainProgress) => void; onPhase: (p: TrainPhaseView) => void; stop: () => void } {
  const bar = createProgress('training', !out.json);
  const tty = Boolean(process.stderr.isTTY);
  let at = { done: 0, total: 1 };
  let lastPhase = '';
  return {
    onProgress: (p) => {
      at = { done: (p.epoch - 1) * p.steps + p.step, total: p.epochs * p.steps };
      bar.update(at.done, at.total, progressLine(p, prefix));
      if (p.kind === 'epoch' && !tty) out.info(progressLine(p, prefix));
    },
    onPhase: (p) => {
      bar.update(at.done, at.total, p.message);
      // NOTE: a counting phase prints once as it begins; each epoch's check is its own line.
      const key = `${p.stage ?? ''}:${p.phase}:${p.phase === 'checking-epoch' ? p.done : ''}`;
      if (!tty && key !== lastPhase) out.info(`${prefix}${p.stage ? ` ${p.stage}` : ''} ${p.message}`);
      lastPhase = key;
    },
    stop: () => bar.stop(),
  };
}

/** The global options without --bits: here it is the new head's code length, not a new library's. */
function withoutBits(opts: GlobalOptions): GlobalOptions {
  const rest = { ...opts };
  delete rest.bits;
  return rest;
}

/** The --ablation list without 'full' (which switches nothing off); GlintError('usage') for an unknown name. */
async function ablationList(local: CommandContext['local']): Promise<string[]> {
  if (typeof local['ablation'] !== 'string') return [];
  const names = local['ablation']
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((n) => n && n !== 'full');
  // NOTE: the model's modules load on demand, so other commands never pay for them.
  if (!names.length) return names;
  const { ABLATIONS } = await import('../../train/dghdgh/config.ts');
  for (const n of names) {
    if (!ABLATIONS.includes(n))
      throw new GlintError('usage', `--ablation: unknown "${n}"; use full or ${ABLATIONS.join(', ')}`);
  }
  return names;
}

async function trainLibrary(ctx: CommandContext): Promise<number> {
  const { out, opts, local } = ctx;
  const bits = CODE_BITS.find((b) => b === Number(opts.bits));
  const ablations = await ablationList(local);
  // Checked before the library opens, so a typo costs nothing (exit 2, the words of the app's Retrain view).
  const epochsProblemText = epochsProblem(local['epochs'] ?? '30');
  if (epochsProblemText) throw new GlintError('usage', `--epochs ${epochsProblemText}`);
  const epochs = Number(local['epochs'] ?? 30);
  const { engine, done } = await openEngine(withoutBits(opts), out, 'training');
  const progress = trainProgress(out, 'library');
  try {
    const r = await engine.heads.train({
      ...(bits === undefined ? {} : { bits }),
      epochs,
      batchSize: intOption(local, 'batch', 128, 2),
      seed: intOption(local, 'seed', 0, 0),
      ...(local['patience'] === undefined ? {} : { patience: intOption(local, 'patience', 10) }),
      ablations,
      ...(opts.device ? { device: opts.device } : {}),
      onProgress: progress.onProgress,
      onPhase: progress.onPhase,
      onNotice: (m) => out.warn(m),
    });
    progress.stop();
    done();
    out.result(
      {
        ok: true,
        head: r.head.id,
        dir: r.head.dir,
        activated: r.activated,
        active: r.active.id,
        previous: r.previous.id,
        validation: r.validation,
        dataset: r.dataset,
        bestEpoch: r.bestEpoch,
        epochsRun: r.epochsRun,
        msPerEpoch: r.msPerEpoch,
        provider: r.provider,
        fallback: r.fallback,
        ...(r.quick
          ? {
              quick: {
                head: r.quick.head.id,
                activated: r.quick.activated,
                validation: r.quick.validation,
                msPerEpoch: r.quick.msPerEpoch,
              },
            }
          : {}),
      },
      () =>
        [
          ...(r.quick
            ? [
                `quick plain-triplet head ${r.quick.head.id}: validation mAP ${pct(r.quick.validation.trained.map)}% against ${r.quick.validation.active.id} ${pct(r.quick.validation.active.map)}% — ${r.quick.activated ? 'activated at once' : 'not better, not activated'}`,
              ]
            : []),
          `trained ${r.head.id} (${r.head.bits} bits) on ${r.dataset.photos} tagged photos, ${r.dataset.tags.length} tags; best epoch ${r.bestEpoch}/${r.epochsRun}, ${(r.msPerEpoch / 1000).toFixed(2)} s/epoch on ${r.provider}`,
          `validation mAP (${r.validation.rows} held-out photos): new ${pct(r.validation.trained.map)}%, active ${r.validation.active.id} ${pct(r.validation.active.map)}%`,
          r.activated
            ? `activated ${r.head.id}; \`glint heads rollback\` goes back to ${r.validation.active.id}`
            : `kept ${r.active.id} active (the new head did not beat it); \`glint heads activate ${r.head.id}\` to use it anyway`,
        ].join('\n'),
    );
    return EXIT.ok;
  } finally {
    progress.stop();
    done();
    await engine.close();
  }
}

/** Registers `train` and `heads list|activate|rollback`. */
export function registerTrainCommands(program: Command, run: Run): void {
  program
    .command('train')
    .description(
      'train a DGHDGH hash head on this library’s tags (activated only when it beats the active one)',
    )
    .option('--dataset <name>', 'library (the Wiki benchmark is `npm run train:wiki`)', 'library')
    .option(
      '--ablation <list>',
      'components to switch off, comma separated: no-rgp, no-dgs, no-emf, no-hap, no-is, no-sp, no-cd',
    )
    .option('--epochs <n>', 'epochs', '30')
    .option('--batch <n>', 'batch size', '128')
    .option('--seed <n>', 'random seed (weights, batches, validation split)', '0')
    .option('--patience <n>', 'stop after this many epochs without a better validation mAP')
    .addHelpText('after', '\n--bits sets the new head’s code length; --device cuda tries the GPU.')
    .action(
      run(async (ctx) => {
        const dataset = String(ctx.local['dataset']);
        if (dataset === 'wiki')
          throw new GlintError(
            'usage',
            'the Wiki benchmark lives in training/: npm run train:wiki -- --data FILE.mat (and npm run eval:wiki)',
          );
        if (dataset !== 'library')
          throw new GlintError('usage', `--dataset must be library, got "${dataset}"`);
        return trainLibrary(ctx);
      }),
    );

  const heads = program.command('heads').description('list, activate or roll back the library’s hash heads');
  heads
    .command('list')
    .description('the hash heads of the current model, newest first')
    .action(
      run(({ out, opts }) =>
        withEngine(withoutBits(opts), out, async (engine, done) => {
          const list = engine.heads.list();
          done();
          out.result({ ok: true, heads: list }, () =>
            list
              .map((h) => {
                const v = recordedQuality(h.metrics);
                return `${h.active ? '*' : ' '} ${h.id}  ${h.kind}  ${h.bits} bits  ${new Date(h.createdAt).toISOString()}${v === undefined ? '' : `  val mAP ${pct(v)}%`}`;
              })
              .join('\n'),
          );
          return EXIT.ok;
        }),
      ),
    );
  const switchTo = (describe: string, action: (engine: Engine, args: string[]) => Promise<ActiveHead>) =>
    run(({ out, opts, args }) =>
      withEngine(withoutBits(opts), out, async (engine, done) => {
        const head = await action(engine, args);
        done();
        out.result({ ok: true, active: head }, () => `${describe}: ${head.id} (${head.bits} bits)`);
        return EXIT.ok;
      }),
    );
  heads
    .command('activate')
    .description('make a head the active one (re-hashes every item from cached embeddings)')
    .argument('<id>', 'head id from `glint heads list`')
    .action(switchTo('active head', (engine, args) => engine.heads.activate(String(args[0]))));
  heads
    .command('rollback')
    .description('re-activate the head that was active before the current one')
    .action(switchTo('rolled back to', (engine) => engine.heads.rollback()));
}
