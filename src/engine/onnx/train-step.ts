/**
 * ONNX "train step" graphs: forward + autodiff backward + AdamW update in one standard-op model
 * that ONNX Runtime runs step after step, and `TrainStep`, which keeps the parameters and
 * optimiser state in JS and swaps them in and out each step.
 *
 * Graph interface (all names fixed):
 *   inputs   params [P], adam_m [P], adam_v [P]   flat buffers in the parameter dtype
 *            adam_step int64 [T]                  per-tensor step count t (≥ 1 for tensors updated now)
 *            lr float64 []                        base learning rate (× the group's lrScale)
 *            …and the batch inputs the `build` callback declares
 *   outputs  loss, one output per metric (its name), params_out [P], adam_m_out [P], adam_v_out [P],
 *            and grads [P] when asked (zeros at frozen tensors)
 *
 * Flat layout: the tensors in `params` order, each row-major, back to back: tensor i occupies
 * [offset_i, offset_i + numel_i) of params, adam_m and adam_v alike (see `paramLayout`). Inside
 * the graph each tensor is a Slice + Reshape of the buffer. Frozen tensors are read like the
 * others but take no gradient and no update: their slices of params_out / adam_m_out / adam_v_out
 * are their inputs, so two train steps (DGHDGH's alternating phases) can share one state.
 */
import { DiffGraph, gradients } from './autodiff.ts';
import type { TensorRef } from './graph-builder.ts';
import { numel } from './graph-builder.ts';
import { ADAMW_DEFAULTS, adamwUpdateFlat } from './optimizer.ts';
import type { AdamWConfig } from './optimizer.ts';
import { createSession, runSessionInto, tensorF32, tensorF64, tensorI64 } from './runtime.ts';
import type { Device, Feeds, Outputs, Session, Tensor } from './runtime.ts';

/** One trainable tensor. */
export interface ParamSpec {
  name: string;
  shape: readonly number[];
  /** Parameter group (learning-rate multiplier and weight decay); default 'default'. */
  group?: string;
}

/** Per-group optimiser settings. */
export interface ParamGroupConfig {
  /** Multiplier on the step's learning rate (default 1). */
  lrScale?: number;
  /** Decoupled weight decay (default: the spec's `adam.weightDecay`, else 0.01). */
  weightDecay?: number;
}

/** Where one tensor lives in the flat buffers. */
export interface LayoutEntry {
  name: string;
  shape: readonly number[];
  group: string;
  /** Index in `params` (and in adam_step). */
  index: number;
  offset: number;
  size: number;
}

/** The flat buffer layout. */
export interface ParamLayout {
  entries: readonly LayoutEntry[];
  /** Total element count P. */
  total: number;
}

/** What a train step is. */
export interface TrainStepSpec {
  params: readonly ParamSpec[];
  groups?: Readonly<Record<string, ParamGroupConfig>>;
  /** Tensors read but not updated by this step. */
  frozen?: readonly string[];
  /** β1, β2, ε and the default weight decay. */
  adam?: Omit<AdamWConfig, 'lrScale'>;
  /** Parameter and state dtype (default float32). */
  dtype?: 'float32' | 'float64';
  /** Also output the flat gradient as 'grads'. */
  outputGradients?: boolean;
  /**
   * Builds the forward pass from the parameter tensors: declare batch inputs with `g.input`, return
   * a scalar loss and optional named metrics (graph outputs of any shape).
   */
  build: (
    g: DiffGraph,
    params: Readonly<Record<string, TensorRef>>,
  ) => { loss: TensorRef; metrics?: Readonly<Record<string, TensorRef>> };
}

/** A built train-step graph. */
export interface TrainStepGraph {
  graph: DiffGraph;
  layout: ParamLayout;
  /** Names of the metric outputs. */
  metrics: string[];
  /** Indices (in layout order) of the tensors this step updates. */
  trainable: number[];
  /** Whether the graph outputs 'grads'. */
  outputGradients: boolean;
}

