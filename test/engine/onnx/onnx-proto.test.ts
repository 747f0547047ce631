import { describe, expect, it } from 'vitest';
import {
  DATA_TYPE,
  WIRE_TAG,
  decodeModel,
  encodeGraph,
  encodeModel,
  encodeTensor,
  encodeVarint,
  varintSize,
  type ModelProto,
} from '../../../src/engine/onnx/onnx-proto.ts';

describe('varints', () => {
  it('encodes as protobuf does (hand-computed bytes)', () => {
    expect([...encodeVarint(0)]).toEqual([0]);
    expect([...encodeVarint(1)]).toEqual([1]);
    expect([...encodeVarint(127)]).toEqual([0x7f]);
    expect([...encodeVarint(128)]).toEqual([0x80, 0x01]);
    expect([...encodeVarint(300)]).toEqual([0xac, 0x02]);
    expect([...encodeVarint(16_384)]).toEqual([0x80, 0x80, 0x01]);
    // 2^32: beyond 32-bit arithmetic
    expect([...encodeVarint(2 ** 32)]).toEqual([0x80, 0x80, 0x80, 0x80, 0x10]);
  });

  it('sizes every varint exactly', () => {
    for (const [n, size] of [
      [0, 1],
      [127, 1],
      [128, 2],
      [16_383, 2],
      [16_384, 3],
      [2 ** 28 - 1, 4],
      [2 ** 28, 5],
      [2 ** 53 - 1, 8],
    ] as const) {
      expect(varintSize(n), String(n)).toBe(size);
      expect(encodeVarint(n).length).toBe(size);
    }
  });
});

describe('wire tags', () => {
  it('are field number << 3 | 2 for the length-delimited fields the writer appends', () => {
    expect(WIRE_TAG).toEqual({ modelGraph: 0x3a, graphInitializer: 0x2a, tensorRawData: 0x4a });
  });
});

describe('messages', () => {
  it('encodes a tensor with the field numbers of onnx.proto (hand-decoded bytes)', () => {
    const bytes = encodeTensor({ name: 'w', dims: [2, 3], dataType: DATA_TYPE.float32 });
    // dims (1, varint) packed: 0x0a len 2 → 2, 3; data_type (2): 0x10 1; name (8): 0x42 1 'w'
    expect([...bytes]).toEqual([0x0a, 0x02, 0x02, 0x03, 0x10, 0x01, 0x42, 0x01, 0x77]);
  });

  it('round-trips a model, with int64 fields as numbers and raw data as bytes', () => {
    const model: ModelProto = {
      irVersion: 8,
      producerName: 'glint',
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'g',
        node: [
          {
            opType: 'Gemm',
            input: ['x', 'w'],
            output: ['y'],
            attribute: [
              { name: 'alpha', type: 1, f: 0.5 },
              { name: 'transB', type: 2, i: 1 },
              { name: 'perm', type: 7, ints: [1, 0] },
            ],
          },
        ],
        input: [
          {
            name: 'x',
            type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 3 }] } } },
          },
        ],
        output: [{ name: 'y', type: { tensorType: { elemType: 1 } } }],
        initializer: [
          { name: 'w', dims: [3, 3], dataType: 1, rawData: new Uint8Array(36).fill(7) },
          { name: 'big', dims: [1], dataType: 7, int64Data: [2 ** 40] },
        ],
      },
    };
    const back = decodeModel(encodeModel(model));
    const raw = back.graph?.initializer?.[0]?.rawData;
    expect(raw).toBeInstanceOf(Uint8Array);
    expect(new Uint8Array(raw!)).toEqual(new Uint8Array(36).fill(7));
    // Default values (the empty domain) are left out when decoding.
    const want = structuredClone(model);
    want.opsetImport = [{ version: 17 }];
    want.graph!.initializer![0]!.rawData = raw;
    expect(back).toEqual(want);
  });

  it('skips fields it does not declare when decoding', () => {
    // A ModelProto with ir_version 7 then an unknown field 99 (varint 5).
    const unknown = Uint8Array.of(0x08, 0x07, 0x98, 0x06, 0x05);
    expect(decodeModel(unknown)).toEqual({ irVersion: 7 });
  });

  it('refuses a message of the wrong shape, naming the type', () => {
    expect(() => encodeGraph({ name: 5 } as unknown as { name: string })).toThrow(
      /invalid ONNX GraphProto: name/,
    );
    expect(() => decodeModel(Uint8Array.of(0x0a, 0x05, 0x01))).toThrow();
  });
});
