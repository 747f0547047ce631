/**
 * ONNX Runtime sessions for the engine: CUDA when asked and available, otherwise CPU with a
 * message that says why and how to get GPU support. This is the only module that imports
 * onnxruntime-node; others use the types and helpers exported here.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { cudaFallbackMessage, type Device } from './device.ts';

/** An inference session (onnxruntime-node's InferenceSession). */
export type Session = ort.InferenceSession;

/** A tensor passed to or returned from a session. */
export type Tensor = ort.Tensor;

/** Named session inputs. */
export type Feeds = Record<string, Tensor>;

/** Named session outputs. */
export type Outputs = ort.InferenceSession.OnnxValueMapType;

export type { Device } from './device.ts';

/** Options for creating a session. */
export interface RuntimeOptions {
  /** 'cuda' tries the CUDA execution provider first (default 'cpu'). */
  device?: Device;
  /** Intra-op threads (default: ORT's choice, one per physical core). */
  threads?: number;
  /** Graph optimisation level (default 'all'). */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /**
   * Whether idle intra-op threads spin waiting for work (ORT's default, true). Off for sessions that share
   * the cores with other work (decoding beside the encoder), where spinning steals their time.
   */
  spinning?: boolean;
  /** Write ORT's per-node profile (JSON) to files starting with this prefix (research tooling). */
  profileFilePrefix?: string;
}

/** A created session and the provider it runs on. */
export interface SessionHandle {
  session: Session;
  provider: Device;
  /** Set when CUDA was asked for but the session runs on CPU: why, and what to do. */
  fallback?: string;
}

/** How to get the CUDA provider libraries (they are not bundled with onnxruntime-node). */
export const GPU_INSTALL_HINT =
  'To use the GPU, run `npm run gpu:install` (downloads the onnxruntime CUDA 12 provider) on a machine with an NVIDIA driver, CUDA 12 and cuDNN 9.';

/** Whether this onnxruntime-node build can use CUDA at all, and whether its libraries are present. */
export function cudaSupport(): { compiled: boolean; bundled: boolean } {
  const cuda = ort.listSupportedBackends().find((b) => b.name === 'cuda');
  return { compiled: cuda !== undefined, bundled: cuda?.bundled ?? false };
}

/**
 * Where onnxruntime-node keeps its native libraries, and whether the CUDA provider library is
 * there (`npm run gpu:install` puts it there). Null when the layout is not the expected one.
 */
export function cudaProviderLibrary(): { dir: string; present: boolean } | null {
  try {
    const pkg = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    const bin = join(pkg, 'bin');
    const napi = readdirSync(bin).find((d) => d.startsWith('napi-'));
    if (!napi) return null;
    const dir = join(bin, napi, process.platform, process.arch);
    const lib =
      process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    return { dir, present: existsSync(join(dir, lib)) };
  } catch {
    return null;
  }
}

function sessionOptions(
  opts: RuntimeOptions,
  providers: ort.InferenceSession.ExecutionProviderConfig[],
): ort.InferenceSession.SessionOptions {
  const o: ort.InferenceSession.SessionOptions = {
    executionProviders: providers,
    graphOptimizationLevel: opts.graphOptimizationLevel ?? 'all',
  };
  if (opts.threads !== undefined) o.intraOpNumThreads = opts.threads;
  if (opts.spinning === false) o.extra = { session: { intra_op: { allow_spinning: '0' } } };
  if (opts.profileFilePrefix !== undefined) {
    o.enableProfiling = true;
    o.profileFilePrefix = opts.profileFilePrefix;
  }
  return o;
}

function create(model: string | Uint8Array, options: ort.InferenceSession.SessionOptions): Promise<Session> {
  return typeof model === 'string'
    ? ort.InferenceSession.create(model, options)
    : ort.InferenceSession.create(model, options);
}

/**
 * Creates a session from a model file path or model bytes. With `device: 'cuda'` it tries the
 * CUDA provider and falls back to CPU (never throws for lack of a GPU); the reason is in
 * `fallback`. Errors in the model itself are thrown.
 */
