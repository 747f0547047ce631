/**
 * Reverse-mode automatic differentiation over a GraphBuilder graph. `gradients(g, loss, params)`
 * appends gradient subgraphs made of standard ONNX ops to the same graph and returns
 * dLoss/dParam handles, so one ONNX model can run forward + backward (+ an optimiser update, see
 * optimizer.ts / train-step.ts) in ONNX Runtime, which has no training API in Node.
 *
 * Rules live per op family in grad-elementwise.ts, grad-matmul.ts, grad-reduce.ts,
 * grad-shape.ts and grad-nn.ts. Conventions (as PyTorch): Relu'(0) = 0, |x|'(0) = 0, ties in
 * Max/Min and ReduceMax/ReduceMin split the gradient evenly among the tied inputs/elements.
 *
 * Build the forward graph with `DiffGraph` (a GraphBuilder that remembers every value's dtype and
 * static shape) so rules can use static shapes; on a plain GraphBuilder, intermediate values
 * fall back to inferred dtypes and unknown shapes (Shape-op based gradients), and the few rules
 * that need a rank (MatMul, Gather on axis ≠ 0) say so.
 */
import { GraphBuilder, dtypeFromCode } from './graph-builder.ts';
import type { AttrValue, DType, Shape, TensorRef } from './graph-builder.ts';
import type { NodeProto, ValueInfoProto } from './onnx-proto.ts';
import { GradContext, isFloat, staticDims } from './grad-context.ts';
import type { GradRule } from './grad-context.ts';
import { elementwiseRules } from './grad-elementwise.ts';
import { matmulRules } from './grad-matmul.ts';
import { reduceRules } from './grad-reduce.ts';
import { shapeRules } from './grad-shape.ts';
import { nnRules } from './grad-nn.ts';

/** Marker in a node's doc_string that makes it a gradient barrier. */
export const STOP_GRADIENT_DOC = 'glint:stop_gradient';

/** Ops whose output is a bool tensor: comparisons, logic and NaN/Inf tests. */
const BOOL_OUTPUT_OPS = [
  'Equal',
  'Less',
  'Greater',
  'LessOrEqual',
  'GreaterOrEqual',
  'And',
  'Or',
  'Xor',
  'Not',
  'IsNaN',
  'IsInf',
] as const;

/** Ops whose outputs carry no gradient (comparisons, shape queries, index results, step functions). */
export const NON_DIFFERENTIABLE_OPS: ReadonlySet<string> = new Set([
  ...BOOL_OUTPUT_OPS,
  'Shape',
  'Size',
  'ArgMax',
  'ArgMin',
  'Sign',
  'Floor',
  'Ceil',
  'Round',
  'NonZero',
  'ConstantOfShape',
  'Range',
  'Constant',
  'EyeLike',
  'OneHot',
  'RandomNormal',
  'RandomUniform',
  'RandomNormalLike',
  'RandomUniformLike',
]);

/** All gradient rules by ONNX op type. */
export const GRAD_RULES: Readonly<Record<string, GradRule>> = {
  ...elementwiseRules,
  ...matmulRules,
  ...reduceRules,
  ...shapeRules,
  ...nnRules,
};

/** Whether autodiff has a gradient rule for an op (or knows it is non-differentiable). */
export function hasGradRule(opType: string): boolean {
  return opType in GRAD_RULES || NON_DIFFERENTIABLE_OPS.has(opType);
}

/** A GraphBuilder that records every value's dtype and static shape for the autodiff. */
export class DiffGraph extends GraphBuilder {
  private readonly known = new Map<string, TensorRef>();

  override node(
    opType: string,
    inputs: readonly (TensorRef | null)[],
    attrs: Record<string, AttrValue | undefined> = {},
    outputs?: readonly { dtype: DType; shape?: Shape; name?: string }[],
    domain?: string,
  ): TensorRef[] {
    const outs = super.node(opType, inputs, attrs, outputs, domain);
    for (const o of outs) this.known.set(o.name, o);
    return outs;
  }

  /** The recorded handle of a value produced by a node, if any. */
  valueRef(name: string): TensorRef | undefined {
    return this.known.get(name);
  }
}

/**
 * An Identity that is a gradient barrier: the forward value passes through, no gradient flows
 * back into `x` through this use (other uses of `x` still get theirs).
 */
export function stopGradient(g: GraphBuilder, x: TensorRef): TensorRef {
  const y = g.identity(x);
  const node = g.toStreamable({ keepDead: true }).graph.node?.find((n) => n.output?.[0] === y.name);
  if (node) node.docString = STOP_GRADIENT_DOC;
  return y;
}

/** Whether a node is a stop-gradient barrier. */
export function isStopGradient(node: NodeProto): boolean {
  return node.opType === 'Identity' && node.docString === STOP_GRADIENT_DOC;
}

/** Options for `gradients`. */
export interface GradientOptions {
  /** dLoss/dLoss; default ones (the loss must then have one element). */
  seed?: TensorRef;
}

function refFromValueInfo(v: ValueInfoProto): TensorRef | undefined {
  const tt = v.type?.tensorType;
  if (!v.name || tt?.elemType === undefined) return undefined;
  let dtype: DType;
  try {
    dtype = dtypeFromCode(tt.elemType);
  } catch {
    return undefined;
  }
  const dims = tt.shape?.dim;
  return dims
    ? { name: v.name, dtype, shape: dims.map((d) => d.dimValue ?? d.dimParam ?? null) }
    : { name: v.name, dtype };
}

const BOOL_OUT: ReadonlySet<string> = new Set(BOOL_OUTPUT_OPS);
const INT64_OUT = new Set(['Shape', 'Size', 'ArgMax', 'ArgMin', 'NonZero']);

