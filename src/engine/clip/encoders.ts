import { GlintError } from '../errors.ts';
import {
  createSession,
  readF32,
  runSession,
  tensorF32,
  tensorI64,
  type Device,
  type SessionHandle,
} from '../onnx/runtime.ts';
import type { ModelFolder } from './model-folder.ts';
import { loadClipTokenizer, type ClipTokenizer } from './tokenizer.ts';

/** Options for loading the CLIP encoders. */
export interface EncoderOptions {
  device?: Device;
  threads?: number;
}

/** CLIP image and text encoders over ONNX Runtime sessions, loaded lazily per modality. */
export class ClipEncoders {
  readonly folder: ModelFolder;
  readonly tokenizer: ClipTokenizer;
  private readonly options: EncoderOptions;
  private vision?: Promise<SessionHandle>;
  private text?: Promise<SessionHandle>;
  /** Messages about provider fallback (CUDA asked for, CPU used), for the user to read once. */
  readonly notices: string[] = [];

  private constructor(folder: ModelFolder, tokenizer: ClipTokenizer, options: EncoderOptions) {
    this.folder = folder;
    this.tokenizer = tokenizer;
    this.options = options;
  }

  /** Loads the tokenizer now; the ONNX sessions start on first use. */
  static async load(folder: ModelFolder, options: EncoderOptions = {}): Promise<ClipEncoders> {
    return new ClipEncoders(folder, await loadClipTokenizer(folder.dir), options);
  }

  /** Embeds n preprocessed images (n×3×224×224 float32, CHW) into n×D float32. */
  async encodePixels(pixels: Float32Array, n: number): Promise<Float32Array> {
    if (n === 0) return new Float32Array(0);
    const { session } = await this.session('vision');
    const side = Math.round(Math.sqrt(pixels.length / n / 3));
    const out = await runSession(session, { pixel_values: tensorF32(pixels, [n, 3, side, side]) }, [
      'image_embeds',
    ]);
    return readF32(out, 'image_embeds').data;
  }

  /** Embeds texts (tokenized into CLIP's 77-token window, truncating) into n×D float32. */
  async encodeTexts(texts: readonly string[]): Promise<Float32Array> {
    if (texts.length === 0) return new Float32Array(0);
    const { session } = await this.session('text');
    const batch = this.tokenizer.encodeBatch(texts);
    const dims = [texts.length, batch.contextLength];
    const feeds: Record<string, ReturnType<typeof tensorI64>> = { input_ids: tensorI64(batch.ids, dims) };
    // NOTE: some CLIP exports take an attention mask as well; feed it only when the graph asks.
    if (session.inputNames.includes('attention_mask'))
      feeds['attention_mask'] = tensorI64(batch.attentionMask, dims);
    const out = await runSession(session, feeds, ['text_embeds']);
    return readF32(out, 'text_embeds').data;
  }

  /** The execution provider each loaded session uses. */
  async providers(): Promise<{ vision?: Device; text?: Device }> {
    return { vision: (await this.vision)?.provider, text: (await this.text)?.provider };
  }

  private session(kind: 'vision' | 'text'): Promise<SessionHandle> {
    const existing = kind === 'vision' ? this.vision : this.text;
    if (existing) return existing;
    const file = kind === 'vision' ? this.folder.vision : this.folder.text;
    // NOTE: photos decode on the same cores while the encoder runs; spinning threads would take their time.
    const created = createSession(file, { ...this.options, spinning: false }).then(
      (handle) => {
        if (handle.fallback) this.notices.push(handle.fallback);
        return handle;
      },
      (err: unknown) => {
        throw new GlintError(
          'models-invalid',
          `Could not load the CLIP ${kind} encoder ${file}: ${err instanceof Error ? err.message : String(err)}. ` +
            'The file may be incomplete: run `glint models pull` again.',
          { cause: err },
        );
      },
    );
    if (kind === 'vision') this.vision = created;
    else this.text = created;
    return created;
  }
}
