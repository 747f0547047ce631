/**
 * A typed ONNX graph builder: tensor handles carry a name, a dtype and (where known) a static
 * shape; ops are methods that append nodes and return new handles. Initializers may be lazy
 * (data produced only while the model is written), so building a 350 MB model costs no memory
 * until it is streamed to disk.
 *
 * Default opset: ai.onnx 18 (IR version 8). 18 is the first opset where every Reduce* op takes
 * its axes as an input, and it has LayerNormalization (17); onnxruntime-node 1.30 runs it.
 */
import { DATA_TYPE, ATTRIBUTE_TYPE } from './onnx-proto.ts';
import type {
  AttributeProto,
  GraphProto,
  ModelProto,
  NodeProto,
  TypeProto,
  ValueInfoProto,
} from './onnx-proto.ts';
import { modelByteSize, modelToBytes, writeModelFile } from './model-writer.ts';
import type { StreamableModel, StreamedTensor } from './model-writer.ts';
import {
  broadcastShapes,
  matMulShape,
  reduceShape,
  transposeShape,
  unsqueezeShape,
  squeezeShape,
  concatShape,
} from './shape.ts';

/** Element types the builder knows. */
export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool' | 'uint8' | 'int8';

/** A dimension: a fixed size, a symbolic name (dynamic, e.g. 'batch_size'), or null (unknown). */
export type Dim = number | string | null;

/** A tensor shape; its length is the rank. */
export type Shape = readonly Dim[];

/** A handle to a value in the graph. */
export interface TensorRef {
  readonly name: string;
  readonly dtype: DType;
  /** Static shape where the builder could infer it; absent when unknown (even the rank). */
  readonly shape?: Shape;
}

/** Typed array that holds a tensor's elements for each dtype. */
export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | Int8Array;

/** An explicitly typed attribute value, for the cases that inference from JS values gets wrong. */
export type TypedAttr =
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; dtype: DType; dims: readonly number[]; data: TensorData };

/** An attribute value: JS numbers are INT when integral unless the attribute is a known float one. */
export type AttrValue = number | string | readonly number[] | readonly string[] | TypedAttr;

/** A float attribute (e.g. alpha = 1.0, which would otherwise be written as an INT). */
export const floatAttr = (value: number): TypedAttr => ({ kind: 'float', value });

/** A repeated-float attribute. */
export const floatsAttr = (value: readonly number[]): TypedAttr => ({ kind: 'floats', value });

// NOTE: attributes that the ONNX ops Glint uses define as FLOAT even when the value is integral.
const FLOAT_ATTRS = new Set([
  'alpha',
  'beta',
  'epsilon',
  'gamma',
  'lambd',
  'bias',
  'value_float',
  'momentum',
  'ratio',
  'scale',
]);

const ELEMENT_BYTES: Record<DType, number> = {
  float32: 4,
  float64: 8,
  int64: 8,
  int32: 4,
  bool: 1,
  uint8: 1,
  int8: 1,
};

/** Bytes per element of a dtype. */
export function dtypeBytes(dtype: DType): number {
  return ELEMENT_BYTES[dtype];
}

/** The ONNX TensorProto.DataType code of a dtype. */
export function dtypeCode(dtype: DType): number {
  return DATA_TYPE[dtype];
}

/** The dtype of an ONNX data type code; throws for types the builder does not handle. */
export function dtypeFromCode(code: number): DType {
  const found = (Object.keys(ELEMENT_BYTES) as DType[]).find((d) => DATA_TYPE[d] === code);
  if (!found) throw new Error(`unsupported ONNX data type ${code}`);
  return found;
}

/** Allocates a typed array of `n` elements for a dtype. */
export function allocTensorData(dtype: DType, n: number): TensorData {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'int8':
      return new Int8Array(n);
    case 'bool':
    case 'uint8':
      return new Uint8Array(n);
  }
}

