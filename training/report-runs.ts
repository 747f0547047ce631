/**
 * The measured runs behind training/README.md: one Wiki training run per (code length, variant, seed) through
 * the one Wiki recipe (wiki-run.ts, as `npm run train:wiki` uses it), each saved as JSON so an interrupted
 * report resumes where it stopped; and the step-time measurement of one batch of 128 at 64 bits.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RetrievalMetrics } from '../src/engine/train/evaluate.ts';
import type { EpochRecord } from '../src/engine/train/trainer.ts';
import type { DghdghConfig } from '../src/engine/train/dghdgh/config.ts';
import type { DghdghBatch } from '../src/engine/train/dghdgh/model.ts';
import type { CrossModalDataset } from './dataset-wiki.ts';
import { defaultTrainThreads } from '../src/engine/train/dghdgh/train-threads.ts';
import { measureStepTimes, type StepTime } from './step-time.ts';
import { variantConfig, wikiConfig } from './wiki-config.ts';
import { runWiki } from './wiki-run.ts';

/** One finished run as saved in the results folder. */
export interface RunRecord {
  bits: number;
  variant: string;
  seed: number;
  epochs: number;
  /** null: no early stopping. */
  patience: number | null;
  config: DghdghConfig;
  provider: string;
  bestEpoch: number;
  bestValMap: number;
  epochsRun: number;
  msPerEpoch: number;
  evaluation: RetrievalMetrics;
  /** Per-epoch record: losses, τ, γ_syn, validation mAP, diagnostics, query-set mAP (absent in older records). */
  history?: EpochRecord[];
  /** The untrained LSH head of the same seed on the same features (saved with the first variant). */
  baseline?: RetrievalMetrics;
  finishedAt: string;
}

/** Where a run's record lives. */
export function runFile(dir: string, bits: number, variant: string, seed: number): string {
  return join(dir, `wiki-${bits}-${variant}-s${seed}.json`);
}

function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 1)}\n`);
  renameSync(tmp, path);
}

/** Strips what the README does not use (PR curves) so the saved records stay small. */
function slim(m: RetrievalMetrics): RetrievalMetrics {
  return { ...m, it: { ...m.it, pr: [] }, ti: { ...m.ti, pr: [] } };
}

/** Trains and evaluates one (bits, variant, seed) unless its record exists; returns the record. */
export async function ensureRun(p: {
  dir: string;
  ds: CrossModalDataset;
  bits: number;
  variant: string;
  seed: number;
  epochs: number;
  patience: number | null;
  withBaseline: boolean;
  log: (line: string) => void;
}): Promise<RunRecord> {
  const file = runFile(p.dir, p.bits, p.variant, p.seed);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
  mkdirSync(p.dir, { recursive: true });
  const t0 = performance.now();
  let last = 0;
  const { config, result } = await runWiki(
    {
      ds: p.ds,
      bits: p.bits,
      variant: p.variant,
      seed: p.seed,
      epochs: p.epochs,
      ...(p.patience === null ? {} : { patience: p.patience }),
      baseline: p.withBaseline,
    },
    {
      onProgress: (e) => {
        if (e.kind !== 'epoch' || performance.now() - last < 20_000) return;
        last = performance.now();
        p.log(`  … epoch ${e.epoch}/${e.epochs}, val mAP ${((e.valMap ?? 0) * 100).toFixed(2)}`);
      },
      onNotice: (m) => p.log(`  notice: ${m}`),
    },
  );
  const record: RunRecord = {
    bits: p.bits,
    variant: p.variant,
    seed: p.seed,
    epochs: p.epochs,
    patience: p.patience,
    config,
    provider: result.provider,
    bestEpoch: result.bestEpoch,
    bestValMap: result.bestValMap,
    epochsRun: result.epochsRun,
    msPerEpoch: result.msPerEpoch,
    evaluation: slim(result.evaluation!),
    history: result.history,
    ...(result.baseline ? { baseline: slim(result.baseline) } : {}),
    finishedAt: new Date().toISOString(),
  };
  writeJsonAtomic(file, record);
  const ev = record.evaluation;
  p.log(
    `${p.bits}b ${p.variant} seed ${p.seed}: mAP I→T ${(ev.it.map * 100).toFixed(2)} T→I ${(ev.ti.map * 100).toFixed(2)}, ` +
      `best epoch ${record.bestEpoch}/${record.epochsRun}, ${(record.msPerEpoch / 1000).toFixed(2)} s/epoch ` +
      `(${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );
  return record;
}

/** The first `n` training rows of the benchmark as one batch. */
function firstRows(ds: CrossModalDataset, n: number): DghdghBatch {
  const di = ds.dims.image;
  const dt = ds.dims.text;
  const C = ds.classes;
  return {
    n,
    image: ds.train.image.slice(0, n * di),
    text: ds.train.text.slice(0, n * dt),
    labels: Float32Array.from(ds.train.labels.subarray(0, n * C)),
  };
}

/** The saved step-time measurement. */
export interface StepTimes {
  bits: number;
  batch: number;
  steps: number;
  rows: StepTime[];
  measuredAt: string;
  /** Intra-op threads of the sessions (absent in older records: ORT's default). */
  threads?: number;
  /** True when the configurations were stepped round-robin in one process (older records: one after another). */
  interleaved?: boolean;
}

/** Step times, measured once and saved (`fresh` measures again). */
export async function ensureStepTimes(
  dir: string,
  ds: CrossModalDataset,
  fresh: boolean,
  log: (line: string) => void,
): Promise<StepTimes> {
  const file = join(dir, 'step-time.json');
  if (!fresh && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  mkdirSync(dir, { recursive: true });
  log('step time: batch 128 at 64 bits …');
  const base = wikiConfig({ bits: 64, dims: ds.dims, classes: ds.classes });
  const threads = defaultTrainThreads();
  const rows = await measureStepTimes({
    configs: [
      ...['full', 'no-rgp', 'no-dgs', 'no-emf'].map((v): [string, DghdghConfig] => [
        v,
        variantConfig(base, v),
      ]),
      ['full, d_e 64 with a 4× edge MLP', { ...base, edgeWidth: 64, edgeMlpRatio: 4 }],
    ],
    batch: firstRows(ds, 128),
    steps: 10,
    ...(threads === undefined ? {} : { threads }),
  });
  const doc: StepTimes = {
    bits: 64,
    batch: 128,
    steps: 10,
    rows,
    measuredAt: new Date().toISOString(),
    ...(threads === undefined ? {} : { threads }),
    interleaved: true,
  };
  writeJsonAtomic(file, doc);
  return doc;
}
