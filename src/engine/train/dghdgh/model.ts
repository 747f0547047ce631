/**
 * The DGHDGH model as two ONNX train-step graphs sharing one parameter / AdamW state (graphs.ts), plus
 * forward-only graphs for encoding and for the exported hash head. The trainer (../trainer.ts) drives it.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DiffGraph } from '../../onnx/autodiff.ts';
import { GraphBuilder, type TensorRef } from '../../onnx/graph-builder.ts';
import {
  createSession,
  readF32,
  readF64,
  runSession,
  tensorF32,
  tensorF64,
  type Device,
  type Feeds,
  type Session,
} from '../../onnx/runtime.ts';
import { TrainStep, initOptimizerState, paramLayout, type OptimizerState } from '../../onnx/train-step.ts';
import { HEAD_INPUT, HEAD_OUTPUT, writeHeadMeta, type HeadMeta } from '../../hash/head-format.ts';
import type { DghdghConfig } from './config.ts';
import { PHASE1_METRICS, PHASE2_METRICS, phase1Spec, phase2Spec } from './graphs.ts';
import { hashLayer, type Params } from './layers.ts';
import { MODALITIES, hasGt, hashParamNames, initParams, paramSpecs } from './params.ts';
import { batchRelevance, relevance, sampleAll, tripletFeeds, type TripletRng } from './triplets.ts';
import { DIAG_OUT, GRAD_NORM_TERMS, diagnosticsGraph, type GradNormTerm } from './diagnostics.ts';
import type { RawDiagnostics } from './diagnostics-stats.ts';
import { defaultTrainThreads } from './train-threads.ts';

/** One batch of paired rows. */
export interface DghdghBatch {
  n: number;
  /** n × dims.image, row-major. */
  image: Float32Array;
  /** n × dims.text, row-major. */
  text: Float32Array;
  /** n × C multi-hot. */
  labels: Float32Array;
  /** n × C known negatives (1 = the user rejected tag c for row r's photo); see triplets.ts withKnownNegatives. */
  negatives?: Float32Array;
}

/** Per-step schedule values the trainer computes: τ = exp(−α / L̄_hl), γ_syn, and a learning-rate multiplier. */
export interface StepSchedule {
  tau: number;
  gammaSyn: number;
  /** Multiplies both groups' rates (lrHash, lrGt). */
  lr: number;
}

/** The losses of one step (phase 1: hl, real, syn, sp1, sp2; phase 2: go, is, sp, cd; 0 where a phase or term is off). */
export interface StepLosses {
  hl: number;
  real: number;
  syn: number;
  sp1: number;
  sp2: number;
  go: number;
  is: number;
  sp: number;
  cd: number;
}

/** Serialisable model state (typed arrays and numbers only). */
export interface ModelState {
  dtype: 'float32' | 'float64';
  params: Float32Array | Float64Array;
  m: Float32Array | Float64Array;
  v: Float32Array | Float64Array;
  /** Per-tensor AdamW step counts. */
  steps: Float64Array;
  /** Triplet sampler state. */
  rng: number;
  /** Steps taken. */
  step: number;
}

/** Options of `DghdghModel.create`. */
export interface DghdghModelOptions {
  seed: number;
  device?: Device;
  /** Intra-op threads of its sessions (default: defaultTrainThreads(), 1 on ≤ 2 cores). */
  threads?: number;
  /** Whether idle intra-op threads of the train steps spin (ORT's default, true). */
  spinning?: boolean;
  /** Resume from this state (the same config's layout). */
  state?: ModelState;
  /** Parameter dtype (default float32; float64 for gradient checks). */
  dtype?: 'float32' | 'float64';
  /** Initial values of named tensors, replacing the seeded ones (fresh models only; e.g. a quick head's layers). */
  init?: Readonly<Record<string, ArrayLike<number>>>;
}

function encodeGraph(c: DghdghConfig, m: 'image' | 'text', dtype: 'float32' | 'float64'): DiffGraph {
  const g = new DiffGraph({ name: `dghdgh_encode_${m}` });
  const p: Record<string, TensorRef> = {};
  const specs = paramSpecs(c);
  for (const name of hashParamNames(c, m)) {
    const s = specs.find((x) => x.name === name);
    p[name] = g.input(name, dtype, s?.shape ?? []);
  }
  const x = g.input(HEAD_INPUT, dtype, ['batch', c.dims[m]]);
  g.output(hashLayer(g, p, c, m, x), HEAD_OUTPUT, ['batch', c.bits]);
  return g;
}