/** Fixed input/output names of train-step graphs. */
export const TRAIN_IO = {
  params: 'params',
  m: 'adam_m',
  v: 'adam_v',
  step: 'adam_step',
  lr: 'lr',
  loss: 'loss',
  paramsOut: 'params_out',
  mOut: 'adam_m_out',
  vOut: 'adam_v_out',
  grads: 'grads',
} as const;

const RESERVED = new Set<string>(Object.values(TRAIN_IO));

/** The flat layout of a list of tensors (in order, row-major, back to back). */
export function paramLayout(params: readonly ParamSpec[]): ParamLayout {
  let offset = 0;
  const seen = new Set<string>();
  const entries = params.map((p, index) => {
    if (seen.has(p.name)) throw new Error(`train step: duplicate parameter name ${p.name}`);
    seen.add(p.name);
    const size = numel(p.shape);
    const e: LayoutEntry = {
      name: p.name,
      shape: [...p.shape],
      group: p.group ?? 'default',
      index,
      offset,
      size,
    };
    offset += size;
    return e;
  });
  return { entries, total: offset };
}

/** Builds the train-step graph of a spec (see the module comment for its interface). */
export function buildTrainStepGraph(spec: TrainStepSpec): TrainStepGraph {
  const dtype = spec.dtype ?? 'float32';
  const layout = paramLayout(spec.params);
  const frozen = new Set(spec.frozen ?? []);
  for (const f of frozen) {
    if (!layout.entries.some((e) => e.name === f))
      throw new Error(`train step: frozen tensor ${f} is not a parameter`);
  }
  // NOTE: CSE while building: the DGHDGH losses normalise the same gathered codes several times (forward and backward).
  const g = new DiffGraph({ name: 'train_step', cse: true });
  const P = layout.total;
  const T = layout.entries.length;
  const pIn = g.input(TRAIN_IO.params, dtype, [P]);
  const mIn = g.input(TRAIN_IO.m, dtype, [P]);
  const vIn = g.input(TRAIN_IO.v, dtype, [P]);
  const stepIn = g.input(TRAIN_IO.step, 'int64', [T]);
  const lr = g.input(TRAIN_IO.lr, 'float64', []);

  const flat = (buf: TensorRef, e: LayoutEntry): TensorRef =>
    g.slice(buf, [e.offset], [e.offset + e.size], [0]);
  const tensors: Record<string, TensorRef> = {};
  for (const e of layout.entries) tensors[e.name] = g.reshape(flat(pIn, e), e.shape);

  const { loss, metrics = {} } = spec.build(g, tensors);
  const lossDims = loss.shape;
  if (lossDims && lossDims.some((d) => d !== 1))
    throw new Error(`train step: the loss must be a scalar, got shape [${lossDims.join(', ')}]`);

  const trainable = layout.entries.filter((e) => !frozen.has(e.name));
  const grads = gradients(
    g,
    loss,
    trainable.map((e) => tensors[e.name] as TensorRef),
  );

  // NOTE: AdamW runs once on all updated tensors laid back to back (adamwUpdateFlat, the same operations as one
  // update per tensor); the outputs are its slices and the frozen tensors' inputs, in layout order.
  const runs: { frozen: boolean; entries: LayoutEntry[] }[] = [];
  for (const e of layout.entries) {
    const f = frozen.has(e.name);
    const last = runs[runs.length - 1];
    if (last && last.frozen === f) last.entries.push(e);
    else runs.push({ frozen: f, entries: [e] });
  }
  const span = (buf: TensorRef, r: { entries: LayoutEntry[] }): TensorRef => {
    const a = r.entries[0] as LayoutEntry;
    const b = r.entries[r.entries.length - 1] as LayoutEntry;
    return g.slice(buf, [a.offset], [b.offset + b.size], [0]);
  };
  const cat = (xs: TensorRef[]): TensorRef =>
    xs.length === 1 ? g.identity(xs[0] as TensorRef) : g.concat(xs, 0);
  const live = runs.filter((r) => !r.frozen);
  let update: { p: TensorRef; m: TensorRef; v: TensorRef; grad: TensorRef } | undefined;
  if (live.length > 0) {
    const joined = (buf: TensorRef): TensorRef => {
      const parts = live.map((r) => span(buf, r));
      return parts.length === 1 ? (parts[0] as TensorRef) : g.concat(parts, 0);
    };
    const flatGrads = trainable.map((e, k) => g.reshape(grads[k] as TensorRef, [e.size]));
    const grad = flatGrads.length === 1 ? (flatGrads[0] as TensorRef) : g.concat(flatGrads, 0);
    const steps = g.gather(
      stepIn,
      g.constant(
        'int64',
        [trainable.length],
        trainable.map((e) => e.index),
      ),
      0,
    );
    const entries = trainable.map((e) => {
      const group = spec.groups?.[e.group] ?? {};
      return {
        size: e.size,
        lrScale: group.lrScale ?? 1,
        weightDecay: group.weightDecay ?? spec.adam?.weightDecay ?? ADAMW_DEFAULTS.weightDecay,
      };
    });
    const adam = spec.adam ?? {};
    const r = adamwUpdateFlat(g, joined(pIn), grad, joined(mIn), joined(vIn), lr, steps, entries, {
      ...(adam.beta1 !== undefined ? { beta1: adam.beta1 } : {}),
      ...(adam.beta2 !== undefined ? { beta2: adam.beta2 } : {}),
      ...(adam.eps !== undefined ? { eps: adam.eps } : {}),
    });
    update = { ...r, grad };
  }
  const outputs = (pick: (u: NonNullable<typeof update>) => TensorRef, buf: TensorRef | null): TensorRef => {
    const parts: TensorRef[] = [];
    let at = 0;
    for (const r of runs) {
      const size = r.entries.reduce((n, e) => n + e.size, 0);
      if (!r.frozen) {
        const x = pick(update as NonNullable<typeof update>);
        parts.push(live.length === 1 ? x : g.slice(x, [at], [at + size], [0]));
        at += size;
      } else if (buf) {
        parts.push(span(buf, r));
      } else {
        const zero = dtype === 'float64' ? new Float64Array(1) : new Float32Array(1);
        parts.push(
          g.op(
            'ConstantOfShape',
            [g.ints([size])],
            { value: { kind: 'tensor', dtype, dims: [1], data: zero } },
            { dtype, shape: [size] },
          ),
        );
      }
    }
    return cat(parts);
  };

  g.output(g.reshape(loss, []), TRAIN_IO.loss, []);
  const metricNames = Object.keys(metrics);
  for (const name of metricNames) {
    if (RESERVED.has(name)) throw new Error(`train step: metric name ${name} is reserved`);
    g.output(metrics[name] as TensorRef, name);
  }
  g.output(
    outputs((u) => u.p, pIn),
    TRAIN_IO.paramsOut,
    [P],
  );
  g.output(
    outputs((u) => u.m, mIn),
    TRAIN_IO.mOut,
    [P],
  );
  g.output(
    outputs((u) => u.v, vIn),
    TRAIN_IO.vOut,
    [P],
  );
  if (spec.outputGradients)
    g.output(
      outputs((u) => u.grad, null),
      TRAIN_IO.grads,
      [P],
    );
  return {
    graph: g,
    layout,
    metrics: metricNames,
    trainable: trainable.map((e) => e.index),
    outputGradients: spec.outputGradients ?? false,
  };
}

