/**
 * Trains DGHDGH on the Wiki benchmark at each code length and variant (the one Wiki recipe, wiki-run.ts),
 * evaluates each run's best epoch on the query set beside the untrained LSH baseline, and prints the
 * metrics table (or, with --json, the runs as one JSON document). With --out, each run's checkpoint and
 * exported head land in OUT/wiki-<bits>-<variant>/ and the document in OUT/results.json.
 * Usage: npm run train:wiki -- --data FILE.mat [--bits 16,32,64,128] [--variants full,no-dgs,…] [--epochs 100]
 *          [--batch 128] [--seed 0] [--patience N] [--out DIR [--resume]] [--device cpu|cuda] [--json]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GlintError } from '../src/engine/errors.ts';
import { progressLine } from '../src/engine/train/progress-line.ts';
import { loadWikiDataset } from './dataset-wiki.ts';
import { formatMetricsTable, type TableRow } from './metrics-table.ts';
import { deviceArg, existingPath, intArg, parseBitsList, printResult, runScript } from './script-args.ts';
import { parseVariants } from './wiki-config.ts';
import { runWiki, wikiRunName } from './wiki-run.ts';

await runScript('train:wiki', async () => {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      bits: { type: 'string', default: '64' },
      variants: { type: 'string', default: 'full' },
      epochs: { type: 'string' },
      batch: { type: 'string' },
      seed: { type: 'string' },
      patience: { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'boolean', default: false },
      device: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const data = existingPath('data', values.data, 'FILE.mat (the wiki_data.mat benchmark file)');
  const bitsList = parseBitsList(values.bits);
  const variants = parseVariants(values.variants);
  const epochs = intArg('epochs', values.epochs, 100);
  const batchSize = intArg('batch', values.batch, 128, 2);
  const seed = intArg('seed', values.seed, 0, 0);
  const patience = values.patience === undefined ? undefined : intArg('patience', values.patience, 10);
  const device = deviceArg(values.device);
  const outDir = values.out === undefined ? undefined : resolve(values.out);
  if (values.resume && !outDir)
    throw new GlintError('usage', '--resume needs --out DIR (where the checkpoints are)');
  const ds = loadWikiDataset(data);
  const runs = [];
  for (const bits of bitsList) {
    for (const [vi, variant] of variants.entries()) {
      const { result } = await runWiki(
        {
          ds,
          bits,
          variant,
          seed,
          epochs,
          batchSize,
          ...(patience === undefined ? {} : { patience }),
          device,
          baseline: vi === 0,
          ...(outDir ? { dir: join(outDir, wikiRunName(bits, variant)), resume: values.resume } : {}),
        },
        {
          // NOTE: one line per epoch on stderr, so a --json document on stdout stays clean.
          onProgress: (p) => {
            if (p.kind === 'epoch') process.stderr.write(`${progressLine(p, `${bits}b ${variant}`)}\n`);
          },
          onNotice: (m) => process.stderr.write(`notice: ${m}\n`),
        },
      );
      runs.push({ bits, variant, result });
    }
  }
  const rows: TableRow[] = runs.flatMap(({ bits, variant, result: r }) => [
    ...(r.baseline ? [{ bits, variant: 'LSH (untrained)', metrics: r.baseline }] : []),
    ...(r.evaluation
      ? [{ bits, variant, metrics: r.evaluation, msPerEpoch: r.msPerEpoch, bestEpoch: r.bestEpoch }]
      : []),
  ]);
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
    runs: runs.map(({ bits, variant, result: r }) => ({
      bits,
      variant,
      provider: r.provider,
      fallback: r.fallback,
      bestEpoch: r.bestEpoch,
      bestValMap: r.bestValMap,
      epochsRun: r.epochsRun,
      stoppedEarly: r.stoppedEarly,
      msPerEpoch: r.msPerEpoch,
      resumedFrom: r.resumedFrom,
      config: r.config,
      history: r.history,
      evaluation: r.evaluation,
      baseline: r.baseline,
    })),
  };
  if (outDir) {
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, 'results.json'), `${JSON.stringify(doc, null, 2)}\n`);
  }
  printResult(values.json, doc, () => formatMetricsTable(rows));
});
