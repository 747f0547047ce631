/**
 * `glint train`, `glint eval` and `glint heads list|activate|rollback`: train DGHDGH heads on the Wiki
 * benchmark or on the library's own tags, evaluate a head, and manage the library's heads.
 * The training modules are imported on demand so other commands start fast.
 */
import { existsSync } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { GlintError } from '../../errors.ts';
import type { RetrievalMetrics } from '../../train/evaluate.ts';
import type { TrainJobResult } from '../../train/train-client.ts';
import type { TrainProgress } from '../../train/trainer.ts';
import { CODE_BITS, type CodeBits } from '../../types.ts';
import { openEngine, withEngine, type GlobalOptions, type Output } from '../context.ts';
import type { Engine } from '../../engine.ts';
import type { ActiveHead } from '../../hash/active-head.ts';
import { EXIT } from '../exit-codes.ts';
import { createProgress } from '../progress.ts';
import type { CommandContext, Run } from './library-commands.ts';

const TRAIN_COMMANDS = new Set(['train']);

/** Parses "16,32" into code lengths; GlintError('usage') names the bad value. */
export function parseBitsList(value: string): CodeBits[] {
  const out: CodeBits[] = [];
  for (const part of value.split(',').map((s) => s.trim())) {
    const b = Number(part);
    if (!(CODE_BITS as readonly number[]).includes(b)) {
      throw new GlintError(
        'usage',
        `--bits: "${part}" is not a code length; use ${CODE_BITS.join(', ')} (comma separated for train)`,
      );
    }
    if (!out.includes(b as CodeBits)) out.push(b as CodeBits);
  }
  return out;
}