/** Flat float buffers of the parameter dtype. */
export type FloatArray = Float32Array | Float64Array;

/** Parameters and AdamW state, shared by the train steps of one model. */
export interface OptimizerState {
  params: FloatArray;
  m: FloatArray;
  v: FloatArray;
  /** Per-tensor step counts (layout order). */
  steps: Float64Array;
}

/** A fresh state: parameters from `init` (by tensor name; missing ones are zeros), m = v = 0, steps 0. */
export function initOptimizerState(
  layout: ParamLayout,
  init: Readonly<Record<string, ArrayLike<number>>> = {},
  dtype: 'float32' | 'float64' = 'float32',
): OptimizerState {
  const alloc = (n: number): FloatArray => (dtype === 'float64' ? new Float64Array(n) : new Float32Array(n));
  const params = alloc(layout.total);
  for (const e of layout.entries) {
    const src = init[e.name];
    if (!src) continue;
    if (src.length !== e.size)
      throw new Error(`train step: init for ${e.name} has ${src.length} values, expected ${e.size}`);
    params.set(src, e.offset);
  }
  return {
    params,
    m: alloc(layout.total),
    v: alloc(layout.total),
    steps: new Float64Array(layout.entries.length),
  };
}

/** Options for `TrainStep.create`. */
export interface TrainStepOptions {
  /** State to use (e.g. shared with another train step on the same layout); default fresh. */
  state?: OptimizerState;
  /** Initial parameter values for a fresh state. */
  init?: Readonly<Record<string, ArrayLike<number>>>;
  device?: Device;
  threads?: number;
  /** Whether idle intra-op threads spin (ORT's default, true); see RuntimeOptions.spinning. */
  spinning?: boolean;
  /** Profile the session with ORT's profiler into files with this prefix (see `endProfiling`). */
  profileFilePrefix?: string;
}

