/**
 * Shared machinery for the gradient rules of the reverse-mode autodiff (autodiff.ts): the rule
 * signature, attribute/constant readers, and the shape helpers every rule needs (undoing
 * broadcasting, zeros/ones of a tensor's shape) with static shapes where the builder knows them
 * and Shape-op based dynamic handling where it does not.
 */
import { numel } from './graph-builder.ts';
import type { DType, GraphBuilder, Shape, TensorData, TensorRef } from './graph-builder.ts';
import type { AttributeProto, NodeProto } from './onnx-proto.ts';

/** What a gradient rule gets for one forward node. */
export interface GradArgs {
  ctx: GradContext;
  node: NodeProto;
  /** The node's inputs (null for omitted optional inputs). */
  inputs: readonly (TensorRef | null)[];
  /** The node's outputs. */
  outputs: readonly TensorRef[];
  /** dLoss/dOutput per output; null where an output does not reach the loss. */
  grads: readonly (TensorRef | null)[];
  /** Whether each input needs a gradient (it depends on a differentiated parameter). */
  needs: readonly boolean[];
}

/** A gradient rule: dLoss/dInput per input (null where none is needed or it is not differentiable). */
export type GradRule = (args: GradArgs) => (TensorRef | null)[];

/** Whether a dtype is a floating-point type (only those carry gradients). */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** Fully static dims of a ref, or undefined when any dim (or the rank) is unknown. */
export function staticDims(ref: TensorRef): number[] | undefined {
  if (!ref.shape || !ref.shape.every((d) => typeof d === 'number')) return undefined;
  return ref.shape as number[];
}

/** Helpers bound to one builder, handed to every rule. */
export class GradContext {
  private initData: Map<string, TensorData | (() => TensorData)> | undefined;

  /** The builder the gradient graph is appended to. */
  readonly g: GraphBuilder;

  constructor(g: GraphBuilder) {
    this.g = g;
  }

  /** An attribute of a node, or undefined. */
  attr(node: NodeProto, name: string): AttributeProto | undefined {
    return node.attribute?.find((a) => a.name === name);
  }

  /** An INT attribute (with a default). */
  attrInt(node: NodeProto, name: string, dflt: number): number {
    const a = this.attr(node, name);
    return a?.i !== undefined ? Number(a.i) : dflt;
  }

  /** An INTS attribute, or undefined. */
  attrInts(node: NodeProto, name: string): number[] | undefined {
    const a = this.attr(node, name);
    return a?.ints ? a.ints.map(Number) : undefined;
  }

  /** A FLOAT attribute (with a default). */
  attrFloat(node: NodeProto, name: string, dflt: number): number {
    const a = this.attr(node, name);
    return a?.f !== undefined ? a.f : dflt;
  }

  /** A STRING attribute (with a default). */
  attrString(node: NodeProto, name: string, dflt: string): string {
    const a = this.attr(node, name);
    return a?.s ? new TextDecoder().decode(a.s) : dflt;
  }

  /** The values of a constant (an initializer of the builder), or undefined for a computed value. */
  constValues(ref: TensorRef | null | undefined): number[] | undefined {
    if (!ref) return undefined;
    if (!this.initData) {
      this.initData = new Map(this.g.initializers().map((i) => [i.ref.name, i.data]));
    }
    let data = this.initData.get(ref.name);
    if (data === undefined) {
      // NOTE: initializers added after the first lookup (by earlier rules) are not constants the
      // forward graph uses, but refresh once so a late lookup still finds them.
      this.initData = new Map(this.g.initializers().map((i) => [i.ref.name, i.data]));
      data = this.initData.get(ref.name);
    }
    if (data === undefined) return undefined;
    const arr = typeof data === 'function' ? data() : data;
    return Array.from(arr as ArrayLike<number | bigint>, (v) => Number(v));
  }

  /** A scalar constant of `dtype`. */
  scalar(value: number, dtype: DType): TensorRef {
    return this.g.scalar(value, dtype);
  }

  /** The shape of `x` as an int64 vector: a constant when static, a Shape op otherwise. */
  shapeTensor(x: TensorRef): TensorRef {
    const dims = staticDims(x);
    return dims ? this.g.ints(dims) : this.g.shapeOf(x);
  }