/** Value handles for every name in the graph: recorded, declared, or with an inferred dtype. */
function valueTable(g: GraphBuilder, nodes: readonly NodeProto[]): (name: string) => TensorRef {
  const table = new Map<string, TensorRef>();
  const s = g.toStreamable({ keepDead: true }).graph;
  for (const v of [...(s.input ?? []), ...(s.valueInfo ?? []), ...(s.output ?? [])]) {
    const r = refFromValueInfo(v);
    if (r) table.set(r.name, r);
  }
  for (const i of g.initializers()) table.set(i.ref.name, i.ref);
  const tracked = g instanceof DiffGraph ? g : undefined;
  for (const n of nodes) {
    (n.output ?? []).forEach((name, k) => {
      if (!name) return;
      const rec = tracked?.valueRef(name);
      if (rec) {
        table.set(name, rec);
        return;
      }
      if (table.has(name)) return;
      // NOTE: fallback dtype inference for plain builders: most ops keep their first float input's dtype.
      let dtype: DType | undefined;
      const op = n.opType ?? '';
      if (op === 'Cast') dtype = dtypeFromCode(Number(n.attribute?.find((a) => a.name === 'to')?.i ?? 1));
      else if (BOOL_OUT.has(op)) dtype = 'bool';
      else if (INT64_OUT.has(op) || (op === 'TopK' && k === 1)) dtype = 'int64';
      else {
        const ins = (n.input ?? []).filter((x) => x !== '').map((x) => table.get(x));
        const start = op === 'Where' ? 1 : 0;
        dtype = ins.slice(start).find((r) => r !== undefined)?.dtype;
      }
      table.set(name, { name, dtype: dtype ?? 'float32' });
    });
  }
  return (name: string) => {
    const r = table.get(name);
    if (!r) throw new Error(`autodiff: unknown value '${name}' (not produced by this graph)`);
    return r;
  };
}

function accumulate(g: GraphBuilder, parts: readonly TensorRef[]): TensorRef {
  if (parts.length === 1) return parts[0] as TensorRef;
  const first = parts[0] as TensorRef;
  // NOTE: all contributions have the value's shape, so one variadic Sum adds them.
  return g.op('Sum', parts, {}, { dtype: first.dtype, ...(first.shape ? { shape: first.shape } : {}) });
}

/**
 * Appends the gradient of a scalar `loss` with respect to each of `params` (graph inputs,
 * initializers or any float values of the graph) and returns the gradient handles, in order.
 * A parameter the loss does not depend on gets zeros. Throws, naming the op and node, when a
 * node on a loss ← parameter path has no gradient rule.
 */
export function gradients(
  g: GraphBuilder,
  loss: TensorRef,
  params: readonly TensorRef[],
  opts: GradientOptions = {},
): TensorRef[] {
  const nodes = [...(g.toStreamable({ keepDead: true }).graph.node ?? [])];
  const ref = valueTable(g, nodes);
  const ctx = new GradContext(g);

  for (const p of params) {
    if (!isFloat(p.dtype)) throw new Error(`autodiff: parameter ${p.name} is ${p.dtype}, not a float tensor`);
  }
  // Forward pass: which values depend (differentiably) on a parameter.
  const requires = new Set(params.map((p) => p.name));
  for (const n of nodes) {
    const op = n.opType ?? '';
    if (NON_DIFFERENTIABLE_OPS.has(op) || isStopGradient(n)) continue;
    if (!(n.input ?? []).some((i) => i !== '' && requires.has(i))) continue;
    for (const o of n.output ?? []) if (o !== '' && isFloat(ref(o).dtype)) requires.add(o);
  }

  const contributions = new Map<string, TensorRef[]>();
  const add = (name: string, gr: TensorRef): void => {
    const list = contributions.get(name);
    if (list) list.push(gr);
    else contributions.set(name, [gr]);
  };

  if (requires.has(loss.name)) {
    let seed = opts.seed;
    if (!seed) {
      const dims = staticDims(loss);
      if (dims && dims.some((d) => d !== 1))
        throw new Error(
          `autodiff: loss ${loss.name} has shape [${dims.join(', ')}]; pass a seed or reduce it`,
        );
      seed = dims ? g.constant(loss.dtype, dims, [1], 'grad_seed') : ctx.filledLike(loss, 1);
    }
    add(loss.name, seed);

    for (let k = nodes.length - 1; k >= 0; k--) {
      const n = nodes[k] as NodeProto;
      const op = n.opType ?? '';
      const outNames = n.output ?? [];
      if (!outNames.some((o) => contributions.has(o))) continue;
      if (NON_DIFFERENTIABLE_OPS.has(op) || isStopGradient(n)) continue;
      const inNames = n.input ?? [];
      const needs = inNames.map((i) => i !== '' && requires.has(i));
      if (!needs.some(Boolean)) continue;
      const rule = GRAD_RULES[op];
      if (!rule)
        throw new Error(
          `autodiff: no gradient rule for ONNX op '${op}' (node ${n.name ?? '?'}, output ${outNames[0] ?? '?'})`,
        );
      const grads = outNames.map((o) => {
        const parts = contributions.get(o);
        return parts ? accumulate(g, parts) : null;
      });
      const inputs = inNames.map((i) => (i === '' ? null : ref(i)));
      const outputs = outNames.map((o) => ref(o));
      const res = rule({ ctx, node: n, inputs, outputs, grads, needs });
      inNames.forEach((name, i) => {
        const gr = res[i];
        if (needs[i] && gr) add(name, gr);
      });
    }
  }

  return params.map((p) => {
    const parts = contributions.get(p.name);
    if (!parts) return ctx.zerosLike(p);
    const gr = accumulate(g, parts);
    return p.shape && !gr.shape ? { ...gr, shape: p.shape } : gr;
  });
}