/** Result of one step. */
export interface StepResult {
  loss: number;
  /** Metric values: a number for one-element outputs, else the data (as float64). */
  metrics: Record<string, number | Float64Array>;
}

/**
 * A compiled train step: `step(batch, lr)` runs forward + backward + AdamW once and swaps the
 * new parameters and state into `state`.
 */
export class TrainStep {
  /**
   * Parameters and optimiser state. Each step replaces its buffers with the ones it wrote, and a later step writes
   * into the replaced ones again: copy (`param`, `slice`) what must outlive a step rather than holding a buffer.
   */
  readonly state: OptimizerState;
  /** The flat gradient of the last step, when the spec asked for it. */
  lastGradients: FloatArray | undefined;
  readonly layout: ParamLayout;
  readonly provider: Device;
  /** Why a CUDA request fell back to CPU, if it did. */
  readonly fallback: string | undefined;
  private readonly session: Session;
  private readonly built: TrainStepGraph;
  private readonly dtype: 'float32' | 'float64';
  /** Buffers the next run writes its state outputs into (the ones it was fed last time), reused step after step. */
  private readonly spare: { params?: FloatArray; m?: FloatArray; v?: FloatArray } = {};

  private constructor(
    built: TrainStepGraph,
    session: Session,
    state: OptimizerState,
    dtype: 'float32' | 'float64',
    provider: Device,
    fallback: string | undefined,
  ) {
    this.built = built;
    this.session = session;
    this.state = state;
    this.dtype = dtype;
    this.layout = built.layout;
    this.provider = provider;
    this.fallback = fallback;
    this.lastGradients = undefined;
  }

  /** Builds the graph of `spec` and creates its session. */
  static async create(spec: TrainStepSpec, opts: TrainStepOptions = {}): Promise<TrainStep> {
    const built = buildTrainStepGraph(spec);
    const dtype = spec.dtype ?? 'float32';
    const state = opts.state ?? initOptimizerState(built.layout, opts.init, dtype);
    if (state.params.length !== built.layout.total || state.steps.length !== built.layout.entries.length)
      throw new Error('train step: the state does not match the parameter layout');
    const handle = await createSession(built.graph.toBytes(), {
      ...(opts.device ? { device: opts.device } : {}),
      ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      ...(opts.spinning !== undefined ? { spinning: opts.spinning } : {}),
      ...(opts.profileFilePrefix !== undefined ? { profileFilePrefix: opts.profileFilePrefix } : {}),
    });
    return new TrainStep(built, handle.session, state, dtype, handle.provider, handle.fallback);
  }