/** The DGHDGH model (see the module comment). */
export class DghdghModel {
  readonly config: DghdghConfig;
  readonly provider: 'cpu' | 'cuda';
  readonly fallback?: string;
  /** Phase 1 (hash learning) train step. */
  readonly phase1: TrainStep;
  /** Phase 2 (generation) train step; absent under no-DGS. */
  readonly phase2: TrainStep | undefined;
  private readonly dtype: 'float32' | 'float64';
  private readonly rng: TripletRng;
  private steps: number;
  private readonly encoders: Record<'image' | 'text', Session>;
  private readonly threads: number | undefined;
  /** Diagnostics sessions, built on first use (without and with gradient norms). */
  private readonly diag: { stats?: Session; grads?: Session } = {};

  private constructor(
    config: DghdghConfig,
    dtype: 'float32' | 'float64',
    phase1: TrainStep,
    phase2: TrainStep | undefined,
    encoders: Record<'image' | 'text', Session>,
    rng: number,
    steps: number,
    threads: number | undefined,
  ) {
    this.threads = threads;
    this.config = config;
    this.dtype = dtype;
    this.phase1 = phase1;
    this.phase2 = phase2;
    this.encoders = encoders;
    this.provider = phase1.provider;
    if (phase1.fallback !== undefined) this.fallback = phase1.fallback;
    this.rng = { state: rng >>> 0 };
    this.steps = steps;
  }

  /** Builds both phases' graphs and sessions, fresh from `seed` or from `state`. */
  static async create(config: DghdghConfig, opts: DghdghModelOptions): Promise<DghdghModel> {
    const dtype = opts.state?.dtype ?? opts.dtype ?? 'float32';
    checkConfig(config);
    const layout = paramLayout(paramSpecs(config));
    let state: OptimizerState;
    if (opts.state) {
      const s = opts.state;
      if (s.params.length !== layout.total || s.steps.length !== layout.entries.length)
        throw new Error('dghdgh: the saved state does not match this configuration');
      const copy = (x: Float32Array | Float64Array) =>
        dtype === 'float64' ? Float64Array.from(x) : Float32Array.from(x);
      state = { params: copy(s.params), m: copy(s.m), v: copy(s.v), steps: Float64Array.from(s.steps) };
    } else {
      state = initOptimizerState(layout, { ...initParams(config, opts.seed), ...opts.init }, dtype);
    }
    const threads = opts.threads ?? defaultTrainThreads();
    const rt = {
      ...(opts.device ? { device: opts.device } : {}),
      ...(threads !== undefined ? { threads } : {}),
    };
    const steps = { ...rt, ...(opts.spinning !== undefined ? { spinning: opts.spinning } : {}) };
    const phase1 = await TrainStep.create(phase1Spec(config, dtype), { ...steps, state });
    const phase2 = config.ablation.dgs
      ? await TrainStep.create(phase2Spec(config, dtype), { ...steps, state })
      : undefined;
    // NOTE: encoding is a few small matrix products; CPU avoids a GPU round trip per call.
    const encoders = {
      image: (await createSession(encodeGraph(config, 'image', dtype).toBytes(), { ...rt, device: 'cpu' }))
        .session,
      text: (await createSession(encodeGraph(config, 'text', dtype).toBytes(), { ...rt, device: 'cpu' }))
        .session,
    };
    const rng = opts.state?.rng ?? (Math.imul(opts.seed >>> 0, 0x9e3779b1) ^ 0x5f3759df) >>> 0;
    return new DghdghModel(config, dtype, phase1, phase2, encoders, rng, opts.state?.step ?? 0, threads);
  }

  private floatTensor(data: Float32Array | Float64Array | number[], dims: number[]) {
    return this.dtype === 'float64'
      ? tensorF64(Float64Array.from(data), dims)
      : tensorF32(data instanceof Float32Array ? data : Float32Array.from(data), dims);
  }

