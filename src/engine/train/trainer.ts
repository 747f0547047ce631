/**
 * The DGHDGH training loop: epochs of seeded shuffled batches (the two alternating phases run inside
 * `model.step`), the τ / γ_syn schedule from the previous epoch's loss means, validation mAP after every
 * epoch on rows held out of the TRAINING set (never the query set), early stopping with patience, the best
 * epoch's state kept, and an atomic checkpoint after every epoch from which `resume` continues exactly.
 *
 * Determinism: the batch order of epoch e comes from createRng(seed, 'epoch-e') alone, and the model's own RNG
 * (triplet sampling) is part of its state, so a run resumed from the checkpoint of epoch e reproduces the
 * uninterrupted run bit for bit on the same device and thread count.
 */
import { existsSync } from 'node:fs';
import type { TrainPhaseView } from '../../contract/api.ts';
import { GlintError } from '../errors.ts';
import type { Device } from '../onnx/runtime.ts';
import { readCheckpoint, writeCheckpoint } from './checkpoint.ts';
import type { DghdghConfig } from './dghdgh/config.ts';
import type { DghdghBatch, DghdghModel, StepLosses } from './dghdgh/model.ts';
import { validationMap, type PairedSet } from './evaluate.ts';
import { createRng, shuffleInPlace } from './metrics-random.ts';
import { epochGammaSyn, RunningMean, stepTau, type ScheduleInputs } from './schedule.ts';
import { trainPhase } from './train-phases.ts';
import type { GradNormTerm } from './dghdgh/diagnostics.ts';
import {
  concatRaw,
  diagnosticStats,
  type DiagnosticStats,
  type RawDiagnostics,
} from './dghdgh/diagnostics-stats.ts';

/** The model's serialisable state (parameters, optimiser moments, step counts, RNG). */
export type ModelState = ReturnType<DghdghModel['state']>;

/** The part of DghdghModel the trainer drives (a factory may return any object that has it). */
export type TrainableModel = Pick<
  DghdghModel,
  'config' | 'provider' | 'fallback' | 'step' | 'encode' | 'state' | 'exportHead' | 'release'
> &
  Partial<Pick<DghdghModel, 'diagnose'>>;

/** Creates a model (fresh, or from a saved state). */
export type ModelFactory = (
  config: DghdghConfig,
  opts: {
    seed: number;
    device?: Device;
    threads?: number;
    state?: ModelState;
    init?: Readonly<Record<string, ArrayLike<number>>>;
  },
) => Promise<TrainableModel>;

/** The default factory: the ONNX DGHDGH model (loaded on first use, so importing the trainer stays cheap). */
export const createDghdghModel: ModelFactory = async (config, opts) => {
  const { DghdghModel } = await import('./dghdgh/model.ts');
  return DghdghModel.create(config, opts);
};

/** One progress event: after every step, and once more at the end of each epoch with `valMap`. */
export interface TrainProgress {
  kind: 'step' | 'epoch';
  /** 1-based epoch. */
  epoch: number;
  epochs: number;
  /** 1-based step within the epoch. */
  step: number;
  steps: number;
  /** This step's losses ('step'), or the epoch's means ('epoch'). */
  losses: StepLosses;
  tau: number;
  gammaSyn: number;
  /** Validation mAP (mean of I→T and T→I), on 'epoch' events. */
  valMap?: number;
  /** Whether this epoch is the best so far ('epoch' events). */
  best?: boolean;
  /** Time since this run (or resumed run) started. */
  elapsedMs: number;
}

/** Per-epoch diagnostics (see dghdgh/diagnostics-stats.ts), on the first batches of the epoch's order after its steps. */
export interface EpochDiagnostics extends DiagnosticStats {
  /** τ and γ_syn the diagnostics were computed with (the epoch's last step's τ). */
  tau: number;
  gammaSyn: number;
  /** The epoch's mean L_real and γ_syn·L_syn over its training steps. */
  lReal: number;
  gammaLSyn: number;
  /** ‖∂term/∂θ_hash‖₂ per phase-1 term (mean over the diagnosed batches), at the epochs of `gradEpochs`. */
  gradNorms?: Partial<Record<GradNormTerm, number>>;
  /** Batches diagnosed, and the wall time it took (not part of trainMs). */
  batches: number;
  ms: number;
}