  /** Ends ORT profiling (sessions created with `profileFilePrefix`) and writes its JSON file. */
  endProfiling(): void {
    this.session.endProfiling();
  }

  /** Frees the ONNX session. */
  async release(): Promise<void> {
    await this.session.release();
  }

  /** Names of the metric outputs. */
  get metricNames(): readonly string[] {
    return this.built.metrics;
  }

  /** A copy of one parameter tensor's current values. */
  param(name: string): FloatArray {
    const e = this.layout.entries.find((x) => x.name === name);
    if (!e) throw new Error(`train step: no parameter ${name}`);
    return this.state.params.slice(e.offset, e.offset + e.size);
  }

  /** Runs one step on a batch with learning rate `lr`; updates `state`. */
  async step(batch: Feeds, lr: number): Promise<StepResult> {
    const s = this.state;
    const steps = Float64Array.from(s.steps);
    for (const i of this.built.trainable) steps[i] = (steps[i] as number) + 1;
    const P = this.layout.total;
    const buf = (x: FloatArray) =>
      this.dtype === 'float64' ? tensorF64(x as Float64Array, [P]) : tensorF32(x as Float32Array, [P]);
    const feeds: Feeds = {
      ...batch,
      [TRAIN_IO.params]: buf(s.params),
      [TRAIN_IO.m]: buf(s.m),
      [TRAIN_IO.v]: buf(s.v),
      [TRAIN_IO.step]: tensorI64(
        Array.from(steps, (t) => BigInt(t)),
        [steps.length],
      ),
      [TRAIN_IO.lr]: tensorF64([lr], []),
    };
    // NOTE: the new parameters and moments are written by ORT straight into preallocated buffers (this step's
    // inputs of the run before, which nothing reads any more), instead of into fresh output buffers copied twice.
    const alloc = (): FloatArray => (this.dtype === 'float64' ? new Float64Array(P) : new Float32Array(P));
    const held = [s.params, s.m, s.v];
    const target = (k: 'params' | 'm' | 'v'): FloatArray => {
      const b = this.spare[k];
      return b && b.length === P && !held.includes(b) ? b : alloc();
    };
    const into = { params: target('params'), m: target('m'), v: target('v') };
    if (into.m === into.params || into.v === into.params || into.v === into.m)
      Object.assign(into, { m: alloc(), v: alloc() });
    const fetches: Record<string, Tensor | null> = {
      [TRAIN_IO.loss]: null,
      [TRAIN_IO.paramsOut]: buf(into.params),
      [TRAIN_IO.mOut]: buf(into.m),
      [TRAIN_IO.vOut]: buf(into.v),
    };
    for (const name of this.built.metrics) fetches[name] = null;
    if (this.built.outputGradients) fetches[TRAIN_IO.grads] = null;
    const out = await runSessionInto(this.session, feeds, fetches);
    const data = (name: string): ArrayLike<number | bigint> => {
      const t = (out as Outputs)[name];
      if (!t) throw new Error(`train step: missing output ${name}`);
      return t.data as ArrayLike<number | bigint>;
    };
    const read = (name: string): FloatArray => {
      const d = data(name) as FloatArray;
      return this.dtype === 'float64' ? Float64Array.from(d) : Float32Array.from(d);
    };
    const loss = Number(data(TRAIN_IO.loss)[0]);
    const metrics: Record<string, number | Float64Array> = {};
    for (const name of this.built.metrics) {
      const d = Float64Array.from(data(name), Number);
      metrics[name] = d.length === 1 ? (d[0] as number) : d;
    }
    // NOTE: update the state object in place, so train steps sharing it see the new values.
    this.spare.params = s.params;
    this.spare.m = s.m;
    this.spare.v = s.v;
    s.params = into.params;
    s.m = into.m;
    s.v = into.v;
    s.steps = steps;
    if (this.built.outputGradients) this.lastGradients = read(TRAIN_IO.grads);
    return { loss, metrics };
  }
}
