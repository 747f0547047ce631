/**
 * Runs a training job on its own worker thread (train-worker.ts): streams progress, supports a soft cancel
 * (stops between steps; the last per-epoch checkpoint stays, so `resume` continues) and a hard `terminate`.
 */
import { Worker } from 'node:worker_threads';
import { GlintError, fromApiError } from '../errors.ts';
import type { TrainHandlers } from './train-job.ts';
import type { FromWorker, TrainJob, TrainJobResult } from './train-worker-protocol.ts';

export type { TrainJob, TrainJobResult, TrainData } from './train-worker-protocol.ts';
export type { TrainHandlers } from './train-job.ts';

/** A new training worker thread (train-worker.ts: the ONNX DGHDGH model), the default thread of a TrainRun. */
function trainWorker(): Worker {
  return new Worker(new URL('./train-worker.ts', import.meta.url));
}

/**
 * A training job running on a worker thread: `worker` is the thread (default: a new `trainWorker()`); any
 * thread that serves jobs with `serveTrainJobs` (train-job.ts), e.g. with another model factory, will do.
 */
export class TrainRun {
  /** Resolves with the job's result; rejects with the worker's error (GlintError codes kept). */
  readonly result: Promise<TrainJobResult>;
  private readonly worker: Worker;
  private settled = false;

  constructor(job: TrainJob, handlers: TrainHandlers = {}, worker: Worker = trainWorker()) {
    this.worker = worker;
    this.result = new Promise<TrainJobResult>((resolve, reject) => {
      const finish = (fn: () => void): void => {
        if (this.settled) return;
        this.settled = true;
        handlers.signal?.removeEventListener('abort', onAbort);
        fn();
        void this.worker.terminate();
      };
      const onAbort = (): void => this.cancel();
      handlers.signal?.addEventListener('abort', onAbort);
      this.worker.on('message', (m: FromWorker) => {
        if (m.type === 'progress') handlers.onProgress?.(m.progress);
        else if (m.type === 'phase') handlers.onPhase?.(m.phase);
        else if (m.type === 'notice') handlers.onNotice?.(m.message);
        else if (m.type === 'done') finish(() => resolve(m.result));
        else finish(() => reject(fromApiError(m.error)));
      });
      this.worker.on('error', (err) => finish(() => reject(err)));
      this.worker.on('exit', (code) =>
        finish(() =>
          reject(
            new GlintError(
              'cancelled',
              `Training stopped: the worker exited (code ${code}) before finishing.`,
            ),
          ),
        ),
      );
      if (handlers.signal?.aborted) onAbort();
    });
    this.worker.postMessage({ type: 'start', job });
  }

  /** Asks the worker to stop after the current step. */
  cancel(): void {
    if (!this.settled) this.worker.postMessage({ type: 'cancel' });
  }

  /** Kills the worker thread at once (as a crash would); the result rejects. */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Runs a job on a worker thread and waits for its result. */
export function runTraining(job: TrainJob, handlers: TrainHandlers = {}): Promise<TrainJobResult> {
  return new TrainRun(job, handlers).result;
}
