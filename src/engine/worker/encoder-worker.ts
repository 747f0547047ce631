/**
 * The encoder worker thread: owns the CLIP sessions, image decoding and hash-head inference, so
 * ONNX Runtime's blocking `session.run` and sharp's decoding never stall the engine's thread.
 */
import { parentPort } from 'node:worker_threads';
import { ClipEncoders } from '../clip/encoders.ts';
import { resolveModelFolder } from '../clip/model-folder.ts';
import { loadPreprocessConfig, type PreprocessConfig } from '../clip/preprocess-config.ts';
import { GlintError, errorMessage } from '../errors.ts';
import { loadHead, type HashHead } from '../hash/head.ts';
import { describeImageError, makeThumbnail, preprocessForClip } from '../image/sharp-image.ts';
import type {
  EncoderReplies,
  EncoderRequest,
  PhotoResult,
  ReplyEnvelope,
  RequestEnvelope,
} from './encoder-protocol.ts';

interface Loaded {
  encoders: ClipEncoders;
  preprocess: PreprocessConfig;
}

let loaded: Loaded | undefined;
const heads = new Map<string, Promise<HashHead>>();

function need(): Loaded {
  if (!loaded) throw new Error('encoder worker used before init');
  return loaded;
}

async function photos(items: { path: string; thumbPath: string }[]): Promise<EncoderReplies['photos']> {
  const { encoders, preprocess } = need();
  const results: PhotoResult[] = [];
  const pixels: Float32Array[] = [];
  const slots: number[] = [];
  for (const item of items) {
    try {
      const [tensor, thumb] = await Promise.all([
        preprocessForClip(item.path, preprocess),
        makeThumbnail(item.path, item.thumbPath),
      ]);
      slots.push(results.length);
      pixels.push(tensor);
      results.push({
        ok: true,
        embedding: new Float32Array(0),
        width: thumb.sourceWidth,
        height: thumb.sourceHeight,
      });
    } catch (err) {
      const { code, message } = describeImageError(err);
      results.push({ ok: false, code, message });
    }
  }
  if (pixels.length > 0) {
    const batch = new Float32Array(pixels.reduce((sum, p) => sum + p.length, 0));
    pixels.reduce((offset, p) => (batch.set(p, offset), offset + p.length), 0);
    const embeddings = await encoders.encodePixels(batch, pixels.length);
    const dim = embeddings.length / pixels.length;
    slots.forEach((slot, i) => {
      const result = results[slot];
      if (result?.ok) result.embedding = embeddings.slice(i * dim, (i + 1) * dim);
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
      loaded = {
        encoders: await ClipEncoders.load(folder, options),
        preprocess: await loadPreprocessConfig(folder.dir),
      };
      return {
        modelId: folder.modelId,
        standin: folder.standin,
        notices: [],
      } satisfies EncoderReplies['init'];
    }
    case 'photos':
      return photos(request.items);
    case 'image-query': {
      const { encoders, preprocess } = need();
      const tensor = await preprocessForClip(request.path, preprocess).catch((err: unknown) => {
        const { code, message } = describeImageError(err);
        throw new GlintError(code, message, { cause: err });
      });
      return { embedding: await encoders.encodePixels(tensor, 1) } satisfies EncoderReplies['image-query'];
    }
    case 'texts':
      return {
        embeddings: await need().encoders.encodeTexts(request.texts),
      } satisfies EncoderReplies['texts'];
    case 'hash': {
      const head = heads.get(request.headDir) ?? loadHead(request.headDir);
      heads.set(request.headDir, head);
      const h = await head;
      const codes = await h.encode(request.modality, request.embeddings, request.n);
      return { codes, bits: h.bits } satisfies EncoderReplies['hash'];
    }
  }
}

function reply(envelope: ReplyEnvelope): void {
  parentPort?.postMessage(envelope);
}

parentPort?.on('message', (envelope: RequestEnvelope) => {
  handle(envelope.request).then(
    (value) => {
      reply({ id: envelope.id, ok: true, value });
      for (const notice of loaded?.encoders.notices.splice(0) ?? []) reply({ id: -1, ok: true, notice });
    },
    (err: unknown) => {
      const code = err instanceof GlintError ? err.code : 'internal';
      reply({ id: envelope.id, ok: false, code, message: errorMessage(err) });
    },
  );
});
