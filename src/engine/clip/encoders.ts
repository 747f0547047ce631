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
import { CLIP_CONTEXT_LENGTH, loadClipTokenizer, type ClipTokenizer } from './tokenizer.ts';

/** Phrases the fitted-window check compares at both window sizes (short, medium, and one that fills it). */
const WINDOW_PROBES = ['a photo', 'a dog running on a sandy beach at sunset', 'word '.repeat(20)];

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
  /** Whether the text graph gives the same embeddings over a window cut to the longest text (checked once). */
  private fitted?: Promise<boolean>;
  /** Messages about provider fallback (CUDA asked for, CPU used), for the user to read once. */
  readonly notices: string[] = [];
  private readonly told = new Set<string>();

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

  /**
   * Embeds texts (tokenized into CLIP's 77-token window, truncating) into n×D float32.
   *
   * CLIP's text transformer is causal and reads its embedding at the end token, so the padding after the
   * longest text cannot change any row: the batch runs over a window cut to the longest text (a search
   * phrase is ~8 tokens, 1/10 of the work). That holds only for a causal graph with a free sequence
   * length, so it is checked once per model against the full window and used only where the embeddings agree.
   */
  async encodeTexts(texts: readonly string[]): Promise<Float32Array> {
    if (texts.length === 0) return new Float32Array(0);
    const { session } = await this.session('text');
    this.fitted ??= this.fittedWindowAgrees(session);
    const window = (await this.fitted) ? this.fittedWindow(texts) : CLIP_CONTEXT_LENGTH;
    return this.runTexts(session, texts, window);
  }

  /** The window that holds the longest of `texts` with BOS and EOS (at most CLIP's 77). */
  fittedWindow(texts: readonly string[]): number {
    let longest = 0;
    for (const text of texts) longest = Math.max(longest, this.tokenizer.countTokens(text) + 2);
    return Math.min(CLIP_CONTEXT_LENGTH, longest);
  }

  private async runTexts(
    session: SessionHandle['session'],
    texts: readonly string[],
    window: number,
  ): Promise<Float32Array> {
    const batch = this.tokenizer.encodeBatch(texts, window);
    const dims = [texts.length, batch.contextLength];
    const feeds: Record<string, ReturnType<typeof tensorI64>> = { input_ids: tensorI64(batch.ids, dims) };
    // NOTE: some CLIP exports take an attention mask as well; feed it only when the graph asks.
    if (session.inputNames.includes('attention_mask'))
      feeds['attention_mask'] = tensorI64(batch.attentionMask, dims);
    const out = await runSession(session, feeds, ['text_embeds']);
    return readF32(out, 'text_embeds').data;
  }

  /** Runs the probes at the full and the fitted window; true when every embedding agrees to 1e-4 of its norm. */
  private async fittedWindowAgrees(session: SessionHandle['session']): Promise<boolean> {
    try {
      for (const probe of WINDOW_PROBES) {
        const full = await this.runTexts(session, [probe], CLIP_CONTEXT_LENGTH);
        const cut = await this.runTexts(session, [probe], this.fittedWindow([probe]));
        let diff = 0;
        let norm = 0;
        full.forEach((v, i) => {
          diff = Math.max(diff, Math.abs(v - (cut[i] as number)));
          norm += v * v;
        });
        if (!(diff <= 1e-4 * Math.sqrt(norm))) return false;
      }
      return true;
    } catch {
      // A graph with a fixed 77-token input refuses the shorter window: it keeps the full one.
      return false;
    }
  }

  /**
   * Opens both sessions now (a models folder or device chosen in Settings is checked before it is used, and a
   * CUDA fallback is known at once); answers the provider each runs on. A file that cannot load rejects.
   */
  async warm(): Promise<{ vision: Device; text: Device }> {
    const [vision, text] = await Promise.all([this.session('vision'), this.session('text')]);
    return { vision: vision.provider, text: text.provider };
  }

  /** Frees the sessions' native memory; the encoders must not be used afterwards. */
  async release(): Promise<void> {
    const handles = await Promise.allSettled([this.vision, this.text]);
    for (const h of handles) if (h.status === 'fulfilled' && h.value) await h.value.session.release();
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
        // Both sessions fall back for the same reason: the user reads it once.
        if (handle.fallback && !this.told.has(handle.fallback)) {
          this.told.add(handle.fallback);
          this.notices.push(handle.fallback);
        }
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