/** Number of elements of a fully static shape. */
export function numel(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Raw little-endian bytes of a typed array (a view, no copy). */
export function tensorBytes(data: TensorData): Uint8Array {
  // NOTE: ONNX raw_data is little-endian; typed arrays use the platform order, which is
  // little-endian on every platform Glint ships for (x64, arm64).
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** One initializer: eager data or a producer called at write time. */
export interface InitializerEntry {
  readonly ref: TensorRef;
  readonly dims: readonly number[];
  /** Counted by `paramCount()` (weights) rather than a structural constant (axes, shapes). */
  readonly param: boolean;
  readonly data: TensorData | (() => TensorData);
}

/** A node as the builder recorded it. */
export interface GraphNode {
  readonly opType: string;
  readonly inputs: readonly (TensorRef | null)[];
  readonly outputs: readonly TensorRef[];
  readonly attrs: Readonly<Record<string, AttrValue | undefined>>;
  readonly domain?: string;
}

/** Options for a new graph. */
export interface GraphOptions {
  name?: string;
  /** ai.onnx opset version (default 18). */
  opset?: number;
  /** ONNX IR version (default 8, the IR that opset 18 came with). */
  irVersion?: number;
  /** Extra operator sets, e.g. { domain: 'com.microsoft', version: 1 }. */
  extraOpsets?: { domain: string; version: number }[];
  producerName?: string;
  docString?: string;
  /**
   * Common-subexpression elimination while building: a node identical to an earlier one (same op, inputs,
   * attributes and output types, no named outputs) returns the earlier node's outputs instead of a copy, and
   * small constants with equal values are one initializer. Default off.
   */
  cse?: boolean;
}

// NOTE: ops whose every run may differ (random), or that mark meaning beyond their value (Identity: stop-gradient
// barriers and output renames), are never merged.
const NO_CSE = new Set([
  'Identity',
  'RandomNormal',
  'RandomUniform',
  'RandomNormalLike',
  'RandomUniformLike',
  'Multinomial',
  'Bernoulli',
  'Dropout',
]);

/** Constants up to this many elements are merged by value under `cse`. */
const CSE_CONST_MAX = 64;

const cseJson = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'bigint'
      ? `${x}n`
      : ArrayBuffer.isView(x)
        ? `${x.constructor.name}:${Array.from(x as unknown as ArrayLike<number | bigint>, String).join(',')}`
        : x,
  );

/** A scalar or vector operand where a tensor is expected: constants are created in the other operand's dtype. */
export type Operand = TensorRef | number;

/** Attributes of Conv. */
export interface ConvAttrs {
  kernelShape?: number[];
  strides?: number[];
  pads?: number[];
  dilations?: number[];
  group?: number;
}

/** Builds one ONNX graph. */
export class GraphBuilder {
  readonly name: string;
  readonly opset: number;
  readonly irVersion: number;
  private readonly extraOpsets: { domain: string; version: number }[];
  private readonly producerName: string;
  private readonly docString: string | undefined;
  private readonly nodes: NodeProto[] = [];
  private readonly records: GraphNode[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly inits: InitializerEntry[] = [];
  private readonly names = new Set<string>();
  private readonly valueInfos = new Map<string, TensorRef>();
  private readonly cseNodes: Map<string, TensorRef[]> | undefined;
  private readonly cseConsts: Map<string, TensorRef> | undefined;
  private counter = 0;

  constructor(opts: GraphOptions = {}) {
    this.name = opts.name ?? 'graph';
    this.opset = opts.opset ?? 18;
    this.irVersion = opts.irVersion ?? 8;
    this.extraOpsets = opts.extraOpsets ?? [];
    this.producerName = opts.producerName ?? 'glint';
    this.docString = opts.docString;
    if (opts.cse) {
      this.cseNodes = new Map();
      this.cseConsts = new Map();
    }
  }

  // ---------------------------------------------------------------- structure

  /** A fresh unique value name starting with `hint`. */
  fresh(hint: string): string {
    let name = `${hint}_${this.counter++}`;
    while (this.names.has(name)) name = `${hint}_${this.counter++}`;
    this.names.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`duplicate value name in graph ${this.name}: ${name}`);
    this.names.add(name);
    return name;
  }

  /** Declares a graph input. */
  input(name: string, dtype: DType, shape: Shape): TensorRef {
    const ref: TensorRef = { name: this.claim(name), dtype, shape: [...shape] };
    this.inputs.push(valueInfo(ref));
    return ref;
  }

  /**
   * Declares a graph output. With `name` different from the value's, an Identity node gives it
   * that name. `shape` overrides the declared shape (e.g. to name dynamic dimensions).
   */
  output(ref: TensorRef, name?: string, shape?: Shape): TensorRef {
    let out = ref;
    if (name !== undefined && name !== ref.name) {
      const outShape = shape ?? ref.shape;
      out = this.node('Identity', [ref], {}, [
        { dtype: ref.dtype, name, ...(outShape ? { shape: outShape } : {}) },
      ])[0]!;
    }
    this.outputs.push(valueInfo({ ...out, shape: shape ?? out.shape }));
    return out;
  }

  /**
   * Adds an initializer. `data` may be a function, called only when the model is serialised
   * (so large weights are generated while streaming, one tensor at a time).
   */
  initializer(
    name: string,
    dtype: DType,
    dims: readonly number[],
    data: TensorData | (() => TensorData),
    opts: { param?: boolean } = {},
  ): TensorRef {
    return this.addInitializer(this.claim(name), dtype, dims, data, opts.param ?? true);
  }

  private addInitializer(
    name: string,
    dtype: DType,
    dims: readonly number[],
    data: TensorData | (() => TensorData),
    param: boolean,
  ): TensorRef {
    const ref: TensorRef = { name, dtype, shape: [...dims] };
    if (typeof data !== 'function' && data.length !== numel(dims)) {
      throw new Error(`initializer ${name}: ${data.length} elements for shape [${dims.join(', ')}]`);
    }
    this.inits.push({ ref, dims: [...dims], param, data });
    return ref;
  }

  /** A constant tensor (an initializer not counted as a parameter). */
  constant(
    dtype: DType,
    dims: readonly number[],
    values: readonly number[] | readonly bigint[] | TensorData,
    hint = 'const',
  ): TensorRef {
    let data: TensorData;
    if (ArrayBuffer.isView(values)) data = values;
    else {
      data = allocTensorData(dtype, values.length);
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as number | bigint;
        (data as unknown as (number | bigint)[])[i] = dtype === 'int64' ? BigInt(v) : Number(v);
      }
    }
    if (!this.cseConsts || data.length > CSE_CONST_MAX)
      return this.addInitializer(this.fresh(hint), dtype, dims, data, false);
    const key = cseJson([dtype, dims, data]);
    const known = this.cseConsts.get(key);
    if (known) return known;
    const ref = this.addInitializer(this.fresh(hint), dtype, dims, data, false);
    this.cseConsts.set(key, ref);
    return ref;
  }

  /** A scalar constant (shape []). */
  scalar(value: number, dtype: DType = 'float32'): TensorRef {
    return this.constant(dtype, [], [value], 'scalar');
  }

  /** A 1-D int64 constant (axes, shapes, slice bounds). */
  ints(values: readonly number[]): TensorRef {
    return this.constant('int64', [values.length], values, 'ints');
  }

  /**
   * Appends a node. `outputs` gives each output's dtype and shape (and optionally its name);
   * returns the output handles. Empty-string inputs (`null`) mark omitted optional inputs.
   */
  node(
    opType: string,
    inputs: readonly (TensorRef | null)[],
    attrs: Record<string, AttrValue | undefined> = {},
    outputs: readonly { dtype: DType; shape?: Shape; name?: string }[] = [
      { dtype: inputs[0]?.dtype ?? 'float32' },
    ],
    domain?: string,
  ): TensorRef[] {
    let key: string | undefined;
    if (this.cseNodes && !NO_CSE.has(opType) && outputs.every((o) => o.name === undefined)) {
      key = cseJson([opType, domain ?? '', inputs.map((i) => i?.name ?? ''), attrs, outputs]);
      const known = this.cseNodes.get(key);
      if (known) return known;
    }
    const outs: TensorRef[] = outputs.map((o) => {
      const ref: TensorRef = {
        name: o.name !== undefined ? this.claim(o.name) : this.fresh(opType),
        dtype: o.dtype,
      };
      return o.shape ? { ...ref, shape: o.shape } : ref;
    });
    const node: NodeProto = {
      opType,
      name: `${opType}_${this.nodes.length}`,
      input: inputs.map((i) => i?.name ?? ''),
      output: outs.map((o) => o.name),
      attribute: Object.entries(attrs)
        .filter((e): e is [string, AttrValue] => e[1] !== undefined)
        .map(([k, v]) => attribute(k, v)),
    };
    if (domain) node.domain = domain;
    this.nodes.push(node);
    this.records.push({ opType, inputs: [...inputs], outputs: outs, attrs, ...(domain ? { domain } : {}) });
    if (key !== undefined) this.cseNodes?.set(key, outs);
    return outs;
  }

  /** A single-output node. */
  op(
    opType: string,
    inputs: readonly (TensorRef | null)[],
    attrs: Record<string, AttrValue | undefined> = {},
    out?: { dtype?: DType; shape?: Shape; name?: string },
  ): TensorRef {
    const dtype = out?.dtype ?? inputs.find((i) => i)?.dtype ?? 'float32';
    return this.node(opType, inputs, attrs, [
      { dtype, ...(out?.shape ? { shape: out.shape } : {}), ...(out?.name ? { name: out.name } : {}) },
    ])[0] as TensorRef;
  }

  /** Records the shape of a value in value_info (helps readers; ORT infers shapes anyway). */
  annotate(ref: TensorRef): void {
    this.valueInfos.set(ref.name, ref);
  }

  // ---------------------------------------------------------------- operands

  private operand(x: Operand, like: TensorRef): TensorRef {
    return typeof x === 'number' ? this.scalar(x, like.dtype) : x;
  }

  private binary(opType: string, a: Operand, b: Operand, outDtype?: DType): TensorRef {
    if (typeof a === 'number' && typeof b === 'number')
      throw new Error(`${opType}: at least one operand must be a tensor`);
    const ta = typeof a === 'number' ? this.operand(a, b as TensorRef) : a;
    const tb = typeof b === 'number' ? this.operand(b, ta) : b;
    if (ta.dtype !== tb.dtype)
      throw new Error(`${opType}: dtype mismatch ${ta.name}:${ta.dtype} vs ${tb.name}:${tb.dtype}`);
    const shape = ta.shape && tb.shape ? broadcastShapes(ta.shape, tb.shape, opType) : undefined;
    return this.op(opType, [ta, tb], {}, { dtype: outDtype ?? ta.dtype, ...(shape ? { shape } : {}) });
  }

  private unary(opType: string, x: TensorRef, attrs: Record<string, AttrValue | undefined> = {}): TensorRef {
    return this.op(opType, [x], attrs, { dtype: x.dtype, ...(x.shape ? { shape: x.shape } : {}) });
  }

  // ---------------------------------------------------------------- elementwise

  /** a + b (broadcasting). */
  add(a: Operand, b: Operand): TensorRef {
    return this.binary('Add', a, b);
  }
  /** a − b (broadcasting). */
  sub(a: Operand, b: Operand): TensorRef {
    return this.binary('Sub', a, b);
  }
  /** a · b (broadcasting). */
  mul(a: Operand, b: Operand): TensorRef {
    return this.binary('Mul', a, b);
  }
  /** a / b (broadcasting). */
  div(a: Operand, b: Operand): TensorRef {
    return this.binary('Div', a, b);
  }
  /** a ^ b (broadcasting). */
  pow(a: Operand, b: Operand): TensorRef {
    return this.binary('Pow', a, b);
  }
  /** Element-wise maximum of two tensors. */
  max(a: Operand, b: Operand): TensorRef {
    return this.binary('Max', a, b);
  }
  /** Element-wise minimum of two tensors. */
  min(a: Operand, b: Operand): TensorRef {
    return this.binary('Min', a, b);
  }
  /** a == b → bool. */
  equal(a: Operand, b: Operand): TensorRef {
    return this.binary('Equal', a, b, 'bool');
  }
  /** a < b → bool. */
  less(a: Operand, b: Operand): TensorRef {
    return this.binary('Less', a, b, 'bool');
  }
  /** a > b → bool. */
  greater(a: Operand, b: Operand): TensorRef {
    return this.binary('Greater', a, b, 'bool');
  }
  /** a ≤ b → bool. */
  lessOrEqual(a: Operand, b: Operand): TensorRef {
    return this.binary('LessOrEqual', a, b, 'bool');
  }
  /** a ≥ b → bool. */
  greaterOrEqual(a: Operand, b: Operand): TensorRef {
    return this.binary('GreaterOrEqual', a, b, 'bool');
  }
  /** Logical and of two bool tensors. */
  and(a: TensorRef, b: TensorRef): TensorRef {
    return this.binary('And', a, b, 'bool');
  }
  /** Logical or of two bool tensors. */
  or(a: TensorRef, b: TensorRef): TensorRef {
    return this.binary('Or', a, b, 'bool');
  }
  /** Logical not. */
  not(x: TensorRef): TensorRef {
    return this.unary('Not', x);
  }
  /** cond ? a : b (broadcasting). */
  where(cond: TensorRef, a: Operand, b: Operand): TensorRef {
    const like = typeof a === 'number' ? (b as TensorRef) : a;
    const ta = this.operand(a, like);
    const tb = this.operand(b, ta);
    const shape =
      cond.shape && ta.shape && tb.shape
        ? broadcastShapes(broadcastShapes(cond.shape, ta.shape, 'Where'), tb.shape, 'Where')
        : undefined;
    return this.op('Where', [cond, ta, tb], {}, { dtype: ta.dtype, ...(shape ? { shape } : {}) });
  }
  /** −x. */
  neg(x: TensorRef): TensorRef {
    return this.unary('Neg', x);
  }
  /** |x|. */
  abs(x: TensorRef): TensorRef {
    return this.unary('Abs', x);
  }
  /** e^x. */
  exp(x: TensorRef): TensorRef {
    return this.unary('Exp', x);
  }
  /** ln x. */
  log(x: TensorRef): TensorRef {
    return this.unary('Log', x);
  }
  /** √x. */
  sqrt(x: TensorRef): TensorRef {
    return this.unary('Sqrt', x);
  }
  /** 1 / x. */
  reciprocal(x: TensorRef): TensorRef {
    return this.unary('Reciprocal', x);
  }
  /** tanh x. */
  tanh(x: TensorRef): TensorRef {
    return this.unary('Tanh', x);
  }
  /** 1 / (1 + e^−x). */
  sigmoid(x: TensorRef): TensorRef {
    return this.unary('Sigmoid', x);
  }
  /** The error function. */
  erf(x: TensorRef): TensorRef {
    return this.unary('Erf', x);
  }
  /** max(x, 0). */
  relu(x: TensorRef): TensorRef {
    return this.unary('Relu', x);
  }
  /** sign(x) ∈ {−1, 0, 1}. */
  sign(x: TensorRef): TensorRef {
    return this.unary('Sign', x);
  }
  /** A copy of x (e.g. to give a value a second name). */
  identity(x: TensorRef, name?: string): TensorRef {
    return this.op(
      'Identity',
      [x],
      {},
      { dtype: x.dtype, ...(x.shape ? { shape: x.shape } : {}), ...(name ? { name } : {}) },
    );
  }
  /** Exact GELU: 0.5·x·(1 + erf(x/√2)). */
  gelu(x: TensorRef): TensorRef {
    const inner = this.add(this.erf(this.mul(x, Math.SQRT1_2)), 1);
    return this.mul(this.mul(x, 0.5), inner);
  }
  /** CLIP's quick_gelu: x·sigmoid(1.702·x). */
  quickGelu(x: TensorRef): TensorRef {
    return this.mul(x, this.sigmoid(this.mul(x, 1.702)));
  }
  /** Type conversion. */
  cast(x: TensorRef, to: DType): TensorRef {
    return this.op('Cast', [x], { to: dtypeCode(to) }, { dtype: to, ...(x.shape ? { shape: x.shape } : {}) });
  }

  // ---------------------------------------------------------------- linear algebra

  /** Matrix product with numpy broadcasting of batch dimensions. */
  matMul(a: TensorRef, b: TensorRef): TensorRef {
    const shape = a.shape && b.shape ? matMulShape(a.shape, b.shape) : undefined;
    return this.op('MatMul', [a, b], {}, { dtype: a.dtype, ...(shape ? { shape } : {}) });
  }

  /** alpha·A'·B' + beta·C for 2-D A, B (transposed when asked). */
  gemm(
    a: TensorRef,
    b: TensorRef,
    c?: TensorRef,
    opts: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number } = {},
  ): TensorRef {
    let shape: Shape | undefined;
    if (a.shape?.length === 2 && b.shape?.length === 2) {
      shape = [opts.transA ? a.shape[1]! : a.shape[0]!, opts.transB ? b.shape[0]! : b.shape[1]!];
    }
    return this.op(
      'Gemm',
      c ? [a, b, c] : [a, b],
      {
        transA: opts.transA ? 1 : undefined,
        transB: opts.transB ? 1 : undefined,
        alpha: opts.alpha,
        beta: opts.beta,
      },
      { dtype: a.dtype, ...(shape ? { shape } : {}) },
    );
  }

  /** x·W + b with W [in, out] (a MatMul and an Add, as PyTorch exports Linear on 3-D inputs). */
  linear(x: TensorRef, w: TensorRef, b?: TensorRef): TensorRef {
    const y = this.matMul(x, w);
    return b ? this.add(y, b) : y;
  }

  /** 2-D convolution (NCHW). */
  conv(x: TensorRef, w: TensorRef, b: TensorRef | null, attrs: ConvAttrs = {}): TensorRef {
    let shape: Shape | undefined;
    const k = attrs.kernelShape ?? (w.shape?.slice(2) as number[] | undefined);
    if (x.shape?.length === 4 && w.shape?.length === 4 && k) {
      const s = attrs.strides ?? [1, 1];
      const p = attrs.pads ?? [0, 0, 0, 0];
      const sp = [0, 1].map((i) => {
        const d = x.shape![2 + i];
        return typeof d === 'number' ? Math.floor((d + p[i]! + p[i + 2]! - k[i]!) / s[i]!) + 1 : null;
      });
      shape = [x.shape[0]!, w.shape[0]!, ...sp];
    }
    return this.op(
      'Conv',
      b ? [x, w, b] : [x, w],
      {
        kernel_shape: attrs.kernelShape,
        strides: attrs.strides,
        pads: attrs.pads,
        dilations: attrs.dilations,
        group: attrs.group,
      },
      { dtype: x.dtype, ...(shape ? { shape } : {}) },
    );
  }

  // ---------------------------------------------------------------- normalisation, softmax, reductions

  /** Softmax along `axis`. */
  softmax(x: TensorRef, axis = -1): TensorRef {
    return this.unary('Softmax', x, { axis });
  }
  /** Log-softmax along `axis`. */
  logSoftmax(x: TensorRef, axis = -1): TensorRef {
    return this.unary('LogSoftmax', x, { axis });
  }
  /**
   * LayerNormalization over the dimensions from `axis` on (opset 17). In float32 the node also outputs its Mean and
   * InvStdDev, which the autodiff's backward reads instead of recomputing them (ONNX types them float or bfloat16
   * only, so float64 graphs recompute).
   */
  layerNorm(
    x: TensorRef,
    scale: TensorRef,
    bias: TensorRef | null,
    opts: { axis?: number; epsilon?: number } = {},
  ): TensorRef {
    const axis = opts.axis ?? -1;
    const y = { dtype: x.dtype, ...(x.shape ? { shape: x.shape } : {}) };
    const outputs = [y];
    if (x.dtype === 'float32') {
      const r = x.shape?.length;
      const from = axis < 0 && r !== undefined ? r + axis : axis;
      const stat = {
        dtype: x.dtype,
        ...(x.shape ? { shape: x.shape.map((d, i) => (i >= from ? 1 : d)) } : {}),
      };
      outputs.push(stat, stat);
    }
    return this.node(
      'LayerNormalization',
      bias ? [x, scale, bias] : [x, scale],
      { axis, epsilon: floatAttr(opts.epsilon ?? 1e-5) },
      outputs,
    )[0] as TensorRef;
  }

  /** A Reduce* op with axes as an input (opset 18); `axes` undefined reduces everything. */
  reduce(
    opType:
      | 'ReduceSum'
      | 'ReduceMean'
      | 'ReduceMax'
      | 'ReduceMin'
      | 'ReduceProd'
      | 'ReduceSumSquare'
      | 'ReduceL2'
      | 'ReduceL1'
      | 'ReduceLogSumExp',
    x: TensorRef,
    axes?: readonly number[],
    keepdims = true,
  ): TensorRef {
    const shape = x.shape ? reduceShape(x.shape, axes, keepdims) : undefined;
    return this.op(
      opType,
      axes ? [x, this.ints(axes)] : [x],
      { keepdims: keepdims ? 1 : 0 },
      { dtype: x.dtype, ...(shape ? { shape } : {}) },
    );
  }
  /** Sum over `axes`. */
  reduceSum(x: TensorRef, axes?: readonly number[], keepdims = true): TensorRef {
    return this.reduce('ReduceSum', x, axes, keepdims);
  }
  /** Mean over `axes`. */
  reduceMean(x: TensorRef, axes?: readonly number[], keepdims = true): TensorRef {
    return this.reduce('ReduceMean', x, axes, keepdims);
  }
  /** Maximum over `axes`. */
  reduceMax(x: TensorRef, axes?: readonly number[], keepdims = true): TensorRef {
    return this.reduce('ReduceMax', x, axes, keepdims);
  }
  /** Index of the maximum along `axis` (int64). */
  argMax(x: TensorRef, axis: number, keepdims = false): TensorRef {
    const shape = x.shape ? reduceShape(x.shape, [axis], keepdims) : undefined;
    return this.op(
      'ArgMax',
      [x],
      { axis, keepdims: keepdims ? 1 : 0 },
      { dtype: 'int64', ...(shape ? { shape } : {}) },
    );
  }
  /** x / max(‖x‖₂, eps) along `axis`. */
  l2Normalize(x: TensorRef, axis = -1, eps = 1e-12): TensorRef {
    const norm = this.reduce('ReduceL2', x, [axis], true);
    return this.div(x, this.max(norm, eps));
  }

  // ---------------------------------------------------------------- shape manipulation

  /** Permutes dimensions. */
  transpose(x: TensorRef, perm: readonly number[]): TensorRef {
    const shape = x.shape ? transposeShape(x.shape, perm) : undefined;
    return this.op('Transpose', [x], { perm: [...perm] }, { dtype: x.dtype, ...(shape ? { shape } : {}) });
  }
  /** Reshape; a literal target may use 0 (copy the input dim) and −1 (infer). */
  reshape(x: TensorRef, shape: readonly number[] | TensorRef, outShape?: Shape): TensorRef {
    const target = Array.isArray(shape) ? this.ints(shape as number[]) : (shape as TensorRef);
    let inferred = outShape;
    if (!inferred && Array.isArray(shape)) {
      const lit = shape as number[];
      inferred = lit.map((d, i) => (d === 0 ? (x.shape?.[i] ?? null) : d === -1 ? null : d));
    }
    return this.op('Reshape', [x, target], {}, { dtype: x.dtype, ...(inferred ? { shape: inferred } : {}) });
  }
  /** Concatenates along `axis`. */
  concat(xs: readonly TensorRef[], axis: number): TensorRef {
    const first = xs[0];
    if (!first) throw new Error('concat: no inputs');
    const shape = xs.every((x) => x.shape)
      ? concatShape(
          xs.map((x) => x.shape!),
          axis,
        )
      : undefined;
    return this.op('Concat', xs, { axis }, { dtype: first.dtype, ...(shape ? { shape } : {}) });
  }
  /** Slice with literal or tensor bounds (int64). */
  slice(
    x: TensorRef,
    starts: readonly number[] | TensorRef,
    ends: readonly number[] | TensorRef,
    axes?: readonly number[],
    steps?: readonly number[],
    outShape?: Shape,
  ): TensorRef {
    const t = (v: readonly number[] | TensorRef): TensorRef =>
      Array.isArray(v) ? this.ints(v as number[]) : (v as TensorRef);
    const inputs: (TensorRef | null)[] = [x, t(starts), t(ends)];
    if (axes || steps) inputs.push(axes ? this.ints(axes) : null);
    if (steps) inputs.push(this.ints(steps));
    let shape = outShape;
    if (!shape && x.shape && Array.isArray(starts) && Array.isArray(ends) && !steps) {
      const s = [...x.shape];
      const ax = axes ?? starts.map((_, i) => i);
      ax.forEach((a, i) => {
        const axis = a < 0 ? a + s.length : a;
        const d = s[axis];
        const st = (starts as number[])[i]!;
        const en = (ends as number[])[i]!;
        // NOTE: on a symbolic dim the result depends on the runtime size (ends clamp): unknown.
        s[axis] =
          typeof d === 'number'
            ? Math.max(0, Math.min(en < 0 ? en + d : en, d) - Math.min(st < 0 ? st + d : st, d))
            : null;
      });
      shape = s;
    }
    return this.op('Slice', inputs, {}, { dtype: x.dtype, ...(shape ? { shape } : {}) });
  }
  /** Gather along `axis` with int64 (or int32) indices. */
  gather(x: TensorRef, indices: TensorRef, axis = 0): TensorRef {
    let shape: Shape | undefined;
    if (x.shape && indices.shape) {
      const a = axis < 0 ? axis + x.shape.length : axis;
      shape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
    }
    return this.op('Gather', [x, indices], { axis }, { dtype: x.dtype, ...(shape ? { shape } : {}) });
  }
  /** GatherND (e.g. one row per batch entry with batch_dims = 1). */
  gatherND(x: TensorRef, indices: TensorRef, batchDims = 0, outShape?: Shape): TensorRef {
    return this.op(
      'GatherND',
      [x, indices],
      { batch_dims: batchDims || undefined },
      { dtype: x.dtype, ...(outShape ? { shape: outShape } : {}) },
    );
  }
  /** Inserts size-1 dimensions at `axes`. */
  unsqueeze(x: TensorRef, axes: readonly number[]): TensorRef {
    const shape = x.shape ? unsqueezeShape(x.shape, axes) : undefined;
    return this.op('Unsqueeze', [x, this.ints(axes)], {}, { dtype: x.dtype, ...(shape ? { shape } : {}) });
  }
  /** Removes size-1 dimensions at `axes`. */
  squeeze(x: TensorRef, axes: readonly number[]): TensorRef {
    const shape = x.shape ? squeezeShape(x.shape, axes) : undefined;
    return this.op('Squeeze', [x, this.ints(axes)], {}, { dtype: x.dtype, ...(shape ? { shape } : {}) });
  }
  /** Broadcasts x to `shape` (an int64 tensor or literal). */
  expand(x: TensorRef, shape: readonly number[] | TensorRef, outShape?: Shape): TensorRef {
    const target = Array.isArray(shape) ? this.ints(shape as number[]) : (shape as TensorRef);
    return this.op('Expand', [x, target], {}, { dtype: x.dtype, ...(outShape ? { shape: outShape } : {}) });
  }
  /** The shape of x as an int64 vector (optionally dims start..end). */
  shapeOf(x: TensorRef, start?: number, end?: number): TensorRef {
    const rank = x.shape?.length;
    let len: number | null = null;
    if (rank !== undefined) {
      const s = start === undefined ? 0 : start < 0 ? start + rank : start;
      const e = end === undefined ? rank : end < 0 ? end + rank : end;
      len = Math.max(0, e - s);
    }
    return this.op('Shape', [x], { start, end }, { dtype: 'int64', shape: [len] });
  }
  /** One dimension of x as a 1-element int64 vector (shape [1]). */
  dimOf(x: TensorRef, axis: number): TensorRef {
    return this.shapeOf(x, axis, axis === -1 ? undefined : axis + 1);
  }
  /** [start, limit) with step `delta`; all three are scalars of one dtype. */
  range(start: TensorRef, limit: TensorRef, delta: TensorRef): TensorRef {
    return this.op('Range', [start, limit, delta], {}, { dtype: start.dtype, shape: [null] });
  }

  // ---------------------------------------------------------------- output

  /** Total number of elements in parameter initializers (weights, not structural constants). */
  paramCount(): number {
    return this.inits.filter((i) => i.param).reduce((n, i) => n + numel(i.dims), 0);
  }

  /** The nodes added so far with their typed inputs, outputs and attributes, in order (for autodiff). */
  graphNodes(): readonly GraphNode[] {
    return this.records;
  }

  /** The initializers added so far (for tests and exporters). */
  initializers(): readonly InitializerEntry[] {
    return this.inits;
  }

  /**
   * The model in streamable form (see model-writer.ts), without the nodes no graph output depends on; `keepDead`
   * keeps every node recorded so far (the autodiff reads the forward pass before its outputs exist).
   */
  toStreamable(opts: { keepDead?: boolean } = {}): StreamableModel {
    const model: ModelProto = {
      irVersion: this.irVersion,
      producerName: this.producerName,
      opsetImport: [{ domain: '', version: this.opset }, ...this.extraOpsets],
    };
    if (this.docString) model.docString = this.docString;
    const live = opts.keepDead ? this.nodes : liveNodes(this.nodes, this.outputs);
    const used = opts.keepDead ? undefined : namesIn(live, this.outputs);
    const keep = (name: string): boolean => used === undefined || used.has(name);
    const graph: GraphProto = {
      name: this.name,
      node: live,
      input: this.inputs,
      output: this.outputs,
      valueInfo: [...this.valueInfos.values()].filter((r) => keep(r.name)).map(valueInfo),
    };
    const inits = this.inits.filter((i) => keep(i.ref.name));
    const initializers: StreamedTensor[] = inits.map((i) => ({
      name: i.ref.name,
      dims: i.dims,
      dataType: dtypeCode(i.ref.dtype),
      byteLength: numel(i.dims) * dtypeBytes(i.ref.dtype),
      bytes: () => tensorBytes(typeof i.data === 'function' ? i.data() : i.data),
    }));
    return { model, graph, initializers };
  }

  /** Serialised size in bytes, computed without producing any weights. */
  byteSize(): number {
    return modelByteSize(this.toStreamable());
  }

  /** The serialised model in one buffer. */
  toBytes(): Uint8Array {
    return modelToBytes(this.toStreamable());
  }

  /** Streams the model to `path`; returns the bytes written. */
  writeFile(path: string): Promise<number> {
    return writeModelFile(this.toStreamable(), path);
  }
}

