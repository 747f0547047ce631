/**
 * The one Wiki training recipe, used by `npm run train:wiki` and by the report (report-runs.ts): a variant
 * of `wikiConfig`, 20% of the training rows held out for model choice, validation ranked against the
 * training rows, the query set monitored every epoch and evaluated once at the end, all through the
 * product's own training worker.
 */
import { join } from 'node:path';
import type { DghdghConfig } from '../src/engine/train/dghdgh/config.ts';
import type { Device } from '../src/engine/onnx/runtime.ts';
import { runTraining, type TrainHandlers, type TrainJobResult } from '../src/engine/train/train-client.ts';
import { wikiTrainData, type CrossModalDataset } from './dataset-wiki.ts';
import { variantConfig, wikiConfig } from './wiki-config.ts';

/** Share of the training rows each run holds out for validation (seeded by the run's seed). */
export const WIKI_VALIDATION_FRACTION = 0.2;

/** One Wiki run: what to train, and where its checkpoint and head go (if anywhere). */
export interface WikiRun {
  ds: CrossModalDataset;
  bits: number;
  variant: string;
  seed: number;
  epochs: number;
  batchSize?: number;
  patience?: number;
  device?: Device;
  /** Also evaluate the untrained LSH head of the same seed (the report's baseline row). */
  baseline: boolean;
  /** Folder of this run's checkpoint (`checkpoint.bin`) and exported head (`head/`); none: neither is written. */
  dir?: string;
  /** Continue from the checkpoint in `dir`. */
  resume?: boolean;
}

/** The name a run's folder and exported head carry. */
export function wikiRunName(bits: number, variant: string): string {
  return `wiki-${bits}-${variant}`;
}

/** Trains and evaluates one Wiki run on the training worker; returns its configuration and result. */
export async function runWiki(
  run: WikiRun,
  handlers: TrainHandlers = {},
): Promise<{ config: DghdghConfig; result: TrainJobResult }> {
  const { ds, dir } = run;
  const config = variantConfig(
    wikiConfig({ bits: run.bits, dims: ds.dims, classes: ds.classes }),
    run.variant,
  );
  const name = wikiRunName(run.bits, run.variant);
  const result = await runTraining(
    {
      data: wikiTrainData(ds, WIKI_VALIDATION_FRACTION, run.seed),
      config,
      seed: run.seed,
      epochs: run.epochs,
      ...(run.batchSize === undefined ? {} : { batchSize: run.batchSize }),
      ...(run.patience === undefined ? {} : { patience: run.patience }),
      ...(run.device === undefined ? {} : { device: run.device }),
      // NOTE: Wiki's database is its training set, so validation queries are ranked against the training
      // rows, as the final evaluation ranks the query set against the whole database.
      validateAgainst: 'train',
      monitorQuery: true,
      evaluate: { baseline: run.baseline },
      ...(dir
        ? {
            checkpoint: join(dir, 'checkpoint.bin'),
            resume: Boolean(run.resume),
            exportHead: {
              dir: join(dir, 'head'),
              id: name,
              modelId: `wiki-${ds.dims.image}x${ds.dims.text}`,
            },
          }
        : {}),
    },
    handlers,
  );
  return { config, result };
}
