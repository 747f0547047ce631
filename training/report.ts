/**
 * Produces training/README.md: trains DGHDGH, no-DGS and no-RGP on the Wiki benchmark at each code length
 * and seed (resuming from the saved run records), evaluates them and the untrained LSH baseline on the
 * query set, measures the step time, and renders the report.
 * Usage: npm run report:wiki -- [--bits 16,32,64,128] [--seeds 0,1,2] [--variants full,full-paper-tau,no-dgs,no-rgp]
 *          [--epochs 30] [--patience N] [--fresh] [--render-only] [--data FILE.mat]
 * Every run trains the same number of epochs (no early stopping unless --patience) and keeps its best epoch
 * by validation mAP.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadWikiDataset } from './dataset-wiki.ts';
import { renderReport } from './report-markdown.ts';
import { ensureRun, ensureStepTimes, runFile, type RunRecord } from './report-runs.ts';

const here = import.meta.dirname;
const { values } = parseArgs({
  options: {
    bits: { type: 'string', default: '16,32,64,128' },
    seeds: { type: 'string', default: '0,1,2' },
    variants: { type: 'string', default: 'full,full-paper-tau,no-dgs,no-rgp' },
    epochs: { type: 'string', default: '30' },
    patience: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    'render-only': { type: 'boolean', default: false },
    data: { type: 'string', default: resolve(here, '../../shared/data/wiki/wiki_data.mat') },
  },
});
const list = (s: string): number[] => s.split(',').map(Number);
const bitsList = list(values.bits);
const seeds = list(values.seeds);
const variants = values.variants.split(',');
const epochs = Number(values.epochs);
const patience = values.patience === undefined ? null : Number(values.patience);
const dir = join(here, 'results');
const log = (line: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

if (!existsSync(values.data)) {
  console.error(`The Wiki benchmark file ${values.data} is missing; pass --data FILE.mat.`);
  process.exit(2);
}
const ds = loadWikiDataset(values.data);
const runs: RunRecord[] = [];
// NOTE: seeds outermost, so a partial report already covers every code length.
for (const seed of seeds) {
  for (const bits of bitsList) {
    for (const [i, variant] of variants.entries()) {
      const file = runFile(dir, bits, variant, seed);
      if (values.fresh && !values['render-only']) rmSync(file, { force: true });
      if (values['render-only'] && !existsSync(file)) continue;
      runs.push(
        await ensureRun({
          dir,
          ds,
          bits,
          variant,
          seed,
          epochs,
          patience,
          withBaseline: i === 0,
          log,
        }),
      );
    }
  }
}
const steps = await ensureStepTimes(dir, ds, values.fresh && !values['render-only'], log);
const cpu = cpus();
const FULL_GRID = {
  bits: [16, 32, 64, 128],
  seeds: 3,
  variants: ['full', 'full-paper-tau', 'no-dgs', 'no-rgp'],
};
const missing = FULL_GRID.variants.filter((v) => !variants.includes(v));
const reduced =
  bitsList.length < FULL_GRID.bits.length || seeds.length < FULL_GRID.seeds || missing.length
    ? `${bitsList.join(', ')} bits × ${seeds.length} seed(s) (${seeds.join(', ')}) × ${variants.join(', ')}, ${epochs} epochs` +
      `${missing.length ? `; not run: ${missing.join(', ')}` : ''} — less than the full grid (${FULL_GRID.bits.join('/')} bits × ` +
      `${FULL_GRID.seeds} seeds × ${FULL_GRID.variants.join(', ')}), which the same command runs with its default options.`
    : undefined;
const notes = readFileSync(join(here, 'report-notes.md'), 'utf8');
const md = renderReport(
  {
    runs,
    steps,
    bitsList,
    seeds,
    variants,
    machine: `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'} (CPU execution provider)`,
    // NOTE: --fresh / --render-only say how this file was produced, not what it contains: left out.
    command: ((args) => ['npm run report:wiki', ...(args.length ? ['--', ...args] : [])].join(' '))(
      process.argv.slice(2).filter((a) => a !== '--fresh' && a !== '--render-only'),
    ),
    ...(reduced ? { reduced } : {}),
  },
  notes,
);
writeFileSync(join(here, 'README.md'), md);
log(`wrote training/README.md from ${runs.length} runs`);
