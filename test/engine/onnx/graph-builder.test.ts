import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, floatAttr } from '../../../src/engine/onnx/graph-builder.ts';
import type { TensorRef } from '../../../src/engine/onnx/graph-builder.ts';
import { modelSignature, parseModel, tensorProtoData } from '../../../src/engine/onnx/model-reader.ts';
import { ATTRIBUTE_TYPE } from '../../../src/engine/onnx/onnx-proto.ts';
import {
  createSession,
  readF32,
  readF64,
  readI64,
  runSession,
  tensorF32,
  tensorF64,
  type Feeds,
  type Outputs,
} from '../../../src/engine/onnx/runtime.ts';

async function run(g: GraphBuilder, feeds: Feeds): Promise<Outputs> {
  const { session } = await createSession(g.toBytes(), { threads: 1 });
  return runSession(session, feeds);
}

function close(actual: ArrayLike<number>, expected: readonly number[], tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs((actual[i] as number) - e)).toBeLessThan(tol));
}

describe('graph builder: serialisation', () => {
  it('round-trips through the parser: opset, IR, signature, attributes, initializers', () => {
    const g = new GraphBuilder({ name: 'rt' });
    const x = g.input('x', 'float32', ['batch', 4]);
    const w = g.initializer('w', 'float32', [4, 2], new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]));
    const b = g.initializer('b', 'int64', [2], new BigInt64Array([5n, -7n]));
    g.output(g.gemm(x, w, undefined, { alpha: 1, beta: 0.5 }), 'y');
    g.output(g.softmax(x, 1), 'p');
    g.output(b, 'b_out');
    const m = parseModel(g.toBytes());
    expect(m.irVersion).toBe(8);
    expect(m.opsetImport).toEqual([{ version: 18 }]);
    expect(modelSignature(m)).toEqual({
      inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 4] }],
      outputs: [
        { name: 'y', dtype: 'float32', shape: ['batch', 2] },
        { name: 'p', dtype: 'float32', shape: ['batch', 4] },
        { name: 'b_out', dtype: 'int64', shape: [2] },
      ],
    });
    const gemm = m.graph?.node?.find((n) => n.opType === 'Gemm');
    // alpha = 1 is integral but Gemm's alpha is a FLOAT attribute.
    expect(gemm?.attribute).toContainEqual({ name: 'alpha', type: ATTRIBUTE_TYPE.FLOAT, f: 1 });
    expect(gemm?.attribute).toContainEqual({ name: 'beta', type: ATTRIBUTE_TYPE.FLOAT, f: 0.5 });
    const sm = m.graph?.node?.find((n) => n.opType === 'Softmax');
    expect(sm?.attribute).toEqual([{ name: 'axis', type: ATTRIBUTE_TYPE.INT, i: 1 }]);
    const inits = Object.fromEntries((m.graph?.initializer ?? []).map((t) => [t.name, tensorProtoData(t)]));
    expect([...(inits['w'] as Float32Array)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...(inits['b'] as BigInt64Array)]).toEqual([5n, -7n]);
  });

  it('streams to a file byte-identical to toBytes, with lazy data produced once, and an exact byteSize', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [3]);
    let calls = 0;
    const w = g.initializer('w', 'float32', [3], () => {
      calls++;
      return new Float32Array([1, 2, 3]);
    });
    g.output(g.add(x, w), 'y');
    expect(calls).toBe(0);
    const dir = await mkdtemp(join(tmpdir(), 'glint-onnx-'));
    try {
      const path = join(dir, 'm.onnx');
      const written = await g.writeFile(path);
      expect(calls).toBe(1);
      const bytes = g.toBytes();
      expect(written).toBe(bytes.length);
      expect(g.byteSize()).toBe(bytes.length);
      expect(Buffer.compare(await readFile(path), bytes)).toBe(0);
      const { session } = await createSession(path);
      close(readF32(await runSession(session, { x: tensorF32([1, 1, 1], [3]) }), 'y').data, [2, 3, 4]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('counts parameters but not structural constants', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [2, 3]);
    const w = g.initializer('w', 'float32', [3, 5], () => new Float32Array(15));
    g.output(g.reshape(g.matMul(x, w), [-1]), 'y');
    expect(g.paramCount()).toBe(15);
  });

  it('records typed nodes in order (what reverse-mode autodiff walks)', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [2, 3]);
    const y = g.tanh(g.mul(x, 2));
    g.output(y, 'out');
    const nodes = g.graphNodes();
    expect(nodes.map((n) => n.opType)).toEqual(['Mul', 'Tanh', 'Identity']);
    expect(nodes[0]?.inputs[0]).toBe(x);
    expect(nodes[1]?.outputs[0]).toBe(y);
    expect(nodes[2]?.outputs[0]?.name).toBe('out');
  });

  it('rejects duplicate names, wrong data lengths and static shape mismatches', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [2, 3]);
    expect(() => g.input('x', 'float32', [1])).toThrow(/duplicate/);
    expect(() => g.initializer('w', 'float32', [2, 2], new Float32Array(3))).toThrow(/3 elements/);
    const y = g.input('y', 'float32', [4]);
    expect(() => g.add(x, y)).toThrow(/broadcast/);
    const z = g.input('z', 'float32', [4, 4]);
    expect(() => g.matMul(x, z)).toThrow(/inner/);
    const i = g.input('i', 'int64', [2]);
    expect(() => g.add(x, i)).toThrow(/dtype/);
  });

  it('infers static shapes through broadcasting, matmul, reductions and layout ops', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'float32', ['B', 1, 8]);
    const b = g.input('b', 'float32', [5, 1]);
    expect(g.add(a, b).shape).toEqual(['B', 5, 8]);
    const w = g.input('w', 'float32', [8, 3]);
    expect(g.matMul(a, w).shape).toEqual(['B', 1, 3]);
    expect(g.reduceSum(a, [-1], false).shape).toEqual(['B', 1]);
    expect(g.transpose(a, [2, 0, 1]).shape).toEqual([8, 'B', 1]);
    expect(g.unsqueeze(b, [0]).shape).toEqual([1, 5, 1]);
    expect(g.squeeze(b, [1]).shape).toEqual([5]);
    expect(g.concat([b, b], 0).shape).toEqual([10, 1]);
    expect(g.less(b, 0).dtype).toBe('bool');
    expect(g.shapeOf(a).shape).toEqual([3]);
  });
});

