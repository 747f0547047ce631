import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src/engine/onnx/graph-builder.ts';
import {
  modelSignature,
  parseModel,
  readModelFile,
  tensorProtoData,
  valueSignature,
} from '../../../src/engine/onnx/model-reader.ts';
import { DATA_TYPE } from '../../../src/engine/onnx/onnx-proto.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'glint-model-reader-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('model reader', () => {
  it('reads a written model file back with its signature', async () => {
    const g = new GraphBuilder({ name: 'sig' });
    const x = g.input('x', 'float32', ['batch', 4]);
    const ids = g.input('ids', 'int64', [2, null]);
    g.output(g.tanh(x), 'y', ['batch', 4]);
    g.output(g.identity(ids), 'ids_out');
    const path = join(dir, 'sig.onnx');
    await g.writeFile(path);
    const m = await readModelFile(path);
    expect(m).toEqual(parseModel(g.toBytes()));
    expect(modelSignature(m)).toEqual({
      inputs: [
        { name: 'x', dtype: 'float32', shape: ['batch', 4] },
        { name: 'ids', dtype: 'int64', shape: [2, null] },
      ],
      outputs: [
        { name: 'y', dtype: 'float32', shape: ['batch', 4] },
        expect.objectContaining({ name: 'ids_out', dtype: 'int64' }),
      ],
    });
  });

  it('reads tensor data from raw bytes, including raw data at an odd offset', () => {
    const raw = new Uint8Array(new Float64Array([1.5, -2]).buffer);
    const odd = new Uint8Array(raw.length + 1);
    odd.set(raw, 1);
    expect(tensorProtoData({ dims: [2], dataType: DATA_TYPE.float64, rawData: odd.subarray(1) })).toEqual(
      Float64Array.of(1.5, -2),
    );
    const i32 = new Uint8Array(Int32Array.of(-1, 7, 9).buffer);
    expect(tensorProtoData({ dims: [3], dataType: DATA_TYPE.int32, rawData: i32 })).toEqual(
      Int32Array.of(-1, 7, 9),
    );
  });

  it('reads tensor data from the typed repeated fields, and a scalar (no dims) as one element', () => {
    expect(tensorProtoData({ dims: [2, 2], dataType: DATA_TYPE.float32, floatData: [1, 2, 3, 4] })).toEqual(
      Float32Array.of(1, 2, 3, 4),
    );
    expect(tensorProtoData({ dims: [2], dataType: DATA_TYPE.int64, int64Data: [5, -6] })).toEqual(
      BigInt64Array.of(5n, -6n),
    );
    expect(tensorProtoData({ dataType: DATA_TYPE.float64, doubleData: [0.25] })).toEqual(
      Float64Array.of(0.25),
    );
    expect(tensorProtoData({ dims: [3], dataType: DATA_TYPE.float32 })).toEqual(new Float32Array(3));
  });

  it('describes a value without a type as float32 of unknown rank 0', () => {
    expect(valueSignature({ name: 'v', type: { tensorType: { elemType: DATA_TYPE.float32 } } })).toEqual({
      name: 'v',
      dtype: 'float32',
      shape: [],
    });
    expect(
      valueSignature({ type: { tensorType: { elemType: DATA_TYPE.int64, shape: { dim: [{}] } } } }),
    ).toEqual({
      name: '',
      dtype: 'int64',
      shape: [null],
    });
  });
});