/** What happened in one epoch. */
export interface EpochRecord {
  epoch: number;
  /** Mean τ over the epoch's steps (under tau 'reference' it changes every step). */
  tau: number;
  /** τ of the epoch's first and last step. */
  tauFirst: number;
  tauLast: number;
  gammaSyn: number;
  meanLosses: StepLosses;
  valMap: number;
  valMapIT: number;
  valMapTI: number;
  /** Wall time of the epoch's steps (training only, without validation). */
  trainMs: number;
  /** Wall time of the validation pass. */
  valMs: number;
  /** Absent when the model has no diagnostics or they are off. */
  diagnostics?: EpochDiagnostics;
  /** mAP of `TrainOptions.monitor` (a benchmark's query set) at this epoch: recorded, never used for model choice. */
  monitor?: { it: number; ti: number };
}

/** Trainer state saved in checkpoints. */
export interface TrainerState {
  seed: number;
  batchSize: number;
  epochs: number;
  patience: number;
  /** Epochs completed. */
  done: number;
  history: EpochRecord[];
  prev: ScheduleInputs;
  best: { epoch: number; valMap: number; state: ModelState } | null;
  /** Epochs since the best one. */
  sinceBest: number;
  stoppedEarly: boolean;
}

/** Training options. */
export interface TrainOptions {
  config: DghdghConfig;
  seed: number;
  epochs: number;
  /** Rows per batch (default 128, the paper's). */
  batchSize?: number;
  /** Stop after this many epochs without a better validation mAP (default: never stop early). */
  patience?: number;
  /**
   * What validation queries are ranked against: the validation rows themselves (default), or the training
   * rows — the benchmark's own protocol when its retrieval database is its training set (Wiki), so model
   * choice sees how well the database items are fitted, as the final evaluation will.
   */
  validateAgainst?: 'validation' | 'train';
  device?: Device;
  threads?: number;
  /** Initial values of named tensors for a fresh model (e.g. the hash layers of a quick head to continue from). */
  init?: Readonly<Record<string, ArrayLike<number>>>;
  /** Where to write a checkpoint after each epoch. */
  checkpoint?: string;
  /** Continue from `checkpoint` when it exists (its config and seed win over the ones given). */
  resume?: boolean;
  /**
   * Per-epoch diagnostics (default on: 2 batches; gradient norms at epochs 1, 5, 10, 30, 100 and the last);
   * false turns them off.
   */
  diagnostics?: false | { batches?: number; gradEpochs?: readonly number[] };
  /**
   * A query set and database evaluated after every epoch and recorded in the history only (model choice stays
   * on the validation split): what a protocol that picks the best epoch on the query set would see.
   */
  monitor?: { query: PairedSet; database: PairedSet };
  onProgress?: (p: TrainProgress) => void;
  /** What the run does outside its steps (compiling, checking an epoch, going back to the best one). */
  onPhase?: (p: TrainPhaseView) => void;
  /** Aborting stops between steps with GlintError('cancelled'); the last checkpoint stays. */
  signal?: AbortSignal;
  createModel?: ModelFactory;
  now?: () => number;
}

/** The result of a run: the model holds the BEST epoch's state (release it when done). */
export interface TrainResult {
  model: TrainableModel;
  config: DghdghConfig;
  history: EpochRecord[];
  bestEpoch: number;
  bestValMap: number;
  epochsRun: number;
  stoppedEarly: boolean;
  /** Mean training time per epoch (steps only), over the epochs this process ran. */
  msPerEpoch: number;
  provider: Device;
  fallback?: string;
  resumedFrom?: number;
}

/** Loss names, in the StepLosses order. */
export const LOSS_KEYS = ['hl', 'real', 'syn', 'sp1', 'sp2', 'go', 'is', 'sp', 'cd'] as const;