describe('graph builder: ops match plain JS on ONNX Runtime', () => {
  it('elementwise arithmetic with broadcasting, unary functions, comparisons and Where', async () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'float32', [2, 3]);
    const b = g.input('b', 'float32', [3]);
    g.output(g.div(g.sub(g.mul(g.add(a, b), 2), 1), 4), 'arith');
    g.output(g.tanh(a), 'tanh');
    g.output(g.sigmoid(a), 'sigmoid');
    g.output(g.exp(a), 'exp');
    g.output(g.log(g.add(g.abs(a), 1)), 'log');
    g.output(g.sqrt(g.abs(a)), 'sqrt');
    g.output(g.gelu(a), 'gelu');
    g.output(g.max(a, b), 'max');
    g.output(g.min(a, b), 'min');
    g.output(g.where(g.less(a, b), a, g.neg(b)), 'where');
    g.output(g.cast(g.greater(a, 0), 'float32'), 'gt');
    const av = [-1.5, 0.2, 2, 0.7, -0.3, 1.1];
    const bv = [0.5, -1, 1];
    const out = await run(g, { a: tensorF32(av, [2, 3]), b: tensorF32(bv, [3]) });
    const bb = (i: number) => bv[i % 3] as number;
    // JS has no erf: the GELU reference 0.5x(1+erf(x/√2)) uses Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7).
    const erf = (x: number) => {
      const t = 1 / (1 + 0.3275911 * Math.abs(x));
      const y =
        1 -
        ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
          t *
          Math.exp(-x * x);
      return Math.sign(x) * y;
    };
    close(
      readF32(out, 'arith').data,
      av.map((x, i) => ((x + bb(i)) * 2 - 1) / 4),
    );
    close(readF32(out, 'tanh').data, av.map(Math.tanh));
    close(
      readF32(out, 'sigmoid').data,
      av.map((x) => 1 / (1 + Math.exp(-x))),
    );
    close(readF32(out, 'exp').data, av.map(Math.exp), 1e-5);
    close(
      readF32(out, 'log').data,
      av.map((x) => Math.log(Math.abs(x) + 1)),
    );
    close(
      readF32(out, 'sqrt').data,
      av.map((x) => Math.sqrt(Math.abs(x))),
    );
    close(
      readF32(out, 'gelu').data,
      av.map((x) => 0.5 * x * (1 + erf(x / Math.SQRT2))),
    );
    close(
      readF32(out, 'max').data,
      av.map((x, i) => Math.max(x, bb(i))),
    );
    close(
      readF32(out, 'min').data,
      av.map((x, i) => Math.min(x, bb(i))),
    );
    close(
      readF32(out, 'where').data,
      av.map((x, i) => (x < bb(i) ? x : -bb(i))),
    );
    close(
      readF32(out, 'gt').data,
      av.map((x) => (x > 0 ? 1 : 0)),
    );
  });

  it('matmul, softmax, log-softmax, layer norm and reductions (axes as inputs)', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [2, 3]);
    const w = g.initializer('w', 'float32', [3, 2], new Float32Array([1, 0, 0, 1, 1, 1]));
    g.output(g.matMul(x, w), 'mm');
    g.output(g.softmax(x, -1), 'sm');
    g.output(g.logSoftmax(x, -1), 'lsm');
    const scale = g.initializer('s', 'float32', [3], new Float32Array([1, 2, 3]));
    const bias = g.initializer('bi', 'float32', [3], new Float32Array([0, 0, 1]));
    g.output(g.layerNorm(x, scale, bias, { epsilon: 1e-5 }), 'ln');
    g.output(g.reduceSum(x, [1], false), 'sum');
    g.output(g.reduceMean(x, [0], true), 'mean');
    g.output(g.reduceMax(x), 'max');
    g.output(g.l2Normalize(x, -1), 'l2');
    const xv = [1, 2, 3, -1, 0, 4];
    const out = await run(g, { x: tensorF32(xv, [2, 3]) });
    const rows = [xv.slice(0, 3), xv.slice(3)];
    close(
      readF32(out, 'mm').data,
      rows.flatMap((r) => [r[0]! + r[2]!, r[1]! + r[2]!]),
    );
    const sm = rows.flatMap((r) => {
      const m = Math.max(...r);
      const z = r.reduce((s, v) => s + Math.exp(v - m), 0);
      return r.map((v) => Math.exp(v - m) / z);
    });
    close(readF32(out, 'sm').data, sm);
    close(readF32(out, 'lsm').data, sm.map(Math.log));
    const ln = rows.flatMap((r) => {
      const mu = r.reduce((s, v) => s + v, 0) / 3;
      const v = r.reduce((s, q) => s + (q - mu) ** 2, 0) / 3;
      return r.map((q, i) => ((q - mu) / Math.sqrt(v + 1e-5)) * [1, 2, 3][i]! + [0, 0, 1][i]!);
    });
    close(readF32(out, 'ln').data, ln, 1e-4);
    close(readF32(out, 'sum').data, [6, 3]);
    close(readF32(out, 'mean').data, [0, 1, 3.5]);
    close(readF32(out, 'max').data, [4]);
    close(
      readF32(out, 'l2').data,
      rows.flatMap((r) => r.map((v) => v / Math.hypot(...r))),
    );
  });

  it('layout ops: transpose, reshape, concat, slice, gather, unsqueeze/squeeze, expand, shape, range', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [2, 3]);
    g.output(g.transpose(x, [1, 0]), 't');
    g.output(g.reshape(x, [3, -1]), 'r');
    g.output(g.concat([x, x], 0), 'c');
    g.output(g.slice(x, [1], [3], [1]), 's');
    g.output(g.gather(x, g.constant('int64', [2], [2, 0]), 1), 'g');
    g.output(g.squeeze(g.unsqueeze(x, [0]), [0]), 'us');
    g.output(g.expand(g.slice(x, [0], [1], [0]), g.shapeOf(x)), 'e');
    const n = g.squeeze(g.dimOf(x, 1), [0]);
    g.output(g.range(g.constant('int64', [], [0]), n, g.constant('int64', [], [1])), 'range');
    const out = await run(g, { x: tensorF32([1, 2, 3, 4, 5, 6], [2, 3]) });
    expect([...readF32(out, 't').data]).toEqual([1, 4, 2, 5, 3, 6]);
    expect(readF32(out, 'r').dims).toEqual([3, 2]);
    expect(readF32(out, 'c').dims).toEqual([4, 3]);
    expect([...readF32(out, 's').data]).toEqual([2, 3, 5, 6]);
    expect([...readF32(out, 'g').data]).toEqual([3, 1, 6, 4]);
    expect([...readF32(out, 'us').data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...readF32(out, 'e').data]).toEqual([1, 2, 3, 1, 2, 3]);
    expect([...readI64(out, 'range').data]).toEqual([0n, 1n, 2n]);
  });

  it('float64 graphs (for gradient checks)', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float64', [3]);
    const y: TensorRef = g.reduceSum(g.mul(g.tanh(x), x), undefined, false);
    g.output(y, 'y');
    const xv = [0.1, -2, 3];
    const out = await run(g, { x: tensorF64(xv, [3]) });
    expect(readF64(out, 'y').data[0]).toBeCloseTo(
      xv.reduce((s, v) => s + Math.tanh(v) * v, 0),
      12,
    );
  });

  it('explicitly typed float attributes', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [2]);
    g.output(g.op('LeakyRelu', [x], { alpha: floatAttr(2) }), 'y');
    const m = parseModel(g.toBytes());
    expect(m.graph?.node?.[0]?.attribute).toEqual([{ name: 'alpha', type: ATTRIBUTE_TYPE.FLOAT, f: 2 }]);
  });
});

