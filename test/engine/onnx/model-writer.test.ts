import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModel, tensorProtoData } from '../../../src/engine/onnx/model-reader.ts';
import {
  modelByteSize,
  modelChunks,
  modelToBytes,
  writeModelFile,
  type StreamableModel,
} from '../../../src/engine/onnx/model-writer.ts';
import { DATA_TYPE, encodeModel } from '../../../src/engine/onnx/onnx-proto.ts';
import { createSession, readF32, runSession, tensorF32 } from '../../../src/engine/onnx/runtime.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'glint-model-writer-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const f32 = (values: number[]): (() => Uint8Array) => {
  return () => new Uint8Array(Float32Array.from(values).buffer);
};

/** y = x + b, with b an initializer streamed on demand (counting how often it is produced). */
function addBias(bias: number[], calls = { n: 0 }): StreamableModel {
  const produce = f32(bias);
  const floatT = (shape: number[]) => ({
    tensorType: { elemType: DATA_TYPE.float32, shape: { dim: shape.map((d) => ({ dimValue: d })) } },
  });
  return {
    model: { irVersion: 8, producerName: 'test', opsetImport: [{ domain: '', version: 17 }] },
    graph: {
      name: 'add_bias',
      node: [{ opType: 'Add', input: ['x', 'b'], output: ['y'] }],
      input: [{ name: 'x', type: floatT([bias.length]) }],
      output: [{ name: 'y', type: floatT([bias.length]) }],
    },
    initializers: [
      {
        name: 'b',
        dims: [bias.length],
        dataType: DATA_TYPE.float32,
        byteLength: bias.length * 4,
        bytes: () => {
          calls.n++;
          return produce();
        },
      },
    ],
  };
}

describe('model writer', () => {
  it('produces a model whose initializer lands inside the graph (as the parser and ONNX Runtime read it)', async () => {
    const bytes = modelToBytes(addBias([1, 2, 3]));
    const back = parseModel(bytes);
    expect(back.graph?.name).toBe('add_bias');
    expect(back.graph?.node?.[0]?.opType).toBe('Add');
    const b = back.graph?.initializer?.[0];
    expect(b).toMatchObject({ name: 'b', dims: [3], dataType: DATA_TYPE.float32 });
    expect(tensorProtoData(b!)).toEqual(Float32Array.of(1, 2, 3));
    const { session } = await createSession(bytes);
    try {
      const out = await runSession(session, { x: tensorF32(Float32Array.of(10, 20, 30), [3]) });
      expect(readF32(out, 'y').data).toEqual(Float32Array.of(11, 22, 33));
    } finally {
      await session.release();
    }
  });

  it('decodes to the same model as encoding it whole (fields may come in another order)', () => {
    const m = addBias([0.5, -1]);
    const whole = encodeModel({
      ...m.model,
      graph: {
        ...m.graph,
        initializer: [{ name: 'b', dims: [2], dataType: DATA_TYPE.float32, rawData: f32([0.5, -1])() }],
      },
    });
    expect(parseModel(modelToBytes(m))).toEqual(parseModel(Uint8Array.from(whole)));
    expect(modelToBytes(m).byteLength).toBe(whole.byteLength);
  });

  it('knows its exact size without producing any data, and produces each initializer once per write', () => {
    const calls = { n: 0 };
    const m = addBias(
      Array.from({ length: 1000 }, (_, i) => i),
      calls,
    );
    const size = modelByteSize(m);
    expect(calls.n).toBe(0);
    expect(modelToBytes(m).byteLength).toBe(size);
    expect(calls.n).toBe(1);
    // The chunks stream lazily: the data is produced only when its chunk is reached.
    const it = modelChunks(m);
    it.next();
    expect(calls.n).toBe(1);
    for (const _ of it) void _;
    expect(calls.n).toBe(2);
  });

  it('refuses an initializer whose data is not the declared size', () => {
    const m = addBias([1, 2]);
    const bad: StreamableModel = { ...m, initializers: [{ ...m.initializers[0]!, byteLength: 12 }] };
    expect(() => modelToBytes(bad)).toThrow('initializer b: produced 8 bytes, expected 12');
  });

  it('writes a file through a temporary name, leaving nothing behind on success or failure', async () => {
    const path = join(dir, 'm.onnx');
    const m = addBias([4, 5]);
    expect(await writeModelFile(m, path)).toBe(modelByteSize(m));
    expect(new Uint8Array(readFileSync(path))).toEqual(modelToBytes(m));
    const broken: StreamableModel = { ...m, initializers: [{ ...m.initializers[0]!, byteLength: 4 }] };
    await expect(writeModelFile(broken, join(dir, 'broken.onnx'))).rejects.toThrow(/expected 4/);
    expect(existsSync(join(dir, 'broken.onnx'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['m.onnx']);
  });
});
