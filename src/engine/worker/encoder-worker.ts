/**
 * The encoder worker thread: owns the CLIP sessions, image decoding and hash-head inference, so
 * ONNX Runtime's blocking `session.run` and sharp's decoding never stall the engine's thread.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { ClipEncoders } from '../clip/encoders.ts';
import { resolveModelFolder } from '../clip/model-folder.ts';
import { loadPreprocessConfig, type PreprocessConfig } from '../clip/preprocess-config.ts';
import { GlintError, toApiError } from '../errors.ts';
import { loadHead, type HashHead } from '../hash/head.ts';
import { fileError } from '../ingest/file-hash.ts';
import { decodeForIndex, describeImageError, preprocessForClip } from '../image/sharp-image.ts';
import type {
  EncoderReplies,
  EncoderRequest,
  PhotoJob,
  PhotoResult,
  ReplyEnvelope,
  RequestEnvelope,
} from './encoder-protocol.ts';

interface Loaded {
  encoders: ClipEncoders;
  preprocess: PreprocessConfig;
}

let loaded: Loaded | undefined;
/** Encoders replaced by a later init, freed once no request that may still use them is running. */
const retired: ClipEncoders[] = [];
let running = 0;
const heads = new Map<string, Promise<HashHead>>();

function need(): Loaded {
  if (!loaded) throw new Error('encoder worker used before init');
  return loaded;
}

function headAt(dir: string): Promise<HashHead> {
  const head = heads.get(dir) ?? loadHead(dir);
  heads.set(dir, head);
  return head;
}

/** A decode failure as the code and message the engine records; the library's own errors pass as they are. */
function decodeFailure(err: unknown): { code: string; message: string } {
  if (err instanceof GlintError && !err.code.startsWith('image-'))
    return { code: err.code, message: err.message };
  return describeImageError(err);
}

// NOTE: two photos decode at a time (the cores this targets); more only raises peak memory.
const DECODE_CONCURRENCY = 2;

async function photos(items: PhotoJob[], headDir: string): Promise<EncoderReplies['photos']> {
  const { encoders, preprocess } = need();
  const results: PhotoResult[] = new Array(items.length);
  const tensors: Array<Float32Array | undefined> = new Array(items.length);
  let next = 0;
  const decodeNext = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i] as PhotoJob;
      try {
        const bytes = Buffer.from(item.bytes.buffer, item.bytes.byteOffset, item.bytes.byteLength);
        const image = await decodeForIndex(bytes, preprocess, item.thumbPath);
        tensors[i] = image.tensor;
        const empty = new Float32Array(0);
        results[i] = { ok: true, embedding: empty, code: empty, width: image.width, height: image.height };
      } catch (err) {
        results[i] = { ok: false, ...decodeFailure(err) };
      }
    }
  };
  await Promise.all(Array.from({ length: DECODE_CONCURRENCY }, decodeNext));
  const slots = tensors.flatMap((t, i) => (t ? [i] : []));
  if (slots.length > 0) {
    const size = (tensors[slots[0] as number] as Float32Array).length;
    const batch = new Float32Array(size * slots.length);
    slots.forEach((slot, j) => batch.set(tensors[slot] as Float32Array, j * size));
    const embeddings = await encoders.encodePixels(batch, slots.length);
    const head = await headAt(headDir);
    const codes = await head.encode('image', embeddings, slots.length);
    const dim = embeddings.length / slots.length;
    slots.forEach((slot, j) => {
      const result = results[slot];
      if (result?.ok) {
        result.embedding = embeddings.slice(j * dim, (j + 1) * dim);
        result.code = codes.slice(j * head.bits, (j + 1) * head.bits);
      }
    });
  }
  return { results };
}

async function handle(request: EncoderRequest): Promise<unknown> {
  switch (request.type) {
    case 'init': {
      const folder = resolveModelFolder(request.modelsDir);
      const options =
        request.threads === undefined
          ? { device: request.device }
          : { device: request.device, threads: request.threads };
      const next: Loaded = {
        encoders: await ClipEncoders.load(folder, options),
        preprocess: await loadPreprocessConfig(folder.dir),
      };
      // A folder that cannot load leaves the encoders in use as they were.
      const providers = request.warm
        ? await next.encoders.warm().catch(async (err: unknown) => {
            await next.encoders.release().catch(() => undefined);
            throw err;
          })
        : undefined;
      if (loaded) retired.push(loaded.encoders);
      loaded = next;
      // NOTE: a warm init answers its own fallback notices, so the caller knows them with the answer.
      return {
        modelId: folder.modelId,
        standin: folder.standin,
        notices: providers ? next.encoders.notices.splice(0) : [],
        ...(providers ? { providers } : {}),
      } satisfies EncoderReplies['init'];
    }
    case 'photos':
      return photos(request.items, request.headDir);
    case 'image-query': {
      const { encoders, preprocess } = need();
      // Read into memory first: libvips maps a file it reads, and a file rewritten meanwhile would SIGBUS.
      const bytes = await readFile(request.path).catch((err: unknown) => {
        throw fileError(err, request.path);
      });
      const tensor = await preprocessForClip(bytes, preprocess).catch((err: unknown) => {
        const { code, message } = describeImageError(err);
        throw new GlintError(code, message, { cause: err });
      });
      return { embedding: await encoders.encodePixels(tensor, 1) } satisfies EncoderReplies['image-query'];
    }
    case 'texts': {
      const embeddings = await need().encoders.encodeTexts(request.texts);
      if (request.headDir === undefined || request.texts.length === 0)
        return { embeddings } satisfies EncoderReplies['texts'];
      const head = await headAt(request.headDir);
      const codes = await head.encode('text', embeddings, request.texts.length);
      return { embeddings, codes } satisfies EncoderReplies['texts'];
    }
    case 'hash': {
      const h = await headAt(request.headDir);
      const codes = await h.encode(request.modality, request.embeddings, request.n);
      return { codes, bits: h.bits } satisfies EncoderReplies['hash'];
    }
  }
}

function reply(envelope: ReplyEnvelope): void {
  parentPort?.postMessage(envelope);
}

/** Frees retired encoders when nothing runs that could still hold their sessions. */
function releaseRetired(): void {
  if (running > 0) return;
  for (const encoders of retired.splice(0)) void encoders.release().catch(() => undefined);
}

parentPort?.on('message', (envelope: RequestEnvelope) => {
  running++;
  handle(envelope.request)
    .finally(() => {
      running--;
      releaseRetired();
    })
    .then(
      (value) => {
        reply({ id: envelope.id, result: { ok: true, value } });
        for (const notice of loaded?.encoders.notices.splice(0) ?? []) reply({ id: -1, notice });
      },
      (err: unknown) => {
        const error = toApiError(err);
        // The stack goes to the log (stderr); the user sees the message.
        if (error.code === 'internal') console.error(err);
        reply({ id: envelope.id, result: { ok: false, error } });
      },
    );
});