describe('graph builder: common-subexpression elimination (cse option)', () => {
  /** normalize(x)·normalize(x) + normalize(x)·y, each normalize built anew (with its own ε constant). */
  const build = (cse: boolean): GraphBuilder => {
    const g = new GraphBuilder({ name: 'cse', cse });
    const x = g.input('x', 'float64', [3, 4]);
    const y = g.input('y', 'float64', [3, 4]);
    const unit = () => g.div(x, g.sqrt(g.add(g.reduceSum(g.mul(x, x), [-1], true), 1e-12)));
    const a = g.reduceSum(g.mul(unit(), unit()), [-1], false);
    const b = g.reduceSum(g.mul(unit(), y), [-1], false);
    g.output(g.add(a, b), 'out');
    // An Identity (a stop-gradient barrier or a rename) is never merged.
    g.output(g.identity(x), 'x_copy');
    g.output(g.identity(x), 'x_copy2');
    return g;
  };

  it('merges identical nodes and equal small constants; the outputs are bit-identical on a fixed feed', async () => {
    const plain = build(false).toStreamable();
    const merged = build(true).toStreamable();
    const count = (s: typeof plain, op: string) => (s.graph.node ?? []).filter((n) => n.opType === op).length;
    // Three normalisations become one: one Mul x·x, one ReduceSum of it, one Sqrt, one Div, one ε constant.
    expect(count(plain, 'Sqrt')).toBe(3);
    expect(count(merged, 'Sqrt')).toBe(1);
    expect(count(merged, 'Div')).toBe(1);
    expect(merged.initializers.length).toBeLessThan(plain.initializers.length);
    expect(count(merged, 'Identity')).toBe(count(plain, 'Identity'));
    const feeds: Feeds = {
      x: tensorF64(
        Float64Array.from({ length: 12 }, (_, i) => Math.sin(i + 1) * 3),
        [3, 4],
      ),
      y: tensorF64(
        Float64Array.from({ length: 12 }, (_, i) => Math.cos(2 * i) - 0.3),
        [3, 4],
      ),
    };
    const run = async (g: GraphBuilder): Promise<number[]> => {
      const { session } = await createSession(g.toBytes(), { threads: 1 });
      const out = await runSession(session, feeds);
      await session.release();
      return Array.from(readF64(out, 'out').data);
    };
    expect(await run(build(true))).toEqual(await run(build(false)));
  });
});

describe('graph builder: nodes no output reads', () => {
  it('are left out of the model (and of its value infos), keepDead keeps them, and the output is unchanged', async () => {
    const g = new GraphBuilder({ name: 'dead' });
    const x = g.input('x', 'float64', [2, 3]);
    const dead = g.exp(g.mul(x, 3));
    g.output(g.add(g.mul(x, x), 1), 'out');
    const live = g.toStreamable();
    const all = g.toStreamable({ keepDead: true });
    const ops = (s: typeof live) => (s.graph.node ?? []).map((n) => n.opType);
    expect(ops(live)).not.toContain('Exp');
    expect(ops(all)).toContain('Exp');
    expect(live.graph.valueInfo?.some((v) => v.name === dead.name)).toBe(false);
    const { session } = await createSession(g.toBytes(), { threads: 1 });
    const out = await runSession(session, { x: tensorF64(Float64Array.from([1, -2, 3, 0.5, 0, 4]), [2, 3]) });
    expect([...(out.out?.data as Float64Array)]).toEqual([2, 5, 10, 1.25, 1, 17]);
    await session.release();
  });
});
