import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src/engine/onnx/graph-builder.ts';
import {
  createSession,
  readF32,
  readI64,
  runSession,
  sessionSignature,
  tensorF32,
  tensorF64,
  tensorI64,
} from '../../../src/engine/onnx/runtime.ts';

function tinyModel(): Uint8Array {
  const g = new GraphBuilder({ name: 'tiny' });
  const x = g.input('x', 'float32', ['batch', 2]);
  const w = g.initializer('w', 'float32', [2, 2], new Float32Array([1, 2, 3, 4]));
  g.output(g.matMul(x, w), 'y');
  return g.toBytes();
}

describe('runtime', () => {
  it('creates a CPU session from bytes and runs it', async () => {
    const { session, provider, fallback } = await createSession(tinyModel(), { threads: 1 });
    expect(provider).toBe('cpu');
    expect(fallback).toBeUndefined();
    const y = readF32(await runSession(session, { x: tensorF32([1, 1], [1, 2]) }), 'y');
    expect([...y.data]).toEqual([4, 6]);
    expect(y.dims).toEqual([1, 2]);
    expect(sessionSignature(session).inputs).toEqual([{ name: 'x', type: 'float32', shape: ['batch', 2] }]);
  });

  it('never fails for lack of a GPU: asking for CUDA gives a working session and says why when it is CPU', async () => {
    const h = await createSession(tinyModel(), { device: 'cuda' });
    if (h.provider === 'cpu') {
      expect(h.fallback).toMatch(/^CUDA is not available on this computer; using the CPU \(/);
      expect(h.fallback).toMatch(/npm run gpu:install/);
      expect(h.fallback).toMatch(/CUDA 12/);
    }
    const y = readF32(await runSession(h.session, { x: tensorF32([1, 0], [1, 2]) }), 'y');
    expect([...y.data]).toEqual([1, 2]);
  });

  it('throws for a broken model', async () => {
    await expect(createSession(new Uint8Array([1, 2, 3]))).rejects.toThrow();
  });

  it('makes float64 and int64 tensors and reads int64 outputs', async () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'float64', [3]);
    const i = g.input('i', 'int64', [3]);
    g.output(g.argMax(a, 0, false), 'am');
    g.output(g.add(i, 1), 'ip1');
    const { session } = await createSession(g.toBytes());
    const out = await runSession(session, { a: tensorF64([0.5, 2.5, 1], [3]), i: tensorI64([1, 2, 3], [3]) });
    expect(readI64(out, 'am').data[0]).toBe(1n);
    expect([...readI64(out, 'ip1').data]).toEqual([2n, 3n, 4n]);
    expect(() => readF32(out, 'am')).toThrow(/int64/);
    expect(() => readF32(out, 'nope')).toThrow(/no output/);
  });
});
