/**
 * One training job, run on the calling thread: train (trainer.ts), then evaluate, export the head and return
 * the model state as the job asks. The training worker (train-worker.ts) serves jobs with this; so does a
 * caller that brings its own model factory, which cannot cross to a worker thread because it is a function.
 */
import type { MessagePort } from 'node:worker_threads';
import type { TrainPhaseView } from '../../contract/api.ts';
import { toApiError } from '../errors.ts';
import { evaluateRetrieval, lshEncoder } from './evaluate.ts';
import { trainModel, type ModelFactory, type TrainProgress } from './trainer.ts';
import { trainPhase } from './train-phases.ts';
import type { FromWorker, ToWorker, TrainJob, TrainJobResult } from './train-worker-protocol.ts';

/** Callbacks for a running job. */
export interface TrainHandlers {
  onProgress?: (p: TrainProgress) => void;
  /** What the job does outside its training steps (train-phases.ts), so no wait is silent. */
  onPhase?: (p: TrainPhaseView) => void;
  /** Notices such as "CUDA unavailable, running on CPU because …". */
  onNotice?: (message: string) => void;
  /** Aborting stops the job between steps: the result rejects with GlintError('cancelled'). */
  signal?: AbortSignal;
}

/** Runs `job` here; `createModel` builds the model (default: the ONNX DGHDGH model). */
export async function runTrainJob(
  job: TrainJob,
  handlers: TrainHandlers = {},
  createModel?: ModelFactory,
): Promise<TrainJobResult> {
  const { data } = job;
  const trained = await trainModel(
    { train: data.train, validation: data.validation },
    {
      config: job.config,
      seed: job.seed,
      epochs: job.epochs,
      ...(job.batchSize === undefined ? {} : { batchSize: job.batchSize }),
      ...(job.patience === undefined ? {} : { patience: job.patience }),
      ...(job.validateAgainst === undefined ? {} : { validateAgainst: job.validateAgainst }),
      ...(job.device === undefined ? {} : { device: job.device }),
      ...(job.threads === undefined ? {} : { threads: job.threads }),
      ...(job.checkpoint === undefined ? {} : { checkpoint: job.checkpoint }),
      ...(job.resume === undefined ? {} : { resume: job.resume }),
      ...(job.init === undefined ? {} : { init: job.init }),
      ...(createModel ? { createModel } : {}),
      ...(job.diagnostics === undefined ? {} : { diagnostics: job.diagnostics }),
      ...(job.monitorQuery && data.query && data.database
        ? { monitor: { query: data.query, database: data.database } }
        : {}),
      ...(handlers.signal ? { signal: handlers.signal } : {}),
      ...(handlers.onProgress ? { onProgress: handlers.onProgress } : {}),
      ...(handlers.onPhase ? { onPhase: handlers.onPhase } : {}),
    },
  );
  const { model } = trained;
  try {
    if (model.fallback) handlers.onNotice?.(model.fallback);
    const { model: _live, ...summary } = trained;
    const result: TrainJobResult = summary;
    if (job.evaluate) {
      const query = data.query ?? data.validation;
      const database = data.database ?? data.validation;
      const sets = { query, database, classes: trained.config.classes, bits: trained.config.bits };
      const opts = job.evaluate.fisherPairs ? { fisherPairs: job.evaluate.fisherPairs } : {};
      result.evaluation = await evaluateRetrieval((m, x, n) => model.encode(m, x, n), sets, opts);
      if (job.evaluate.baseline) {
        result.baseline = await evaluateRetrieval(
          lshEncoder(data.train, trained.config.bits, job.seed),
          sets,
          opts,
        );
      }
    }
    if (job.exportHead) {
      const e = job.exportHead;
      handlers.onPhase?.(trainPhase.saving(undefined));
      result.head = await model.exportHead(e.dir, {
        id: e.id,
        modelId: e.modelId,
        ...(e.createdAt === undefined ? {} : { createdAt: e.createdAt }),
        ...(e.metrics === undefined ? {} : { metrics: e.metrics }),
        ...(e.params === undefined ? {} : { params: e.params }),
      });
    }
    if (job.returnState) result.state = model.state();
    return result;
  } finally {
    await model.release();
  }
}

/**
 * Serves one job arriving on a worker thread's `port` (its parentPort): progress and notices stream back,
 * 'cancel' stops between steps, the result or the error ends the job. `createModel` as for runTrainJob.
 */
export function serveTrainJobs(port: MessagePort, createModel?: ModelFactory): void {
  const abort = new AbortController();
  const send = (message: FromWorker): void => port.postMessage(message);
  port.on('message', (message: ToWorker) => {
    if (message.type === 'cancel') {
      abort.abort();
      return;
    }
    const handlers: TrainHandlers = {
      signal: abort.signal,
      onProgress: (progress) => send({ type: 'progress', progress }),
      onPhase: (phase) => send({ type: 'phase', phase }),
      onNotice: (notice) => send({ type: 'notice', message: notice }),
    };
    runTrainJob(message.job, handlers, createModel).then(
      (result) => send({ type: 'done', result }),
      (err: unknown) => {
        const error = toApiError(err);
        // The stack goes to the log (stderr); the other side gets the one error shape.
        if (error.code === 'internal') console.error(err);
        send({ type: 'error', error });
      },
    );
  });
}