function intOption(local: CommandContext['local'], name: string, fallback: number, min = 1): number {
  const raw = local[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new GlintError('usage', `--${name} must be an integer ≥ ${min}, got "${String(raw)}"`);
  return n;
}

function pct(x: number): string {
  return Number.isFinite(x) ? (100 * x).toFixed(2) : '—';
}

function fisherAt(m: RetrievalMetrics, pairs: number): number {
  const it = m.it.fisher.find((f) => f.pairs === pairs)?.mean ?? NaN;
  const ti = m.ti.fisher.find((f) => f.pairs === pairs)?.mean ?? NaN;
  return (it + ti) / 2;
}

/** One row of the final metrics table. */
interface TableRow {
  bits: number;
  variant: string;
  metrics: RetrievalMetrics;
  msPerEpoch?: number;
  bestEpoch?: number;
}

/** The per-bit-length metrics table (mAP %, P@H≤2 %, Fisher at 400 pairs, time per epoch). */
export function formatMetricsTable(rows: readonly TableRow[]): string {
  const head = [
    'bits',
    'variant',
    'mAP I→T',
    'mAP T→I',
    'P@H≤2 I→T',
    'P@H≤2 T→I',
    'Fisher(400)',
    's/epoch',
    'best',
  ];
  const body = rows.map((r) => [
    String(r.bits),
    r.variant,
    pct(r.metrics.it.map),
    pct(r.metrics.ti.map),
    pct(r.metrics.it.pAtH2),
    pct(r.metrics.ti.pAtH2),
    Number.isFinite(fisherAt(r.metrics, 400)) ? fisherAt(r.metrics, 400).toFixed(3) : '—',
    r.msPerEpoch === undefined ? '' : (r.msPerEpoch / 1000).toFixed(2),
    r.bestEpoch === undefined ? '' : String(r.bestEpoch),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i] as number)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function progressLabel(p: TrainProgress, prefix: string): string {
  const l = p.losses;
  const val = p.valMap === undefined ? '' : ` val mAP ${pct(p.valMap)}`;
  return `${prefix} epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.steps} hl ${l.hl.toFixed(4)} go ${l.go.toFixed(4)} τ ${p.tau.toFixed(3)} γ ${p.gammaSyn.toFixed(2)}${val}`;
}

/** A progress sink: a bar on a terminal, one line per epoch otherwise (stderr; silent with --json). */
function trainProgress(
  out: Output,
  prefix: string,
): { onProgress: (p: TrainProgress) => void; stop: () => void } {
  const bar = createProgress('training', !out.json);
  const tty = Boolean(process.stderr.isTTY);
  return {
    onProgress: (p) => {
      bar.update((p.epoch - 1) * p.steps + p.step, p.epochs * p.steps, progressLabel(p, prefix));
      if (p.kind === 'epoch' && !tty) out.info(progressLabel(p, prefix));
    },
    stop: () => bar.stop(),
  };
}

/** The global options without --bits (a train list is not a new library's code length). */
function withoutBits(opts: GlobalOptions): GlobalOptions {
  const rest = { ...opts };
  delete rest.bits;
  return rest;
}

async function trainWiki(ctx: CommandContext, bitsList: CodeBits[]): Promise<number> {
  const { out, opts, local } = ctx;
  const data = typeof local['data'] === 'string' ? resolve(local['data']) : undefined;
  if (!data)
    throw new GlintError('usage', '--dataset wiki needs --data FILE.mat (the wiki_data.mat benchmark file)');
  if (!existsSync(data)) throw new GlintError('not-found', `Data file ${data} does not exist.`);
  const variants = ablationList(local);
  await checkAblations(variants);
  const { loadWikiDataset, wikiTrainData } = await import('../../train/dataset-wiki.ts');
  const { wikiConfig, applyAblation } = await import('../../train/dghdgh/config.ts');
  const { runTraining } = await import('../../train/train-client.ts');
  const ds = loadWikiDataset(data);
  const epochs = intOption(local, 'epochs', 100);
  const batchSize = intOption(local, 'batch', 128, 2);
  const seed = intOption(local, 'seed', 0, 0);
  const patience = local['patience'] === undefined ? undefined : intOption(local, 'patience', 10);
  const outDir = typeof local['out'] === 'string' ? resolve(local['out']) : undefined;
  const resume = Boolean(local['resume']);
  if (resume && !outDir)
    throw new GlintError('usage', '--resume needs --out DIR (where the checkpoints are)');
  const runs: Array<{ bits: number; variant: string; result: TrainJobResult }> = [];
  for (const bits of bitsList) {
    for (const [vi, variant] of variants.entries()) {
      let config = wikiConfig({ bits, dims: ds.dims, classes: ds.classes });
      if (variant !== 'full') config = applyAblation(config, variant);
      const name = `wiki-${bits}-${variant}`;
      const progress = trainProgress(out, `${bits}b ${variant}`);
      try {
        const result = await runTraining(
          {
            data: wikiTrainData(ds, 0.2, seed),
            config,
            seed,
            epochs,
            batchSize,
            ...(patience === undefined ? {} : { patience }),
            // NOTE: Wiki's database is its training set, so validation queries are ranked against the
            // training rows, as the final evaluation ranks the query set against the whole database.
            validateAgainst: 'train',
            ...(opts.device ? { device: opts.device } : {}),
            ...(outDir ? { checkpoint: join(outDir, name, 'checkpoint.bin'), resume } : {}),
            evaluate: { baseline: vi === 0 },
            ...(outDir
              ? {
                  exportHead: {
                    dir: join(outDir, name, 'head'),
                    id: name,
                    modelId: `wiki-${ds.dims.image}x${ds.dims.text}`,
                  },
                }
              : {}),
          },
          { onProgress: progress.onProgress, onNotice: (m) => out.warn(m) },
        );
        runs.push({ bits, variant, result });
      } finally {
        progress.stop();
      }
    }
  }
  const rows: TableRow[] = [];
  for (const r of runs) {
    if (r.result.baseline)
      rows.push({ bits: r.bits, variant: 'LSH (untrained)', metrics: r.result.baseline });
    rows.push({
      bits: r.bits,
      variant: r.variant,
      metrics: r.result.evaluation!,
      msPerEpoch: r.result.msPerEpoch,
      bestEpoch: r.result.bestEpoch,
    });
  }
  const doc = {
    ok: true,
    dataset: {
      name: 'wiki',
      path: data,
      train: ds.train.n,
      query: ds.query.n,
      classes: ds.classes,
      dims: ds.dims,
    },
    runs: runs.map((r) => ({
      bits: r.bits,
      variant: r.variant,
      provider: r.result.provider,
      fallback: r.result.fallback,
      bestEpoch: r.result.bestEpoch,
      bestValMap: r.result.bestValMap,
      epochsRun: r.result.epochsRun,
      stoppedEarly: r.result.stoppedEarly,
      msPerEpoch: r.result.msPerEpoch,
      resumedFrom: r.result.resumedFrom,
      config: r.result.config,
      history: r.result.history,
      evaluation: r.result.evaluation,
      baseline: r.result.baseline,
    })),
  };
  if (outDir) {
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, 'results.json'), `${JSON.stringify(doc, null, 2)}\n`);
  }
  out.result(doc, () => formatMetricsTable(rows));
  return EXIT.ok;
}

