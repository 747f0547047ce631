/** Loads a hash head directory and runs its per-modality ONNX graphs. */
import { join } from 'node:path';
import { GlintError } from '../errors.ts';
import {
  createSession,
  readF32,
  runSession,
  tensorF32,
  type RuntimeOptions,
  type Session,
} from '../onnx/runtime.ts';
import type { Modality } from '../types.ts';
import { HEAD_INPUT, HEAD_OUTPUT, readHeadMeta, type HeadMeta } from './head-format.ts';

/** A loaded hash head. */
export interface HashHead {
  readonly meta: HeadMeta;
  readonly bits: number;
  readonly dir: string;
  /** Continuous codes (n×K, row-major, in (−1, 1)) for n embeddings (n×D, row-major). */
  encode(modality: Modality, embeddings: Float32Array, n: number): Promise<Float32Array>;
  /** Frees the ONNX sessions. */
  release(): Promise<void>;
}

async function openGraph(dir: string, file: string, opts: RuntimeOptions): Promise<Session> {
  const path = join(dir, file);
  let session: Session;
  try {
    ({ session } = await createSession(path, opts));
  } catch (err) {
    throw new GlintError(
      'head-invalid',
      `Hash head graph ${path} cannot be loaded (${err instanceof Error ? err.message : String(err)}); recreate the head.`,
      { cause: err },
    );
  }
  if (!session.inputNames.includes(HEAD_INPUT) || !session.outputNames.includes(HEAD_OUTPUT)) {
    await session.release();
    throw new GlintError(
      'head-invalid',
      `Hash head graph ${path} must take '${HEAD_INPUT}' and produce '${HEAD_OUTPUT}' ` +
        `(it takes ${session.inputNames.join(', ')} and produces ${session.outputNames.join(', ')}).`,
    );
  }
  return session;
}

/**
 * Loads the head in `dir`: validates head.json (GlintError 'head-invalid' otherwise) and opens
 * both graphs (CPU by default: heads are tiny, so a GPU round trip does not pay).
 */
export async function loadHead(dir: string, runtimeOpts: RuntimeOptions = {}): Promise<HashHead> {
  const meta = await readHeadMeta(dir);
  const sessions: Record<Modality, Session> = {
    image: await openGraph(dir, meta.files.image, runtimeOpts),
    text: await openGraph(dir, meta.files.text, runtimeOpts),
  };
  const dims: Record<Modality, number> = meta.embeddingDims ?? {
    image: meta.embeddingDim,
    text: meta.embeddingDim,
  };
  const k = meta.bits;
  return {
    meta,
    bits: k,
    dir,
    async encode(modality, embeddings, n) {
      const d = dims[modality];
      if (embeddings.length !== n * d) {
        throw new Error(
          `hash head ${meta.id}: ${embeddings.length} values for ${n} embeddings of dimension ${d}`,
        );
      }
      if (n === 0) return new Float32Array(0);
      const out = await runSession(sessions[modality], { [HEAD_INPUT]: tensorF32(embeddings, [n, d]) }, [
        HEAD_OUTPUT,
      ]);
      const code = readF32(out, HEAD_OUTPUT);
      if (code.dims[0] !== n || code.dims[1] !== k) {
        throw new GlintError(
          'head-invalid',
          `hash head ${meta.id} produced [${code.dims.join(', ')}], expected [${n}, ${k}]`,
        );
      }
      return code.data;
    },
    async release() {
      await Promise.all([sessions.image.release(), sessions.text.release()]);
    },
  };
}
