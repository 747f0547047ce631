/**
 * Gradient rules for element-wise ops: arithmetic with broadcasting undone (Add, Sub, Mul, Div,
 * Pow, Neg, Sum), Max/Min (ties split evenly, as torch.maximum), Where (no gradient to the
 * condition), Clip, unary functions and dtype casts.
 */
import type { GradArgs, GradRule } from './grad-context.ts';
import { isFloat } from './grad-context.ts';
import type { TensorRef } from './graph-builder.ts';

/** A binary rule: computes each operand's full-shape gradient lazily, then unbroadcasts it. */
function binary(
  fa: ((a: TensorRef, b: TensorRef, y: TensorRef, gy: TensorRef, args: GradArgs) => TensorRef) | null,
  fb: ((a: TensorRef, b: TensorRef, y: TensorRef, gy: TensorRef, args: GradArgs) => TensorRef) | null,
): GradRule {
  return (args) => {
    const [a, b] = args.inputs as TensorRef[];
    const y = args.outputs[0] as TensorRef;
    const gy = args.grads[0] as TensorRef;
    const { ctx, needs } = args;
    return [
      needs[0] && fa ? ctx.unbroadcast(fa(a!, b!, y, gy, args), a!, y.shape) : null,
      needs[1] && fb ? ctx.unbroadcast(fb(a!, b!, y, gy, args), b!, y.shape) : null,
    ];
  };
}

/** A unary rule from dL/dx = f(x, y, gy). */
function unary(f: (x: TensorRef, y: TensorRef, gy: TensorRef, args: GradArgs) => TensorRef | null): GradRule {
  return (args) => {
    const x = args.inputs[0] as TensorRef;
    return [f(x, args.outputs[0] as TensorRef, args.grads[0] as TensorRef, args)];
  };
}

/** Max/Min over any number of inputs: each tied input gets gy / (number of tied inputs). */
const selectRule: GradRule = ({ ctx, inputs, outputs, grads, needs }) => {
  const g = ctx.g;
  const y = outputs[0] as TensorRef;
  const gy = grads[0] as TensorRef;
  const xs = inputs as TensorRef[];
  if (xs.length === 1) return [gy];
  const masks = xs.map((x) => ctx.mask(g.equal(x, y), y.dtype));
  // NOTE: masks broadcast to y's shape inside Sum; count ≥ 1 wherever y came from some input.
  const count = g.op('Sum', masks, {}, { dtype: y.dtype, ...(y.shape ? { shape: y.shape } : {}) });
  const share = g.div(gy, count);
  return xs.map((x, i) => (needs[i] ? ctx.unbroadcast(g.mul(share, masks[i]!), x, y.shape) : null));
};

