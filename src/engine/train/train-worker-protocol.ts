import type { ApiError, TrainPhaseView } from '../../contract/api.ts';
/** Messages between the training client (any thread) and the training worker thread. Types only. */
import type { PairedSet, RetrievalMetrics } from './evaluate.ts';
import type { ModelState, TrainOptions, TrainProgress, TrainResult } from './trainer.ts';

/**
 * The rows a job trains on, sent along with it: `validation` chooses the best epoch; `query` and `database`,
 * when given, are what the final evaluation ranks (a benchmark's protocol; default: validation against itself).
 */
export interface TrainData {
  train: PairedSet;
  validation: PairedSet;
  query?: PairedSet;
  database?: PairedSet;
}

/** One training job: the trainer's serialisable options plus what to do with the result. */
export interface TrainJob extends Pick<
  TrainOptions,
  | 'config'
  | 'seed'
  | 'epochs'
  | 'batchSize'
  | 'patience'
  | 'validateAgainst'
  | 'device'
  | 'threads'
  | 'checkpoint'
  | 'resume'
  | 'init'
> {
  data: TrainData;
  /** Record the query set's mAP against the database after every epoch (never used for model choice). */
  monitorQuery?: boolean;
  /** Per-epoch diagnostics (TrainOptions.diagnostics). */
  diagnostics?: TrainOptions['diagnostics'];
  /** Evaluate the best model on `data.query` against `data.database`. */
  evaluate?: { fisherPairs?: number[]; baseline?: boolean };
  /** Export the best model as an engine head. */
  exportHead?: {
    dir: string;
    id: string;
    modelId: string;
    createdAt?: number;
    metrics?: unknown;
    params?: unknown;
  };
  /** Send the best model's state back. */
  returnState?: boolean;
}

/** What a finished job returns: the trainer's result without the live model, plus what the job asked for. */
export interface TrainJobResult extends Omit<TrainResult, 'model'> {
  evaluation?: RetrievalMetrics;
  baseline?: RetrievalMetrics;
  head?: unknown;
  state?: ModelState;
}

/** Client → worker. */
export type ToWorker = { type: 'start'; job: TrainJob } | { type: 'cancel' };

/** Worker → client. */
export type FromWorker =
  | { type: 'progress'; progress: TrainProgress }
  | { type: 'phase'; phase: TrainPhaseView }
  | { type: 'notice'; message: string }
  | { type: 'done'; result: TrainJobResult }
  | { type: 'error'; error: ApiError };
