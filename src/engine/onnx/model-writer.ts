/**
 * Streams an ONNX model to bytes or a file without materialising it as one buffer: the graph is
 * encoded without its initializers, and each initializer is appended as its own GraphProto field
 * (protobuf allows repeated fields anywhere), with its data produced only when it is written.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { WIRE_TAG, encodeGraph, encodeModel, encodeTensor, encodeVarint, varintSize } from './onnx-proto.ts';
import type { GraphProto, ModelProto } from './onnx-proto.ts';

/** One initializer whose data is produced on demand (little-endian element bytes). */
export interface StreamedTensor {
  name: string;
  dims: readonly number[];
  dataType: number;
  /** Exact byte length of the raw data (elements × element size). */
  byteLength: number;
  /** Produces the raw data; called once per write. */
  bytes: () => Uint8Array;
}

/** A model split into its fixed part and its streamed initializers. */
export interface StreamableModel {
  /** ModelProto without `graph`. */
  model: ModelProto;
  /** GraphProto without `initializer`. */
  graph: GraphProto;
  initializers: readonly StreamedTensor[];
}

interface Layout {
  modelHead: Uint8Array;
  graphHead: Uint8Array;
  graphLength: number;
  tensors: { head: Uint8Array; length: number; source: StreamedTensor }[];
  total: number;
}

function layout(m: StreamableModel): Layout {
  const modelHead = encodeModel(m.model);
  const graphHead = encodeGraph(m.graph);
  let graphLength = graphHead.length;
  const tensors = m.initializers.map((t) => {
    const head = encodeTensor({ name: t.name, dims: [...t.dims], dataType: t.dataType });
    const length = head.length + 1 + varintSize(t.byteLength) + t.byteLength;
    graphLength += 1 + varintSize(length) + length;
    return { head, length, source: t };
  });
  const total = modelHead.length + 1 + varintSize(graphLength) + graphLength;
  return { modelHead, graphHead, graphLength, tensors, total };
}

/** Yields the serialised model piece by piece; at most one initializer's data is alive at a time. */
export function* modelChunks(m: StreamableModel): Generator<Uint8Array> {
  const l = layout(m);
  yield l.modelHead;
  yield Uint8Array.of(WIRE_TAG.modelGraph);
  yield encodeVarint(l.graphLength);
  yield l.graphHead;
  for (const t of l.tensors) {
    yield Uint8Array.of(WIRE_TAG.graphInitializer);
    yield encodeVarint(t.length);
    yield t.head;
    yield Uint8Array.of(WIRE_TAG.tensorRawData);
    yield encodeVarint(t.source.byteLength);
    const data = t.source.bytes();
    if (data.byteLength !== t.source.byteLength) {
      throw new Error(
        `initializer ${t.source.name}: produced ${data.byteLength} bytes, expected ${t.source.byteLength}`,
      );
    }
    yield data;
  }
}

/** Exact size in bytes of the serialised model (without producing any initializer data). */
export function modelByteSize(m: StreamableModel): number {
  return layout(m).total;
}

/** The whole serialised model in one buffer (for small models and tests). */
export function modelToBytes(m: StreamableModel): Uint8Array {
  const chunks = [...modelChunks(m)];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * Writes the model to `path` (via a temporary file renamed into place, so a reader never sees a
 * half-written model). Returns the number of bytes written.
 */
export async function writeModelFile(m: StreamableModel, path: string): Promise<number> {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  let written = 0;
  try {
    for (const chunk of modelChunks(m)) {
      let off = 0;
      while (off < chunk.byteLength) off += writeSync(fd, chunk, off, chunk.byteLength - off);
      written += chunk.byteLength;
    }
  } catch (err) {
    closeSync(fd);
    await rm(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  await rename(tmp, path);
  return written;
}