  /** The batch feeds of both phases for given triplets (exposed for tests that fix the triplets). */
  feeds(
    batch: DghdghBatch,
    schedule: StepSchedule,
    trips: ReturnType<typeof sampleAll>,
  ): { phase1: Feeds; phase2: Feeds } {
    const c = this.config;
    const n = batch.n;
    if (
      batch.image.length !== n * c.dims.image ||
      batch.text.length !== n * c.dims.text ||
      batch.labels.length !== n * c.classes
    )
      throw new Error(
        `dghdgh: batch of ${n} rows does not match dims ${c.dims.image}/${c.dims.text} and ${c.classes} classes`,
      );
    const base: Feeds = {
      image: this.floatTensor(batch.image, [n, c.dims.image]),
      text: this.floatTensor(batch.text, [n, c.dims.text]),
      labels: this.floatTensor(batch.labels, [n, c.classes]),
    };
    if (c.ablation.hap) base.tau = this.floatTensor([schedule.tau], []);
    if (hasGt(c))
      base.rel = this.floatTensor(Float32Array.from(relevance(batch.labels, n, c.classes)), [n, n]);
    const p1: Feeds = { ...base, ...tripletFeeds(trips, n, this.dtype, false) };
    if (c.ablation.dgs) p1.gamma_syn = this.floatTensor([schedule.gammaSyn], []);
    const p2: Feeds = { ...base, ...tripletFeeds(trips, n, this.dtype, true) };
    return { phase1: p1, phase2: p2 };
  }

  /** Samples this batch's triplets with the model's generator. */
  sampleTriplets(batch: DghdghBatch): ReturnType<typeof sampleAll> {
    const rel = batchRelevance(batch, this.config.classes);
    return sampleAll(rel, batch.n, this.config.tripletsPerAnchor, this.rng);
  }

  /** One batch: phase 1 (hash layers + CL1 + GT via L_sp2 on L_hl + L_sp1 + L_sp2, λ constant), then phase 2 (GT + FC on L_go, codes constant). Triplets are sampled inside with the model's seeded RNG. */
  async step(batch: DghdghBatch, schedule: StepSchedule): Promise<StepLosses> {
    return this.stepWith(batch, schedule, this.sampleTriplets(batch));
  }

  /** `step` with given triplets. */
  async stepWith(
    batch: DghdghBatch,
    schedule: StepSchedule,
    trips: ReturnType<typeof sampleAll>,
  ): Promise<StepLosses> {
    const f = this.feeds(batch, schedule, trips);
    const out: StepLosses = { hl: 0, real: 0, syn: 0, sp1: 0, sp2: 0, go: 0, is: 0, sp: 0, cd: 0 };
    const r1 = await this.phase1.step(f.phase1, schedule.lr);
    for (const k of PHASE1_METRICS) out[k] = r1.metrics[k] as number;
    if (this.phase2) {
      const r2 = await this.phase2.step(f.phase2, schedule.lr);
      for (const k of PHASE2_METRICS) out[k] = r2.metrics[k] as number;
    }
    this.steps++;
    return out;
  }

  /**
   * Phase 1's forward pass on `batch` with the current parameters, for diagnostics: the per-triplet tensors
   * (diagnostics-stats.ts) and, with `grads`, the gradient norm of each phase-1 term on the hash layers.
   * Triplets come from `rng` (not the model's generator), so diagnosing never changes what training samples.
   */
  async diagnose(
    batch: DghdghBatch,
    schedule: StepSchedule,
    grads: boolean,
    rng: TripletRng,
  ): Promise<{ raw: RawDiagnostics; gradNorms?: Partial<Record<GradNormTerm, number>> }> {
    const key = grads ? 'grads' : 'stats';
    let session = this.diag[key];
    if (!session) {
      const bytes = diagnosticsGraph(this.config, this.dtype, grads).toBytes();
      const rt = this.threads !== undefined ? { threads: this.threads } : {};
      session = (await createSession(bytes, { ...rt, device: 'cpu' })).session;
      this.diag[key] = session;
    }
    const rel = batchRelevance(batch, this.config.classes);
    const trips = sampleAll(rel, batch.n, this.config.tripletsPerAnchor, rng);
    const all: Feeds = { ...this.feeds(batch, schedule, trips).phase1 };
    for (const e of this.phase1.layout.entries)
      all[e.name] = this.floatTensor(this.phase1.param(e.name), [...e.shape]);
    const feeds: Feeds = {};
    for (const name of session.inputNames) feeds[name] = all[name] as Feeds[string];
    const out = await runSession(session, feeds);
    const read = (name: string): Float64Array => {
      const t = out[name];
      return t ? Float64Array.from(t.data as Float32Array | Float64Array) : new Float64Array(0);
    };
    const raw: RawDiagnostics = {
      K: this.config.bits,
      ha: read(DIAG_OUT.ha),
      hp: read(DIAG_OUT.hp),
      hn: read(DIAG_OUT.hn),
      hs: read(DIAG_OUT.hs),
      lambda: read(DIAG_OUT.lambda),
      w: read(DIAG_OUT.w),
    };
    if (!grads) return { raw };
    const gradNorms: Partial<Record<GradNormTerm, number>> = {};
    for (const t of GRAD_NORM_TERMS) {
      const v = read(DIAG_OUT.gradNorm(t));
      if (v.length) gradNorms[t] = v[0] as number;
    }
    return { raw, gradNorms };
  }