export async function createSession(
  model: string | Uint8Array,
  opts: RuntimeOptions = {},
): Promise<SessionHandle> {
  let fallback: string | undefined;
  if (opts.device === 'cuda') {
    const support = cudaSupport();
    const lib = cudaProviderLibrary();
    if (!support.compiled) {
      fallback = cudaFallbackMessage('this onnxruntime-node build has no CUDA provider', GPU_INSTALL_HINT);
    } else if (!support.bundled && lib && !lib.present) {
      // NOTE: checked up front because ORT logs a loud native error when the library is missing.
      fallback = cudaFallbackMessage(
        `the onnxruntime CUDA provider is not installed: no CUDA provider library in ${lib.dir}`,
        GPU_INSTALL_HINT,
      );
    } else {
      try {
        const session = await create(model, sessionOptions(opts, ['cuda', 'cpu']));
        return { session, provider: 'cuda' };
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        fallback = cudaFallbackMessage(
          `the CUDA execution provider could not start: ${why.split('\n')[0]}`,
          GPU_INSTALL_HINT,
        );
      }
    }
  }
  const session = await create(model, sessionOptions(opts, ['cpu']));
  return fallback === undefined ? { session, provider: 'cpu' } : { session, provider: 'cpu', fallback };
}

/** A float32 tensor of shape `dims`. */
export function tensorF32(data: Float32Array | readonly number[], dims: readonly number[]): Tensor {
  return new ort.Tensor('float32', data instanceof Float32Array ? data : Float32Array.from(data), dims);
}

/** A float64 tensor of shape `dims`. */
export function tensorF64(data: Float64Array | readonly number[], dims: readonly number[]): Tensor {
  return new ort.Tensor('float64', data instanceof Float64Array ? data : Float64Array.from(data), dims);
}

/** An int64 tensor of shape `dims` (numbers are converted to bigint). */
export function tensorI64(
  data: BigInt64Array | readonly (number | bigint)[],
  dims: readonly number[],
): Tensor {
  const arr = data instanceof BigInt64Array ? data : BigInt64Array.from(data, (v) => BigInt(v));
  return new ort.Tensor('int64', arr, dims);
}

/** A bool tensor of shape `dims`. */
export function tensorBool(data: Uint8Array | readonly boolean[], dims: readonly number[]): Tensor {
  const arr = data instanceof Uint8Array ? data : Uint8Array.from(data, (v) => (v ? 1 : 0));
  return new ort.Tensor('bool', arr, dims);
}

function output(outputs: Outputs, name: string): Tensor {
  const t = outputs[name];
  if (!t) throw new Error(`model has no output '${name}' (outputs: ${Object.keys(outputs).join(', ')})`);
  return t;
}

/** Reads a float32 output: its data (a copy owned by the caller) and dims. */
export function readF32(outputs: Outputs, name: string): { data: Float32Array; dims: number[] } {
  const t = output(outputs, name);
  if (t.type !== 'float32') throw new Error(`output '${name}' is ${t.type}, expected float32`);
  return { data: Float32Array.from(t.data as Float32Array), dims: [...t.dims] };
}

/** Reads a float64 output. */
export function readF64(outputs: Outputs, name: string): { data: Float64Array; dims: number[] } {
  const t = output(outputs, name);
  if (t.type !== 'float64') throw new Error(`output '${name}' is ${t.type}, expected float64`);
  return { data: Float64Array.from(t.data as Float64Array), dims: [...t.dims] };
}

/** Reads an int64 output. */
export function readI64(outputs: Outputs, name: string): { data: BigInt64Array; dims: number[] } {
  const t = output(outputs, name);
  if (t.type !== 'int64') throw new Error(`output '${name}' is ${t.type}, expected int64`);
  return { data: BigInt64Array.from(t.data as BigInt64Array), dims: [...t.dims] };
}

/** Runs a session (optionally only some outputs). */
export function runSession(
  session: Session,
  feeds: Feeds,
  outputNames?: readonly string[],
): Promise<Outputs> {
  return outputNames ? session.run(feeds, [...outputNames]) : session.run(feeds);
}

/**
 * Runs a session with `fetches`: every output to return, by name; a tensor value is a preallocated output that
 * ORT writes into (same dtype and shape), null lets ORT allocate it.
 */
export function runSessionInto(
  session: Session,
  feeds: Feeds,
  fetches: Readonly<Record<string, Tensor | null>>,
): Promise<Outputs> {
  return session.run(feeds, fetches as ort.InferenceSession.NullableOnnxValueMapType);
}

/** Input and output names and declared types of a session, for checks and error messages. */
export function sessionSignature(session: Session): {
  inputs: { name: string; type?: string; shape?: (number | string)[] }[];
  outputs: { name: string; type?: string; shape?: (number | string)[] }[];
} {
  const describe = (
    names: readonly string[],
    meta: readonly ort.InferenceSession.ValueMetadata[] | undefined,
  ) =>
    names.map((name, i) => {
      const m = meta?.[i];
      if (m && m.isTensor) return { name, type: m.type, shape: [...m.shape] };
      return { name };
    });
  return {
    inputs: describe(session.inputNames, session.inputMetadata),
    outputs: describe(session.outputNames, session.outputMetadata),
  };
}