function checkSets(train: PairedSet, validation: PairedSet, config: DghdghConfig): void {
  const C = config.classes;
  for (const [name, s] of [
    ['training', train],
    ['validation', validation],
  ] as const) {
    if (s.image.length !== s.n * config.dims.image || s.text.length !== s.n * config.dims.text) {
      throw new GlintError(
        'train-bad-input',
        `${name} set: ${s.n} rows do not match the model's ${config.dims.image}-d image / ${config.dims.text}-d text inputs`,
      );
    }
    if (s.labels.length !== s.n * C)
      throw new GlintError('train-bad-input', `${name} set: labels are not ${s.n} × ${C}`);
  }
  if (train.n < 2) throw new GlintError('train-bad-input', 'training needs at least 2 rows');
}

/** Copies the rows `idx[from..to)` of a set into a batch (labels, and known negatives when it has them, as float32). */
export function gatherBatch(
  set: PairedSet,
  idx: ArrayLike<number>,
  from: number,
  to: number,
  classes: number,
): DghdghBatch {
  const n = to - from;
  const di = set.image.length / set.n;
  const dt = set.text.length / set.n;
  const image = new Float32Array(n * di);
  const text = new Float32Array(n * dt);
  const labels = new Float32Array(n * classes);
  for (let k = 0; k < n; k++) {
    const i = idx[from + k] as number;
    image.set(set.image.subarray(i * di, (i + 1) * di), k * di);
    text.set(set.text.subarray(i * dt, (i + 1) * dt), k * dt);
    for (let c = 0; c < classes; c++) labels[k * classes + c] = set.labels[i * classes + c] as number;
  }
  const neg = set.negatives;
  if (!neg) return { n, image, text, labels };
  const negatives = new Float32Array(n * classes);
  for (let k = 0; k < n; k++) {
    const i = idx[from + k] as number;
    for (let c = 0; c < classes; c++) negatives[k * classes + c] = neg[i * classes + c] as number;
  }
  return { n, image, text, labels, negatives };
}

/** Batch boundaries of an epoch: full batches, plus the remainder when it has at least 2 rows. */
export function batchBounds(n: number, batchSize: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let from = 0; from < n; from += batchSize) {
    const to = Math.min(n, from + batchSize);
    // NOTE: a 1-row batch has no positive and no negative to form a triplet with; it is skipped.
    if (to - from >= 2) out.push([from, to]);
  }
  return out;
}

/** The shuffled row order of 0-based epoch `e`: a function of (seed, e) only, so resuming needs no RNG state. */
export function epochOrder(n: number, seed: number, e: number): Uint32Array {
  return shuffleInPlace(
    Uint32Array.from({ length: n }, (_, i) => i),
    createRng(seed, `epoch-${e}`),
  );
}

function zeroLosses(): StepLosses {
  return { hl: 0, real: 0, syn: 0, sp1: 0, sp2: 0, go: 0, is: 0, sp: 0, cd: 0 };
}

/** Default epochs at which diagnostics include per-loss gradient norms (plus the last epoch). */
export const GRAD_NORM_EPOCHS: readonly number[] = [1, 5, 10, 30, 100];

/** Diagnostics of one epoch on the first `batches` batches of its order (see EpochDiagnostics). */
async function epochDiagnostics(
  model: TrainableModel,
  p: {
    set: PairedSet;
    order: Uint32Array;
    bounds: Array<[number, number]>;
    batches: number;
    grads: boolean;
    tau: number;
    gammaSyn: number;
    means: StepLosses;
    seed: number;
    epoch: number;
    now: () => number;
  },
): Promise<EpochDiagnostics | undefined> {
  if (!model.diagnose) return undefined;
  const t0 = p.now();
  const c = model.config;
  const raws: RawDiagnostics[] = [];
  const norms = new Map<GradNormTerm, RunningMean>();
  // NOTE: a generator of its own (seeded by run seed and epoch), so diagnosing never shifts training's triplets.
  const rng = { state: (Math.imul(p.seed + 1, 0x2c1b3c6d) ^ Math.imul(p.epoch, 0x297a2d39)) >>> 0 };
  const used = p.bounds.slice(0, Math.max(1, p.batches));
  for (const [from, to] of used) {
    const batch = gatherBatch(p.set, p.order, from, to, c.classes);
    const r = await model.diagnose(batch, { tau: p.tau, gammaSyn: p.gammaSyn, lr: 0 }, p.grads, rng);
    raws.push(r.raw);
    for (const [k, v] of Object.entries(r.gradNorms ?? {}) as Array<[GradNormTerm, number]>) {
      const m = norms.get(k) ?? new RunningMean();
      m.add(v);
      norms.set(k, m);
    }
  }
  const out: EpochDiagnostics = {
    ...diagnosticStats(concatRaw(raws), p.tau, c.margin),
    tau: p.tau,
    gammaSyn: p.gammaSyn,
    lReal: p.means.real,
    gammaLSyn: c.ablation.dgs ? p.gammaSyn * p.means.syn : 0,
    batches: used.length,
    ms: 0,
  };
  if (p.grads) out.gradNorms = Object.fromEntries([...norms].map(([k, m]) => [k, m.mean ?? NaN]));
  out.ms = p.now() - t0;
  return out;
}