  private hashParams(m: 'image' | 'text'): Feeds {
    const f: Feeds = {};
    for (const e of this.phase1.layout.entries) {
      if (!hashParamNames(this.config, m).includes(e.name)) continue;
      f[e.name] = this.floatTensor(this.phase1.param(e.name), [...e.shape]);
    }
    return f;
  }

  /** Continuous codes (tanh outputs) of n rows of one modality, with the current parameters. */
  async encode(modality: 'image' | 'text', x: Float32Array, n: number): Promise<Float32Array> {
    const d = this.config.dims[modality];
    if (x.length !== n * d) throw new Error(`dghdgh encode: ${x.length} values for ${n} rows of ${d}`);
    if (n === 0) return new Float32Array(0);
    const out = await runSession(this.encoders[modality], {
      ...this.hashParams(modality),
      [HEAD_INPUT]: this.floatTensor(x, [n, d]),
    });
    return this.dtype === 'float64'
      ? Float32Array.from(readF64(out, HEAD_OUTPUT).data)
      : readF32(out, HEAD_OUTPUT).data;
  }

  /** Parameters, AdamW moments, step counts and the sampler state (copies). */
  state(): ModelState {
    const s = this.phase1.state;
    return {
      dtype: this.dtype,
      params: s.params.slice(),
      m: s.m.slice(),
      v: s.v.slice(),
      steps: s.steps.slice(),
      rng: this.rng.state,
      step: this.steps,
    };
  }

  /** Writes a forward-only head (engine format) for both modalities; returns head.json meta. */
  async exportHead(
    dir: string,
    meta: { id: string; modelId: string; createdAt?: number; metrics?: unknown; params?: unknown },
  ): Promise<unknown> {
    const c = this.config;
    await mkdir(dir, { recursive: true });
    for (const m of MODALITIES) {
      const g = new GraphBuilder({ name: `dghdgh_head_${m}` });
      const p: Record<string, TensorRef> = {};
      for (const e of this.phase1.layout.entries) {
        if (!hashParamNames(c, m).includes(e.name)) continue;
        p[e.name] = g.initializer(
          e.name.replace(/\./g, '_'),
          'float32',
          [...e.shape],
          Float32Array.from(this.phase1.param(e.name)),
        );
      }
      const x = g.input(HEAD_INPUT, 'float32', ['batch', c.dims[m]]);
      g.output(hashLayer(g, p as Params, c, m, x), HEAD_OUTPUT, ['batch', c.bits]);
      await g.writeFile(join(dir, `${m}.onnx`));
    }
    const record = (x: unknown): Record<string, unknown> | undefined =>
      x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
    const head: HeadMeta = {
      id: meta.id,
      kind: 'dghdgh',
      bits: c.bits,
      embeddingDim: c.dims.image,
      ...(c.dims.image !== c.dims.text ? { embeddingDims: { ...c.dims } } : {}),
      modelId: meta.modelId,
      createdAt: new Date(meta.createdAt ?? Date.now()).toISOString(),
      files: { image: 'image.onnx', text: 'text.onnx' },
      ...(record(meta.metrics) ? { metrics: record(meta.metrics) } : {}),
      params: { ...(record(meta.params) ?? {}), config: c },
    };
    await writeHeadMeta(dir, head);
    return head;
  }

  /** Frees the ONNX sessions. */
  async release(): Promise<void> {
    await Promise.all([
      this.phase1.release(),
      this.phase2?.release(),
      this.encoders.image.release(),
      this.encoders.text.release(),
      this.diag.stats?.release(),
      this.diag.grads?.release(),
    ]);
  }
}

function checkConfig(c: DghdghConfig): void {
  if (hasGt(c) && c.gtWidth % c.gtHeads !== 0)
    throw new Error(`dghdgh: gtWidth ${c.gtWidth} is not a multiple of gtHeads ${c.gtHeads}`);
  if (hasGt(c) && c.edgeWidth % c.gtHeads !== 0)
    throw new Error(`dghdgh: edgeWidth ${c.edgeWidth} is not a multiple of gtHeads ${c.gtHeads}`);
  if (c.gtBlocks < 1 && hasGt(c)) throw new Error('dghdgh: gtBlocks must be ≥ 1');
}
