/**
 * The ONNX IR messages Glint reads and writes, as a protobufjs reflection schema (no .proto file
 * is looked up at run time). Field numbers follow onnx/onnx.proto (IR version 8–10); only the
 * messages and fields Glint uses are declared, unknown fields are skipped when decoding.
 * This is the only module that imports protobufjs.
 */
import protobuf from 'protobufjs';

/** ONNX TensorProto.DataType codes. */
export const DATA_TYPE = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  string: 8,
  bool: 9,
  float16: 10,
  float64: 11,
  uint32: 12,
  uint64: 13,
} as const;

/** ONNX AttributeProto.AttributeType codes. */
export const ATTRIBUTE_TYPE = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
} as const;

/** Wire type 2 (length-delimited) field tags used by the streaming writer. */
export const WIRE_TAG = {
  /** ModelProto.graph = 7 */
  modelGraph: (7 << 3) | 2,
  /** GraphProto.initializer = 5 */
  graphInitializer: (5 << 3) | 2,
  /** TensorProto.raw_data = 9 */
  tensorRawData: (9 << 3) | 2,
} as const;

type FieldJson = { type: string; id: number; rule?: 'repeated'; options?: { packed?: boolean } };
type Fields = Record<string, FieldJson>;
const f = (type: string, id: number): FieldJson => ({ type, id });
const rep = (type: string, id: number): FieldJson => ({ type, id, rule: 'repeated' });

const messages: Record<string, Fields> = {
  StringStringEntryProto: { key: f('string', 1), value: f('string', 2) },
  OperatorSetIdProto: { domain: f('string', 1), version: f('int64', 2) },
  TensorProto: {
    dims: rep('int64', 1),
    dataType: f('int32', 2),
    floatData: rep('float', 4),
    int32Data: rep('int32', 5),
    stringData: rep('bytes', 6),
    int64Data: rep('int64', 7),
    name: f('string', 8),
    rawData: f('bytes', 9),
    doubleData: rep('double', 10),
    uint64Data: rep('uint64', 11),
    docString: f('string', 12),
    externalData: rep('StringStringEntryProto', 13),
    dataLocation: f('int32', 14),
  },
  Dimension: { dimValue: f('int64', 1), dimParam: f('string', 2), denotation: f('string', 3) },
  TensorShapeProto: { dim: rep('Dimension', 1) },
  TypeProtoTensor: { elemType: f('int32', 1), shape: f('TensorShapeProto', 2) },
  TypeProto: { tensorType: f('TypeProtoTensor', 1), denotation: f('string', 6) },
  ValueInfoProto: { name: f('string', 1), type: f('TypeProto', 2), docString: f('string', 3) },
  AttributeProto: {
    name: f('string', 1),
    f: f('float', 2),
    i: f('int64', 3),
    s: f('bytes', 4),
    t: f('TensorProto', 5),
    g: f('GraphProto', 6),
    floats: rep('float', 7),
    ints: rep('int64', 8),
    strings: rep('bytes', 9),
    tensors: rep('TensorProto', 10),
    graphs: rep('GraphProto', 11),
    docString: f('string', 13),
    type: f('int32', 20),
    refAttrName: f('string', 21),
  },
  NodeProto: {
    input: rep('string', 1),
    output: rep('string', 2),
    name: f('string', 3),
    opType: f('string', 4),
    attribute: rep('AttributeProto', 5),
    docString: f('string', 6),
    domain: f('string', 7),
  },
  GraphProto: {
    node: rep('NodeProto', 1),
    name: f('string', 2),
    initializer: rep('TensorProto', 5),
    docString: f('string', 10),
    input: rep('ValueInfoProto', 11),
    output: rep('ValueInfoProto', 12),
    valueInfo: rep('ValueInfoProto', 13),
  },
  ModelProto: {
    irVersion: f('int64', 1),
    producerName: f('string', 2),
    producerVersion: f('string', 3),
    domain: f('string', 4),
    modelVersion: f('int64', 5),
    docString: f('string', 6),
    graph: f('GraphProto', 7),
    opsetImport: rep('OperatorSetIdProto', 8),
    metadataProps: rep('StringStringEntryProto', 14),
  },
};