/** Trains a DGHDGH model on `train`, selecting the epoch by validation mAP on `validation`. */
export async function trainModel(
  data: { train: PairedSet; validation: PairedSet },
  options: TrainOptions,
): Promise<TrainResult> {
  const now = options.now ?? Date.now;
  const factory = options.createModel ?? createDghdghModel;
  let config = options.config;
  let st: TrainerState = {
    seed: options.seed,
    batchSize: options.batchSize ?? 128,
    epochs: options.epochs,
    patience: options.patience ?? Infinity,
    done: 0,
    history: [],
    prev: {},
    best: null,
    sinceBest: 0,
    stoppedEarly: false,
  };
  let modelState: ModelState | undefined;
  let resumedFrom: number | undefined;
  if (options.resume && options.checkpoint && existsSync(options.checkpoint)) {
    const ck = readCheckpoint<DghdghConfig, ModelState, TrainerState>(options.checkpoint);
    config = ck.config;
    st = { ...ck.trainer, epochs: options.epochs };
    modelState = ck.model;
    resumedFrom = st.done;
  }
  checkSets(data.train, data.validation, config);
  if (!Number.isInteger(st.batchSize) || st.batchSize < 2)
    throw new GlintError('usage', `batch size must be an integer ≥ 2, got ${st.batchSize}`);

  const modelOpts = {
    seed: st.seed,
    ...(options.device === undefined ? {} : { device: options.device }),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
  };
  options.onPhase?.(trainPhase.compiling(undefined));
  let model = await factory(
    config,
    modelState !== undefined
      ? { ...modelOpts, state: modelState }
      : options.init
        ? { ...modelOpts, init: options.init }
        : modelOpts,
  );
  const started = now();
  const bounds = batchBounds(data.train.n, st.batchSize);
  let trainMsTotal = 0;
  let epochsHere = 0;
  try {
    while (st.done < st.epochs && !st.stoppedEarly) {
      const e = st.done;
      const sched = { ...config, hap: config.ablation.hap };
      const gammaSyn = epochGammaSyn(sched, st.prev);
      const taus = new RunningMean();
      let tauFirst = NaN;
      let tau = NaN;
      const order = epochOrder(data.train.n, st.seed, e);
      const means = Object.fromEntries(LOSS_KEYS.map((k) => [k, new RunningMean()])) as Record<
        (typeof LOSS_KEYS)[number],
        RunningMean
      >;
      const t0 = now();
      for (let s = 0; s < bounds.length; s++) {
        // NOTE: a macrotask turn between steps lets a worker receive its 'cancel' message even when the
        // session's promises resolve without ever yielding to the event loop.
        await new Promise((r) => setImmediate(r));
        if (options.signal?.aborted) throw new GlintError('cancelled', 'Training was cancelled.');
        const [from, to] = bounds[s] as [number, number];
        const batch = gatherBatch(data.train, order, from, to, config.classes);
        tau = stepTau(sched, st.prev, means.real.mean);
        if (s === 0) tauFirst = tau;
        taus.add(tau);
        // NOTE: lr is a multiplier on the config's per-group rates (constant schedule: 1).
        const losses = await model.step(batch, { tau, gammaSyn, lr: 1 });
        for (const k of LOSS_KEYS) means[k].add(losses[k]);
        options.onProgress?.({
          kind: 'step',
          epoch: e + 1,
          epochs: st.epochs,
          step: s + 1,
          steps: bounds.length,
          losses,
          tau,
          gammaSyn,
          elapsedMs: now() - started,
        });
      }
      const trainMs = now() - t0;
      trainMsTotal += trainMs;
      epochsHere++;
      options.onPhase?.(trainPhase.checkingEpoch(undefined, e + 1, st.epochs));
      const v0 = now();
      const val = await validationMap(
        (m, x, n) => model.encode(m, x, n),
        data.validation,
        config.classes,
        config.bits,
        options.validateAgainst === 'train' ? data.train : undefined,
      );
      const valMs = now() - v0;
      const mon = options.monitor
        ? await validationMap(
            (m, x, n) => model.encode(m, x, n),
            options.monitor.query,
            config.classes,
            config.bits,
            options.monitor.database,
          )
        : undefined;
      const meanLosses = zeroLosses();
      for (const k of LOSS_KEYS) meanLosses[k] = means[k].mean ?? NaN;
      const diag =
        options.diagnostics === false
          ? undefined
          : await epochDiagnostics(model, {
              set: data.train,
              order,
              bounds,
              batches: options.diagnostics?.batches ?? 2,
              grads:
                (options.diagnostics?.gradEpochs ?? GRAD_NORM_EPOCHS).includes(e + 1) || e + 1 === st.epochs,
              tau,
              gammaSyn,
              means: meanLosses,
              seed: st.seed,
              epoch: e,
              now,
            });
      st.history.push({
        epoch: e + 1,
        tau: taus.mean ?? NaN,
        tauFirst,
        tauLast: tau,
        gammaSyn,
        meanLosses,
        valMap: val.map,
        valMapIT: val.it,
        valMapTI: val.ti,
        trainMs,
        valMs,
        ...(diag ? { diagnostics: diag } : {}),
        ...(mon ? { monitor: { it: mon.it, ti: mon.ti } } : {}),
      });
      const total =
        means.hl.mean === undefined
          ? undefined
          : means.hl.mean + (means.sp1.mean ?? 0) + (means.sp2.mean ?? 0);
      st.prev = { meanHl: means.hl.mean, meanGo: means.go.mean, meanTotal: total };
      const better = st.best === null || val.map > st.best.valMap;
      if (better) {
        st.best = { epoch: e + 1, valMap: val.map, state: structuredClone(model.state()) };
        st.sinceBest = 0;
      } else {
        st.sinceBest++;
        if (st.sinceBest >= st.patience) st.stoppedEarly = true;
      }
      st.done = e + 1;
      if (options.checkpoint) {
        await writeCheckpoint(options.checkpoint, { config, model: model.state(), trainer: st }, now);
      }
      options.onProgress?.({
        kind: 'epoch',
        epoch: e + 1,
        epochs: st.epochs,
        step: bounds.length,
        steps: bounds.length,
        losses: meanLosses,
        tau,
        gammaSyn,
        valMap: val.map,
        best: better,
        elapsedMs: now() - started,
      });
    }
    const best = st.best;
    if (!best) throw new GlintError('train-bad-input', 'no epoch was trained (epochs must be ≥ 1)');
    if (best.epoch !== st.done) {
      options.onPhase?.(trainPhase.bestEpoch(undefined, best.epoch));
      const provider = model.provider;
      await model.release();
      model = await factory(config, { ...modelOpts, state: best.state });
      if (model.provider !== provider) throw new Error('the best state reloaded on a different provider');
    }
    const result: TrainResult = {
      model,
      config,
      history: st.history,
      bestEpoch: best.epoch,
      bestValMap: best.valMap,
      epochsRun: st.done,
      stoppedEarly: st.stoppedEarly,
      msPerEpoch: epochsHere ? trainMsTotal / epochsHere : NaN,
      provider: model.provider,
    };
    if (model.fallback !== undefined) result.fallback = model.fallback;
    if (resumedFrom !== undefined) result.resumedFrom = resumedFrom;
    return result;
  } catch (err) {
    await model.release();
    throw err;
  }
}