function ablationList(local: CommandContext['local']): string[] {
  if (typeof local['ablation'] !== 'string') return ['full'];
  return local['ablation']
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

async function checkAblations(names: readonly string[]): Promise<void> {
  const { ABLATIONS } = await import('../../train/dghdgh/config.ts');
  for (const n of names) {
    if (n !== 'full' && !ABLATIONS.includes(n))
      throw new GlintError('usage', `--ablation: unknown "${n}"; use full or ${ABLATIONS.join(', ')}`);
  }
}

async function trainLibrary(ctx: CommandContext, bitsList: CodeBits[] | undefined): Promise<number> {
  const { out, opts, local } = ctx;
  if (bitsList && bitsList.length > 1)
    throw new GlintError('usage', '--dataset library trains one head: give one --bits value');
  const ablations = ablationList(local).filter((a) => a !== 'full');
  if (ablations.length) await checkAblations(ablations);
  const { engine, done } = await openEngine(withoutBits(opts), out, 'training');
  const progress = trainProgress(out, 'library');
  try {
    const r = await engine.trainHead({
      ...(bitsList?.[0] ? { bits: bitsList[0] } : {}),
      epochs: intOption(local, 'epochs', 30),
      batchSize: intOption(local, 'batch', 128, 2),
      seed: intOption(local, 'seed', 0, 0),
      ...(local['patience'] === undefined ? {} : { patience: intOption(local, 'patience', 10) }),
      ablations,
      ...(opts.device ? { device: opts.device } : {}),
      onProgress: progress.onProgress,
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

/**
 * Lets the global `--bits` (a new library's code length) also take the comma list `glint train` accepts;
 * every other command still gets exactly one code length.
 */
function widenGlobalBits(program: Command): void {
  const bits = program.options.find((o) => o.long === '--bits');
  if (!bits) return;
  bits.argChoices = undefined;
  bits.argParser((value: string) => {
    try {
      parseBitsList(value);
    } catch (err) {
      program.error(`error: ${(err as Error).message}`, {
        exitCode: EXIT.usage,
        code: 'commander.invalidArgument',
      });
    }
    return value;
  });
  program.hook('preAction', (_root, action) => {
    const value = action.optsWithGlobals<{ bits?: string }>().bits;
    if (value !== undefined && value.includes(',') && !TRAIN_COMMANDS.has(action.name())) {
      action.error(`error: --bits takes one code length here (${CODE_BITS.join(', ')})`, {
        exitCode: EXIT.usage,
      });
    }
  });
}

/** Registers `train`, `eval` and `heads list|activate|rollback`. */
export function registerTrainCommands(program: Command, run: Run): void {
  widenGlobalBits(program);

  program
    .command('train')
    .description(
      'train DGHDGH hash heads: on the Wiki benchmark (metrics table) or on this library’s tags (new head)',
    )
    .requiredOption('--dataset <name>', 'wiki | library')
    .option('--data <file>', 'the benchmark file (wiki_data.mat) for --dataset wiki')
    .option(
      '--ablation <list>',
      'variants to train, comma separated: full, no-rgp, no-dgs, no-emf, no-hap, no-is, no-sp, no-cd',
    )
    .option('--epochs <n>', 'epochs (default: wiki 100, library 30)')
    .option('--batch <n>', 'batch size', '128')
    .option('--seed <n>', 'random seed (weights, batches, validation split)', '0')
    .option('--patience <n>', 'stop after this many epochs without a better validation mAP')
    .option('--out <dir>', 'write checkpoints, heads and results.json here (wiki)')
    .option('--resume', 'continue from the checkpoints in --out')
    .addHelpText(
      'after',
      '\n--bits takes a comma list here (e.g. --bits 16,32,64,128); --device cuda tries the GPU.',
    )
    .action(
      run(async (ctx) => {
        const dataset = String(ctx.local['dataset']);
        const bitsList = ctx.opts.bits === undefined ? undefined : parseBitsList(ctx.opts.bits);
        if (dataset === 'wiki') return trainWiki(ctx, bitsList ?? [64]);
        if (dataset === 'library') return trainLibrary(ctx, bitsList);
        throw new GlintError('usage', `--dataset must be wiki or library, got "${dataset}"`);
      }),
    );

  program
    .command('eval')
    .description(
      'evaluate a hash head on the Wiki benchmark (query set vs training database), beside an LSH baseline',
    )
    .requiredOption('--head <dir>', 'head folder (head.json + image.onnx + text.onnx)')
    .requiredOption('--dataset <name>', 'wiki')
    .requiredOption('--data <file>', 'wiki_data.mat')
    .action(
      run(async ({ out, local }) => {
        if (local['dataset'] !== 'wiki')
          throw new GlintError('usage', '--dataset: only wiki can be evaluated here');
        const data = resolve(String(local['data']));
        if (!existsSync(data)) throw new GlintError('not-found', `Data file ${data} does not exist.`);
        const dir = resolve(String(local['head']));
        if (!existsSync(dir)) throw new GlintError('not-found', `Head folder ${dir} does not exist.`);
        const { loadWikiDataset } = await import('../../train/dataset-wiki.ts');
        const { evaluateRetrieval, headEncoder, lshEncoder } = await import('../../train/evaluate.ts');
        const { loadHead } = await import('../../hash/head.ts');
        const ds = loadWikiDataset(data);
        const head = await loadHead(dir);
        try {
          const sets = { query: ds.query, database: ds.train, classes: ds.classes, bits: head.bits };
          const metrics = await evaluateRetrieval(headEncoder(head), sets);
          const baseline = await evaluateRetrieval(lshEncoder(ds.train, head.bits, 0), sets);
          out.result({ ok: true, head: head.meta.id, bits: head.bits, metrics, baseline }, () =>
            formatMetricsTable([
              { bits: head.bits, variant: 'LSH (untrained)', metrics: baseline },
              { bits: head.bits, variant: head.meta.id, metrics },
            ]),
          );
          return EXIT.ok;
        } finally {
          await head.release();
        }
      }),
    );

  const heads = program.command('heads').description('list, activate or roll back the library’s hash heads');
  heads
    .command('list')
    .description('the hash heads of the current model, newest first')
    .action(
      run(({ out, opts }) =>
        withEngine(withoutBits(opts), out, async (engine, done) => {
          const list = engine.heads();
          done();
          out.result({ ok: true, heads: list }, () =>
            list
              .map((h) => {
                const v = (h.metrics as { validation?: { trained?: { map?: number } } } | undefined)
                  ?.validation?.trained?.map;
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
    .action(switchTo('active head', (engine, args) => engine.activateHead(String(args[0]))));
  heads
    .command('rollback')
    .description('re-activate the head that was active before the current one')
    .action(switchTo('rolled back to', (engine) => engine.rollbackHead()));
}