/**
 * The nodes that some graph output depends on, in their original order. Autodiff builds the whole backward of
 * each forward node, including gradients no parameter or output reads (e.g. of a feed or of an integer index);
 * leaving them in the model would have ORT run them every step.
 */
function liveNodes(nodes: readonly NodeProto[], outputs: readonly ValueInfoProto[]): NodeProto[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const o of n.output ?? []) if (o) producer.set(o, i);
  });
  const keep = new Uint8Array(nodes.length);
  const stack = outputs.map((o) => o.name ?? '');
  while (stack.length) {
    const i = producer.get(stack.pop() as string);
    if (i === undefined || keep[i]) continue;
    keep[i] = 1;
    for (const t of nodes[i]?.input ?? []) if (t) stack.push(t);
  }
  return nodes.filter((_, i) => keep[i] === 1);
}

/** Every value name the nodes read or write, and the graph outputs' names. */
function namesIn(nodes: readonly NodeProto[], outputs: readonly ValueInfoProto[]): Set<string> {
  const names = new Set(outputs.map((o) => o.name ?? ''));
  for (const n of nodes) for (const t of [...(n.input ?? []), ...(n.output ?? [])]) names.add(t);
  return names;
}

function typeProto(dtype: DType, shape?: Shape): TypeProto {
  const tensorType: NonNullable<TypeProto['tensorType']> = { elemType: dtypeCode(dtype) };
  if (shape)
    tensorType.shape = {
      dim: shape.map((d) =>
        typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {},
      ),
    };
  return { tensorType };
}

