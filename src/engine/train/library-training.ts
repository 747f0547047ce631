/**
 * Retraining the hash head on a library's own tags: build the library dataset, hold out a validation split
 * (from the tagged photos themselves), and train in two stages on a worker thread. Stage 1 ("quick") is the
 * plain triplet head (DGHDGH's no-DGS ablation: seconds on a library); stage 2 is full DGHDGH, starting from
 * the quick head's hash layers. Each stage exports its head to `<library>/heads/<id>/`, registers it (metrics
 * with the validation mAP of the new AND the then-active head on the same split, both computed through the
 * engine's head runner), and activates it only when it beats the head active at that moment — so search
 * improves as soon as the quick head is better, and DGHDGH replaces it only if it is better still.
 * Activation re-hashes every item from cached embeddings (no re-encoding); earlier heads stay in the store,
 * and a per-model activation history makes `rollbackHead` possible.
 */
import { join } from 'node:path';
import type { TrainPhaseView } from '../../contract/api.ts';
import { GlintError } from '../errors.ts';
import { rehashFromEmbeddings, type ActiveHead } from '../hash/active-head.ts';
import type { LibraryPaths } from '../library-paths.ts';
import type { Device } from '../onnx/runtime.ts';
import {
  activateHead,
  countEmbeddings,
  getHead,
  getJsonSetting,
  putHead,
  setJsonSetting,
  type HeadRecord,
  type Store,
} from '../store/index.ts';
import type { CodeBits } from '../types.ts';
import type { EncoderClient } from '../worker/encoder-client.ts';
import type { DghdghConfig } from './dghdgh/config.ts';
import { loadLibraryDataset, selectPairedRows, type LibraryDataset } from './dataset-library.ts';
import { splitValidation } from './split-validation.ts';
import { validationMap, type PairedSet } from './evaluate.ts';
import { runTraining, type TrainHandlers, type TrainJob, type TrainJobResult } from './train-client.ts';
import { epochsProblem } from '../../contract/epochs.ts';
import { saveLastRun, type LastRunStage } from './last-run.ts';
import { runTrainJob } from './train-job.ts';
import { trainPhase } from './train-phases.ts';
import type { EpochRecord, ModelFactory, TrainProgress } from './trainer.ts';

/**
 * The label loss of library training. A photo has several tags that do not compete for one slot, so each tag
 * is its own sigmoid: on a planted multi-label fixture (test/engine/train/dghdgh/label-loss.test.ts) per-class
 * BCE matched or beat the sum-normalised softmax CE (which Wiki's one class per item keeps).
 */
export const LIBRARY_LABEL_LOSS: DghdghConfig['labelLoss'] = 'bce';

/** What library training needs from the engine. */
export interface LibraryContext {
  store: Store;
  encoder: EncoderClient;
  paths: LibraryPaths;
  modelId: string;
  /** The head active now. */
  head: ActiveHead;
}

