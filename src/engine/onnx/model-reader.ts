/** Reads ONNX models back (tests, inspecting exported graphs): parse, tensor data, signatures. */
import { readFile } from 'node:fs/promises';
import { decodeModel } from './onnx-proto.ts';
import type { ModelProto, TensorProto, ValueInfoProto } from './onnx-proto.ts';
import { allocTensorData, dtypeFromCode } from './graph-builder.ts';
import type { DType, Dim, TensorData } from './graph-builder.ts';

/** Parses ONNX model bytes. */
export function parseModel(bytes: Uint8Array): ModelProto {
  return decodeModel(bytes);
}

/** Reads and parses an ONNX model file. */
export async function readModelFile(path: string): Promise<ModelProto> {
  return decodeModel(await readFile(path));
}

/** The elements of a TensorProto (raw_data or the typed repeated fields) as a typed array. */
export function tensorProtoData(t: TensorProto): TensorData {
  const dtype = dtypeFromCode(t.dataType ?? 0);
  const n = (t.dims ?? []).reduce((a, b) => a * b, 1);
  const out = allocTensorData(dtype, n);
  if (t.rawData && t.rawData.byteLength > 0) {
    // NOTE: copy into an aligned buffer; raw_data inside a decoded message may sit at any offset.
    new Uint8Array(out.buffer).set(t.rawData);
    return out;
  }
  const src: readonly (number | bigint)[] =
    t.floatData ?? t.doubleData ?? t.int32Data ?? t.int64Data ?? t.uint64Data ?? [];
  for (let i = 0; i < n; i++) {
    (out as unknown as (number | bigint)[])[i] =
      dtype === 'int64' ? BigInt(src[i] ?? 0) : Number(src[i] ?? 0);
  }
  return out;
}

/** A graph input or output as the builder describes it. */
export interface ValueSignature {
  name: string;
  dtype: DType;
  shape: Dim[];
}

/** Name, dtype and shape (dim_value, dim_param or null) of a ValueInfoProto. */
export function valueSignature(v: ValueInfoProto): ValueSignature {
  const tt = v.type?.tensorType;
  return {
    name: v.name ?? '',
    dtype: dtypeFromCode(tt?.elemType ?? 0),
    shape: (tt?.shape?.dim ?? []).map((d) => d.dimValue ?? d.dimParam ?? null),
  };
}

/** The inputs and outputs of a model's main graph. */
export function modelSignature(m: ModelProto): { inputs: ValueSignature[]; outputs: ValueSignature[] } {
  return {
    inputs: (m.graph?.input ?? []).map(valueSignature),
    outputs: (m.graph?.output ?? []).map(valueSignature),
  };
}