const root = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: Object.fromEntries(Object.entries(messages).map(([name, fields]) => [name, { fields }])),
    },
  },
});

const typeOf = (name: string): protobuf.Type => root.lookupType(`onnx.${name}`);
const ModelType = typeOf('ModelProto');
const GraphType = typeOf('GraphProto');
const TensorType = typeOf('TensorProto');

/** A string → string metadata entry. */
export interface StringStringEntry {
  key: string;
  value: string;
}

/** ONNX TensorProto (plain object). `rawData` is little-endian element bytes. */
export interface TensorProto {
  name?: string;
  dims?: number[];
  dataType?: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  doubleData?: number[];
  uint64Data?: number[];
  stringData?: Uint8Array[];
  docString?: string;
  externalData?: StringStringEntry[];
  dataLocation?: number;
}

/** One dimension: a fixed size or a symbolic name. */
export interface DimensionProto {
  dimValue?: number;
  dimParam?: string;
  denotation?: string;
}

/** ONNX TypeProto (tensor types only). */
export interface TypeProto {
  tensorType?: { elemType?: number; shape?: { dim?: DimensionProto[] } };
  denotation?: string;
}

/** ONNX ValueInfoProto: a graph input, output or annotated intermediate value. */
export interface ValueInfoProto {
  name?: string;
  type?: TypeProto;
  docString?: string;
}

/** ONNX AttributeProto. */
export interface AttributeProto {
  name?: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  tensors?: TensorProto[];
  graphs?: GraphProto[];
  docString?: string;
  refAttrName?: string;
}

/** ONNX NodeProto. */
export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute?: AttributeProto[];
  docString?: string;
}

/** ONNX GraphProto. */
export interface GraphProto {
  name?: string;
  node?: NodeProto[];
  initializer?: TensorProto[];
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  valueInfo?: ValueInfoProto[];
  docString?: string;
}

/** ONNX OperatorSetIdProto. */
export interface OperatorSetId {
  domain?: string;
  version?: number;
}

/** ONNX ModelProto. */
export interface ModelProto {
  irVersion?: number;
  opsetImport?: OperatorSetId[];
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  graph?: GraphProto;
  metadataProps?: StringStringEntry[];
}

const toObjectOptions: protobuf.IConversionOptions = {
  longs: Number,
  enums: Number,
  bytes: Uint8Array,
  defaults: false,
  arrays: false,
};

function encode(type: protobuf.Type, message: object): Uint8Array {
  const err = type.verify(message);
  if (err) throw new Error(`invalid ONNX ${type.name}: ${err}`);
  return type.encode(type.fromObject(message)).finish();
}

/** Serialises a ModelProto. */
export function encodeModel(model: ModelProto): Uint8Array {
  return encode(ModelType, model);
}

/** Serialises a GraphProto (the streaming writer appends initializers to it separately). */
export function encodeGraph(graph: GraphProto): Uint8Array {
  return encode(GraphType, graph);
}

/** Serialises a TensorProto. */
export function encodeTensor(tensor: TensorProto): Uint8Array {
  return encode(TensorType, tensor);
}

/** Parses ONNX model bytes. int64 fields become numbers (exact up to 2^53). */
export function decodeModel(bytes: Uint8Array): ModelProto {
  return ModelType.toObject(ModelType.decode(bytes), toObjectOptions) as ModelProto;
}

/** Bytes that protobuf's varint encoding of `n` takes. */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Protobuf varint encoding of a non-negative integer (below 2^53). */
export function encodeVarint(n: number): Uint8Array {
  const out = new Uint8Array(varintSize(n));
  for (let i = 0; i < out.length; i++) {
    const low = n % 128;
    n = Math.floor(n / 128);
    out[i] = i < out.length - 1 ? low | 128 : low;
  }
  return out;
}