function valueInfo(ref: TensorRef): ValueInfoProto {
  return { name: ref.name, type: typeProto(ref.dtype, ref.shape) };
}

function attribute(name: string, v: AttrValue): AttributeProto {
  if (typeof v === 'number') {
    return Number.isInteger(v) && !FLOAT_ATTRS.has(name)
      ? { name, type: ATTRIBUTE_TYPE.INT, i: v }
      : { name, type: ATTRIBUTE_TYPE.FLOAT, f: v };
  }
  if (typeof v === 'string') return { name, type: ATTRIBUTE_TYPE.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string'))
      return {
        name,
        type: ATTRIBUTE_TYPE.STRINGS,
        strings: (v as string[]).map((s) => new TextEncoder().encode(s)),
      };
    const nums = v as number[];
    return nums.every(Number.isInteger) && !FLOAT_ATTRS.has(name)
      ? { name, type: ATTRIBUTE_TYPE.INTS, ints: [...nums] }
      : { name, type: ATTRIBUTE_TYPE.FLOATS, floats: [...nums] };
  }
  const t = v as TypedAttr;
  switch (t.kind) {
    case 'float':
      return { name, type: ATTRIBUTE_TYPE.FLOAT, f: t.value };
    case 'floats':
      return { name, type: ATTRIBUTE_TYPE.FLOATS, floats: [...t.value] };
    case 'int':
      return { name, type: ATTRIBUTE_TYPE.INT, i: t.value };
    case 'ints':
      return { name, type: ATTRIBUTE_TYPE.INTS, ints: [...t.value] };
    case 'string':
      return { name, type: ATTRIBUTE_TYPE.STRING, s: new TextEncoder().encode(t.value) };
    case 'tensor':
      return {
        name,
        type: ATTRIBUTE_TYPE.TENSOR,
        t: { dims: [...t.dims], dataType: dtypeCode(t.dtype), rawData: tensorBytes(t.data) },
      };
  }
}
