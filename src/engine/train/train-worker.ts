/**
 * The training worker thread: ONNX `session.run` blocks the thread it runs on, so training (and the
 * evaluation and head export that need the trained model) runs here, off the caller's thread. One job per
 * worker; progress is streamed back; a 'cancel' message stops between steps (the checkpoint stays).
 */
import { parentPort } from 'node:worker_threads';
import { GlintError, errorMessage } from '../errors.ts';
import { loadWikiDataset, selectRows } from './dataset-wiki.ts';
import { splitValidation } from './split-validation.ts';
import { evaluateRetrieval, lshEncoder, type PairedSet } from './evaluate.ts';
import { trainModel, type ModelFactory } from './trainer.ts';
import type { FromWorker, ToWorker, TrainJob, TrainJobResult } from './train-worker-protocol.ts';

const abort = new AbortController();

function send(message: FromWorker): void {
  parentPort?.postMessage(message);
}

function loadData(job: TrainJob): {
  train: PairedSet;
  validation: PairedSet;
  query?: PairedSet;
  database?: PairedSet;
} {
  if (job.data.kind === 'arrays') return job.data;
  const ds = loadWikiDataset(job.data.path);
  const split = splitValidation(ds.train.n, job.data.validationFraction, job.data.splitSeed);
  // NOTE: validation rows come out of the training set; the query set is only touched by the final evaluation,
  // and the retrieval database is the whole training set (the benchmark's protocol).
  return {
    train: selectRows(ds.train, split.train),
    validation: selectRows(ds.train, split.validation),
    query: ds.query,
    database: ds.train,
  };
}

async function run(job: TrainJob): Promise<TrainJobResult> {
  const data = loadData(job);
  const createModel = job.modelModule
    ? ((await import(job.modelModule)) as { createModel: ModelFactory }).createModel
    : undefined;
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
      signal: abort.signal,
      onProgress: (progress) => send({ type: 'progress', progress }),
    },
  );
  const { model } = trained;
  try {
    if (model.fallback) send({ type: 'notice', message: model.fallback });
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

parentPort?.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') {
    abort.abort();
    return;
  }
  run(message.job).then(
    (result) => send({ type: 'done', result }),
    (err: unknown) =>
      send({
        type: 'error',
        code: err instanceof GlintError ? err.code : 'internal',
        message:
          err instanceof GlintError ? err.message : `${errorMessage(err)}\n${(err as Error)?.stack ?? ''}`,
      }),
  );
});