/** Options for `trainLibraryHead`. */
export interface LibraryTrainOptions {
  /** Code length (default: the active head's). */
  bits?: CodeBits;
  epochs?: number;
  batchSize?: number;
  seed?: number;
  /** Share of tagged photos held out for validation (default 0.2). */
  validationFraction?: number;
  patience?: number;
  ablations?: readonly string[];
  /** Hyper-parameters to override on top of defaultConfig. */
  config?: Partial<Omit<DghdghConfig, 'bits' | 'dims' | 'classes' | 'ablation'>>;
  device?: Device;
  threads?: number;
  minPhotos?: number;
  /** The base configuration for a data set's shape (default: the model's `defaultConfig`). */
  baseConfig?: (p: { bits: number; dims: { image: number; text: number }; classes: number }) => DghdghConfig;
  /**
   * Builds the model instead of the ONNX DGHDGH model. Such a job runs on this thread: a factory is a function
   * and cannot be sent to the training worker, and only a small JS model (a test's) is cheap enough to run here.
   */
  createModel?: ModelFactory;
  /** The quick plain-triplet stage before DGHDGH (default on, as many epochs as DGHDGH); false skips it. */
  quick?: false | { epochs?: number };
  /** Called when a stage's outcome is known (the quick one while DGHDGH is still to train). */
  onStage?: (outcome: StageOutcome) => void;
  /** Called right after a stage activated its head (the engine points search at it). */
  onActivate?: (head: ActiveHead) => void;
  onProgress?: (p: TrainProgress) => void;
  /** What the run does outside its training steps, from its first moment to the last re-hash (train-phases.ts). */
  onPhase?: (p: TrainPhaseView) => void;
  onNotice?: (message: string) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

/** Validation mAP of one head on the held-out split. */
export interface HeadValidation {
  id: string;
  bits: number;
  map: number;
  it: number;
  ti: number;
  /** The radius that best separates validation pairs sharing a tag from the rest (validation-radius.ts). */
  radius?: { 'text-image': number; 'image-text': number };
}

/** What one training stage did. */
export interface StageOutcome {
  stage: 'quick' | 'dghdgh';
  head: HeadRecord;
  activated: boolean;
  /** The new head and the head active when the stage ended, on the same validation photos. */
  validation: { trained: HeadValidation; active: HeadValidation };
  bestEpoch: number;
  epochsRun: number;
  msPerEpoch: number;
}

/** What library training did (`head`, `activated` and `validation` are the DGHDGH stage's). */
export interface LibraryTrainResult {
  /** The quick stage, when it ran. */
  quick?: StageOutcome;
  head: HeadRecord;
  activated: boolean;
  /** The head active after training (the new one when `activated`). */
  active: ActiveHead;
  previous: ActiveHead;
  validation: { trained: HeadValidation; active: HeadValidation; rows: number; trainRows: number };
  dataset: { photos: number; tags: string[]; captioned: number; phrased: number };
  bestEpoch: number;
  epochsRun: number;
  msPerEpoch: number;
  history: EpochRecord[];
  provider: Device;
  fallback?: string;
}

const HISTORY_KEY = (modelId: string): string => `head-history:${modelId}`;
// NOTE: the rollback stack only needs the last few activations; older entries are dropped.
const HISTORY_MAX = 20;

/** Validation mAP of the head in `dir`, through the engine's own head runner (as search would use it). */
async function headValidation(
  ctx: LibraryContext,
  id: string,
  dir: string,
  bits: number,
  set: PairedSet,
  classes: number,
): Promise<HeadValidation> {
  const v = await validationMap(
    async (m, x, n) => (await ctx.encoder.hash(dir, m, x.slice(), n)).codes,
    set,
    classes,
    bits,
  );
  return { id, bits, ...v };
}

/**
 * Makes head `id` the active head of the model: re-hash from cached embeddings, activate, record history.
 * `onRehash` hears the re-hash's progress (items done of total).
 */
export async function switchHead(
  ctx: LibraryContext,
  id: string,
  recordHistory = true,
  onRehash?: (done: number, total: number) => void,
): Promise<ActiveHead> {
  const rec = getHead(ctx.store, id);
  if (!rec || rec.modelId !== ctx.modelId) {
    throw new GlintError(
      'not-found',
      `No hash head "${id}" for model ${ctx.modelId}: see \`glint heads list\`.`,
    );
  }
  const next: ActiveHead = { id: rec.id, kind: rec.kind, bits: rec.bits, dir: rec.dir };
  if (rec.id === ctx.head.id) return next;
  // NOTE: codes are re-made even for a head that was active before: items indexed since then have codes
  // only for the head that was active when they were indexed.
  await rehashFromEmbeddings(ctx.store, ctx.encoder, next, ctx.modelId, onRehash);
  activateHead(ctx.store, rec.id);
  if (recordHistory) {
    const history = getJsonSetting<string[]>(ctx.store, HISTORY_KEY(ctx.modelId), []);
    setJsonSetting(ctx.store, HISTORY_KEY(ctx.modelId), [...history, ctx.head.id].slice(-HISTORY_MAX));
  }
  return next;
}

/** Re-activates the head that was active before the current one; GlintError('not-found') when there is none. */
export async function rollbackHead(ctx: LibraryContext): Promise<ActiveHead> {
  const history = getJsonSetting<string[]>(ctx.store, HISTORY_KEY(ctx.modelId), []);
  while (history.length) {
    const id = history.pop()!;
    if (id === ctx.head.id || !getHead(ctx.store, id)) continue;
    const head = await switchHead(ctx, id, false);
    setJsonSetting(ctx.store, HISTORY_KEY(ctx.modelId), history);
    return head;
  }
  setJsonSetting(ctx.store, HISTORY_KEY(ctx.modelId), []);
  throw new GlintError('not-found', 'There is no previous head to roll back to: see `glint heads list`.');
}

/** A new head id that sorts by time and names its kind and code length (suffixed when that id is taken). */
function newHeadId(store: Store, bits: number, now: Date, kind: string): string {
  const base = `${kind}-${bits}-${now.toISOString().replace(/[-:.]/g, '')}`;
  let id = base;
  for (let k = 2; getHead(store, id); k++) id = `${base}-${k}`;
  return id;
}

interface StageInput {
  stage: 'quick' | 'dghdgh';
  config: DghdghConfig;
  train: PairedSet;
  validation: PairedSet;
  ds: LibraryDataset;
  seed: number;
  epochs: number;
  init?: Record<string, Float64Array>;
}

/** One stage: train, export, register, compare with the active head on the validation photos, activate if better. */
async function trainStage(
  ctx: LibraryContext,
  opts: LibraryTrainOptions,
  p: StageInput,
): Promise<{ outcome: StageOutcome; trained: TrainJobResult; active: ActiveHead }> {
  const now = opts.now ?? (() => new Date());
  const { config, ds, train, validation } = p;
  const bits = config.bits;
  const created = now();
  const id = newHeadId(ctx.store, bits, created, p.stage === 'quick' ? 'triplet' : 'dghdgh');
  const dir = join(ctx.paths.heads, id);
  const { createModel } = opts;
  const stage = p.stage;
  // Every phase of this stage carries the stage, so the view can say "step 1 of 2".
  const onPhase = opts.onPhase && ((ph: TrainPhaseView) => opts.onPhase?.({ ...ph, stage }));
  onPhase?.(trainPhase.compiling(stage));
  const run = createModel ? (j: TrainJob, h: TrainHandlers) => runTrainJob(j, h, createModel) : runTraining;
  const trained = await run(
    {
      data: { train, validation },
      config,
      seed: p.seed,
      epochs: p.epochs,
      ...(opts.batchSize === undefined ? {} : { batchSize: opts.batchSize }),
      ...(opts.patience === undefined ? {} : { patience: opts.patience }),
      ...(opts.device === undefined ? {} : { device: opts.device }),
      ...(opts.threads === undefined ? {} : { threads: opts.threads }),
      ...(p.init ? { init: p.init } : {}),
      returnState: p.stage === 'quick',
      exportHead: { dir, id, modelId: ctx.modelId, createdAt: created.getTime(), params: { tags: ds.tags } },
    },
    {
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(onPhase ? { onPhase } : {}),
      ...(opts.onNotice ? { onNotice: opts.onNotice } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
  );
  onPhase?.(trainPhase.comparing(stage, validation.n));
  const newVal = await headValidation(ctx, id, dir, bits, validation, ds.classes);
  const activeVal = await headValidation(
    ctx,
    ctx.head.id,
    ctx.head.dir,
    ctx.head.bits,
    validation,
    ds.classes,
  );
  const activated = newVal.map > activeVal.map;
  const what = p.stage === 'quick' ? 'quick plain-triplet head' : 'DGHDGH head';
  const metrics = {
    stage: p.stage,
    validation: {
      trained: newVal,
      active: activeVal,
      rows: validation.n,
      trainRows: train.n,
      split: { seed: p.seed, fraction: opts.validationFraction ?? 0.2 },
    },
    decision: activated
      ? `activated the ${what}: validation mAP beats the active head`
      : `kept the active head: the ${what}'s validation mAP did not beat it`,
    training: {
      bestEpoch: trained.bestEpoch,
      bestValMap: trained.bestValMap,
      epochsRun: trained.epochsRun,
      msPerEpoch: trained.msPerEpoch,
      provider: trained.provider,
      ...(p.init ? { initialisedFrom: 'the quick head of this run (hash layers and CL1)' } : {}),
      // NOTE: the per-epoch record (diagnostics included) is the library's run record of this stage.
      history: trained.history.map((h) => ({
        epoch: h.epoch,
        valMap: h.valMap,
        hl: h.meanLosses.hl,
        go: h.meanLosses.go,
        tau: h.tau,
        gammaSyn: h.gammaSyn,
        ...(h.diagnostics ? { diagnostics: h.diagnostics } : {}),
      })),
    },
    dataset: {
      photos: ds.n,
      tags: ds.tags,
      captioned: ds.captioned,
      phrased: ds.phrased,
      rejections: ds.negatives.reduce((a, b) => a + b, 0),
      rejectedOnlyPhotos: ds.n - ds.labelled,
    },
    config,
  };
  putHead(ctx.store, {
    id,
    kind: 'dghdgh',
    bits,
    modelId: ctx.modelId,
    dir,
    createdAt: created.getTime(),
    metrics,
  });
  if (activated) {
    const total =
      countEmbeddings(ctx.store, ctx.modelId, 'image') + countEmbeddings(ctx.store, ctx.modelId, 'text');
    onPhase?.(trainPhase.rehashing(stage, 0, total));
  }
  const active = activated
    ? await switchHead(ctx, id, true, (done, total) => onPhase?.(trainPhase.rehashing(stage, done, total)))
    : ctx.head;
  if (activated) opts.onActivate?.(active);
  const outcome: StageOutcome = {
    stage: p.stage,
    head: getHead(ctx.store, id)!,
    activated,
    validation: { trained: newVal, active: activeVal },
    bestEpoch: trained.bestEpoch,
    epochsRun: trained.epochsRun,
    msPerEpoch: trained.msPerEpoch,
  };
  opts.onStage?.(outcome);
  return { outcome, trained, active };
}

/**
 * The quick head's hash layers and CL1, by name, from its returned state (null when the state is not a flat
 * buffer of that layout, e.g. a test model's).
 */
async function quickInit(
  config: DghdghConfig,
  state: unknown,
): Promise<Record<string, Float64Array> | undefined> {
  const params = (state as { params?: unknown } | undefined)?.params;
  if (!(params instanceof Float32Array || params instanceof Float64Array)) return undefined;
  const { namedParams } = await import('./dghdgh/params.ts');
  return namedParams(config, params, (n) => n.startsWith('hash.') || n.startsWith('cl1.')) ?? undefined;
}

/**
 * Trains heads on the library's tags: the quick plain-triplet head, then DGHDGH continuing from it (see the
 * module comment); each is activated only when its validation mAP beats the head active at that moment.
 */
export async function trainLibraryHead(
  ctx: LibraryContext,
  opts: LibraryTrainOptions = {},
): Promise<LibraryTrainResult> {
  const seed = opts.seed ?? 0;
  const epochs = opts.epochs ?? 30;
  const bad = epochsProblem(epochs);
  if (bad) throw new GlintError('usage', `Epochs ${bad}.`);
  const ds: LibraryDataset = await loadLibraryDataset(
    ctx.store,
    ctx.modelId,
    async (texts) => (await ctx.encoder.texts(texts)).embeddings,
    {
      ...(opts.minPhotos === undefined ? {} : { minPhotos: opts.minPhotos }),
      ...(opts.onPhase ? { onPhase: opts.onPhase } : {}),
    },
  );
  // NOTE: only tagged rows are held out; rows known only by rejected suggestions always train (dataset-library.ts).
  const split = splitValidation(ds.labelled, opts.validationFraction ?? 0.2, seed);
  const rejectedRows = Array.from({ length: ds.n - ds.labelled }, (_, k) => ds.labelled + k);
  const train = selectPairedRows(ds, [...split.train, ...rejectedRows]);
  const validation = selectPairedRows(ds, split.validation);
  opts.onPhase?.(trainPhase.splitting(validation.n, ds.labelled));
  const bits = opts.bits ?? (ctx.head.bits as CodeBits);
  // NOTE: the model's modules load on demand, so opening a library never pays for them.
  const { applyAblation, defaultConfig } = await import('./dghdgh/config.ts');
  const base = opts.baseConfig ?? defaultConfig;
  let config: DghdghConfig = {
    ...base({ bits, dims: ds.dims, classes: ds.classes }),
    labelLoss: LIBRARY_LABEL_LOSS,
    ...opts.config,
  };
  for (const a of opts.ablations ?? []) config = applyAblation(config, a);
  const previous = ctx.head;
  let here = ctx;
  let quick: Awaited<ReturnType<typeof trainStage>> | undefined;
  if (opts.quick !== false && config.ablation.dgs) {
    const quickConfig = applyAblation(config, 'no-dgs');
    const common = { config: quickConfig, train, validation, ds, seed };
    quick = await trainStage(here, opts, { ...common, stage: 'quick', epochs: opts.quick?.epochs ?? epochs });
    here = { ...ctx, head: quick.active };
  }
  const init = quick ? await quickInit(applyAblation(config, 'no-dgs'), quick.trained.state) : undefined;
  const full = await trainStage(here, opts, {
    stage: 'dghdgh',
    config,
    train,
    validation,
    ds,
    seed,
    epochs,
    ...(init ? { init } : {}),
  });
  const { trained, outcome } = full;
  const result: LibraryTrainResult = {
    ...(quick ? { quick: quick.outcome } : {}),
    head: outcome.head,
    activated: outcome.activated,
    active: full.active,
    previous,
    validation: { ...outcome.validation, rows: validation.n, trainRows: train.n },
    dataset: { photos: ds.n, tags: ds.tags, captioned: ds.captioned, phrased: ds.phrased },
    bestEpoch: trained.bestEpoch,
    epochsRun: trained.epochsRun,
    msPerEpoch: trained.msPerEpoch,
    history: trained.history,
    provider: trained.provider,
  };
  if (trained.fallback !== undefined) result.fallback = trained.fallback;
  const stageRecord = (o: StageOutcome): LastRunStage => ({
    headId: o.head.id,
    activated: o.activated,
    before: o.validation.active.map,
    after: o.validation.trained.map,
  });
  saveLastRun(ctx.store, {
    finishedAt: (opts.now ?? (() => new Date()))().getTime(),
    epochs,
    photos: ds.labelled,
    heldOut: validation.n,
    ...(quick ? { quick: stageRecord(quick.outcome) } : {}),
    final: stageRecord(outcome),
  });
  return result;
}