/** Rules for element-wise ops. */
export const elementwiseRules: Record<string, GradRule> = {
  Add: binary(
    (_a, _b, _y, gy) => gy,
    (_a, _b, _y, gy) => gy,
  ),
  Sub: binary(
    (_a, _b, _y, gy) => gy,
    (_a, _b, _y, gy, { ctx }) => ctx.g.neg(gy),
  ),
  Mul: binary(
    (_a, b, _y, gy, { ctx }) => ctx.g.mul(gy, b),
    (a, _b, _y, gy, { ctx }) => ctx.g.mul(gy, a),
  ),
  Div: binary(
    (_a, b, _y, gy, { ctx }) => ctx.g.div(gy, b),
    // d(a/b)/db = −a/b² = −y/b
    (_a, b, y, gy, { ctx }) => ctx.g.neg(ctx.g.div(ctx.g.mul(gy, y), b)),
  ),
  Pow: binary(
    (a, b, _y, gy, { ctx }) => ctx.g.mul(gy, ctx.g.mul(b, ctx.g.pow(a, ctx.g.sub(b, 1)))),
    // NOTE: d(a^b)/db = a^b·ln a; taken as 0 where a ≤ 0 (ln undefined), as PyTorch masks a = 0.
    (a, _b, y, gy, { ctx }) => {
      const g = ctx.g;
      const pos = g.greater(a, 0);
      const lnA = g.where(pos, g.log(g.where(pos, a, 1)), 0);
      return g.mul(gy, g.mul(y, lnA));
    },
  ),
  Sum: ({ ctx, inputs, outputs, grads, needs }) =>
    inputs.map((x, i) =>
      needs[i] && x ? ctx.unbroadcast(grads[0] as TensorRef, x, (outputs[0] as TensorRef).shape) : null,
    ),
  Max: selectRule,
  Min: selectRule,
  Where: ({ ctx, inputs, outputs, grads, needs }) => {
    const [c, a, b] = inputs as TensorRef[];
    const y = outputs[0] as TensorRef;
    const gy = grads[0] as TensorRef;
    const g = ctx.g;
    return [
      null,
      needs[1] ? ctx.unbroadcast(g.where(c!, gy, 0), a!, y.shape) : null,
      needs[2] ? ctx.unbroadcast(g.where(c!, 0, gy), b!, y.shape) : null,
    ];
  },
  // NOTE: Clip passes the gradient where min ≤ x ≤ max (bounds included), as torch.clamp.
  Clip: ({ ctx, inputs, grads }) => {
    const g = ctx.g;
    const [x, lo, hi] = inputs;
    let keep: TensorRef | null = null;
    if (lo) keep = g.greaterOrEqual(x!, lo);
    if (hi) {
      const k = g.lessOrEqual(x!, hi);
      keep = keep ? g.and(keep, k) : k;
    }
    const gy = grads[0] as TensorRef;
    return [keep ? g.where(keep, gy, 0) : gy, null, null];
  },
  Neg: unary((_x, _y, gy, { ctx }) => ctx.g.neg(gy)),
  Identity: unary((_x, _y, gy) => gy),
  Tanh: unary((_x, y, gy, { ctx }) => ctx.g.mul(gy, ctx.g.sub(1, ctx.g.mul(y, y)))),
  Sigmoid: unary((_x, y, gy, { ctx }) => ctx.g.mul(gy, ctx.g.mul(y, ctx.g.sub(1, y)))),
  Exp: unary((_x, y, gy, { ctx }) => ctx.g.mul(gy, y)),
  Log: unary((x, _y, gy, { ctx }) => ctx.g.div(gy, x)),
  Sqrt: unary((_x, y, gy, { ctx }) => ctx.g.div(ctx.g.mul(gy, 0.5), y)),
  Reciprocal: unary((_x, y, gy, { ctx }) => ctx.g.neg(ctx.g.mul(gy, ctx.g.mul(y, y)))),
  // NOTE: |x|'(0) = 0 (sign), as PyTorch.
  Abs: unary((x, _y, gy, { ctx }) => ctx.g.mul(gy, ctx.g.sign(x))),
  // NOTE: Relu'(0) = 0, as PyTorch. gy times the 0/1 mask [y > 0] (y = relu(x), so [y > 0] = [x > 0]) rather than
  // Where(x > 0, gy, 0): the same values (a masked-out entry is ±0 instead of +0). Reading y leaves x to the Relu
  // alone, so ORT fuses the MatMul/Gemm before it with the Relu. ORT's Where with a broadcast scalar is ~4× slower
  // on the B×B grid, and its Sign ~3× slower than Greater + Cast.
  Relu: unary((_x, y, gy, { ctx }) => ctx.g.mul(gy, ctx.mask(ctx.g.greater(y, 0), gy.dtype))),
  LeakyRelu: unary((x, _y, gy, { ctx, node }) =>
    ctx.g.where(ctx.g.greater(x, 0), gy, ctx.g.mul(gy, ctx.attrFloat(node, 'alpha', 0.01))),
  ),
  Softplus: unary((x, _y, gy, { ctx }) => ctx.g.mul(gy, ctx.g.sigmoid(x))),
  // d erf(x)/dx = 2/√π · e^(−x²)
  Erf: unary((x, _y, gy, { ctx }) => {
    const g = ctx.g;
    return g.mul(gy, g.mul(g.exp(g.neg(g.mul(x, x))), 2 / Math.sqrt(Math.PI)));
  }),
  Cast: unary((x, _y, gy, { ctx }) => {
    if (!isFloat(x.dtype)) return null;
    return gy.dtype === x.dtype ? gy : ctx.g.cast(gy, x.dtype);
  }),
};
