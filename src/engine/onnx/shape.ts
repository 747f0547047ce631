/** Static shape inference for the graph builder (numpy broadcasting rules, ONNX op semantics). */
import type { Dim, Shape } from './graph-builder.ts';

function mergeDim(a: Dim, b: Dim, what: string): Dim {
  if (a === 1) return b;
  if (b === 1) return a;
  if (a === b) return a;
  if (typeof a === 'number' && typeof b === 'number')
    throw new Error(`${what}: cannot broadcast ${a} with ${b}`);
  // NOTE: a fixed size > 1 against a symbolic dim: broadcasting only works if they are equal.
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  return null;
}

/** The numpy-broadcast shape of two shapes; throws on a static mismatch. */
export function broadcastShapes(a: Shape, b: Shape, what = 'broadcast'): Shape {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : (a[i - (n - a.length)] as Dim);
    const db = i < n - b.length ? 1 : (b[i - (n - b.length)] as Dim);
    out.push(mergeDim(da, db, what));
  }
  return out;
}

/** The shape of MatMul(a, b) (numpy matmul, 1-D operands promoted and squeezed). */
export function matMulShape(a: Shape, b: Shape): Shape {
  const a2 = a.length === 1 ? [1, a[0] as Dim] : a;
  const b2 = b.length === 1 ? [b[0] as Dim, 1] : b;
  const k1 = a2[a2.length - 1] as Dim;
  const k2 = b2[b2.length - 2] as Dim;
  if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2)
    throw new Error(`MatMul: inner dimensions ${k1} and ${k2} differ`);
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2), 'MatMul');
  const out: Dim[] = [...batch];
  if (a.length !== 1) out.push(a2[a2.length - 2] as Dim);
  if (b.length !== 1) out.push(b2[b2.length - 1] as Dim);
  return out;
}

const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

/** The shape after reducing `axes` (all when undefined). */
export function reduceShape(s: Shape, axes: readonly number[] | undefined, keepdims: boolean): Shape {
  const set = new Set((axes ?? s.map((_, i) => i)).map((a) => norm(a, s.length)));
  const out: Dim[] = [];
  s.forEach((d, i) => {
    if (!set.has(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

/** The shape after Transpose(perm). */
export function transposeShape(s: Shape, perm: readonly number[]): Shape {
  if (perm.length !== s.length)
    throw new Error(`Transpose: perm of length ${perm.length} for rank ${s.length}`);
  return perm.map((p) => s[p] as Dim);
}

/** The shape after Unsqueeze(axes). */
export function unsqueezeShape(s: Shape, axes: readonly number[]): Shape {
  const rank = s.length + axes.length;
  const set = new Set(axes.map((a) => norm(a, rank)));
  const out: Dim[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(set.has(i) ? 1 : (s[j++] as Dim));
  return out;
}

/** The shape after Squeeze(axes). */
export function squeezeShape(s: Shape, axes: readonly number[]): Shape {
  const set = new Set(axes.map((a) => norm(a, s.length)));
  return s.filter((_, i) => !set.has(i));
}

/** The shape after Concat(axis). */
export function concatShape(shapes: readonly Shape[], axis: number): Shape {
  const first = shapes[0] as Shape;
  const a = norm(axis, first.length);
  const out = [...first];
  out[a] = shapes.reduce<Dim>(
    (n, s) => (typeof n === 'number' && typeof s[a] === 'number' ? n + (s[a] as number) : null),
    0,
  );
  return out;
}