  /** A tensor of x's shape and dtype filled with `value` (ConstantOfShape, so no big initializer). */
  filledLike(x: TensorRef, value: number, dtype: DType = x.dtype): TensorRef {
    const data = dtype === 'float64' ? new Float64Array([value]) : new Float32Array([value]);
    return this.g.op(
      'ConstantOfShape',
      [this.shapeTensor(x)],
      { value: { kind: 'tensor', dtype, dims: [1], data } },
      { dtype, ...(x.shape ? { shape: x.shape } : {}) },
    );
  }

  /** Zeros shaped like x. */
  zerosLike(x: TensorRef): TensorRef {
    return this.filledLike(x, 0);
  }

  /** Broadcasts `grad` to x's shape (Expand). */
  expandTo(grad: TensorRef, x: TensorRef): TensorRef {
    return this.g.expand(grad, this.shapeTensor(x), x.shape);
  }

  /** Reshapes `grad` to x's shape. */
  reshapeTo(grad: TensorRef, x: TensorRef): TensorRef {
    return this.g.reshape(grad, this.shapeTensor(x), x.shape);
  }

  /** Casts a bool mask to a float dtype. */
  mask(cond: TensorRef, dtype: DType): TensorRef {
    return this.g.cast(cond, dtype);
  }

  /**
   * Undoes numpy broadcasting: sums `grad` (shaped like the broadcast result, `outShape` when
   * known) over the axes where x was broadcast, and reshapes it to x's shape. Static axes when
   * the shapes decide it; otherwise axes computed in the graph (dims where x's shape, padded with
   * leading ones, differs from grad's) and ReduceSum with noop_with_empty_axes.
   */
  unbroadcast(grad: TensorRef, x: TensorRef, outShape?: Shape): TensorRef {
    const g = this.g;
    const xs = x.shape;
    const ys = outShape ?? grad.shape;
    if (xs && ys && xs.length <= ys.length) {
      const lead = ys.length - xs.length;
      const axes: number[] = [];
      for (let i = 0; i < lead; i++) axes.push(i);
      let decided = true;
      for (let i = 0; i < xs.length && decided; i++) {
        const dx = xs[i] as Shape[number];
        const dy = ys[lead + i] as Shape[number];
        if (dx !== null && dx === dy) continue;
        if (dx === 1) axes.push(lead + i);
        else if (typeof dx === 'number' && typeof dy === 'number')
          throw new Error(`autodiff: cannot unbroadcast [${ys.join(', ')}] to [${xs.join(', ')}]`);
        else decided = false;
      }
      if (decided) {
        if (axes.length === 0) return grad;
        let r = g.reduceSum(grad, axes, true);
        if (lead > 0) r = g.squeeze(r, axes.slice(0, lead));
        return r;
      }
    }
    // NOTE: dynamic path, valid for any ranks: pad x's shape with leading ones to grad's rank.
    const xShape = g.shapeOf(x);
    const yShape = g.shapeOf(grad);
    const lead = g.sub(
      g.op('Size', [yShape], {}, { dtype: 'int64', shape: [] }),
      g.op('Size', [xShape], {}, { dtype: 'int64', shape: [] }),
    );
    const ones = g.op(
      'ConstantOfShape',
      [g.reshape(lead, [1])],
      { value: { kind: 'tensor', dtype: 'int64', dims: [1], data: new BigInt64Array([1n]) } },
      { dtype: 'int64', shape: [null] },
    );
    const padded = g.concat([ones, xShape], 0);
    const differ = g.not(g.equal(padded, yShape));
    const axes = g.reshape(g.op('NonZero', [differ], {}, { dtype: 'int64', shape: [1, null] }), [-1]);
    const summed = g.op(
      'ReduceSum',
      [grad, axes],
      { keepdims: 1, noop_with_empty_axes: 1 },
      { dtype: grad.dtype, ...(grad.shape ? { shape: grad.shape.map(() => null) } : {}) },
    );
    return g.reshape(summed, xShape, xs);
  }

  /** Number of elements of x as a scalar of `dtype` (constant when static). */
  sizeOf(x: TensorRef, dtype: DType): TensorRef {
    const dims = staticDims(x);
    if (dims) return this.scalar(numel(dims), dtype);
    return this.g.cast(this.g.op('Size', [x], {}, { dtype: 'int64', shape: [] }), dtype);
  }
}
