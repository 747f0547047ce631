import { Worker } from 'node:worker_threads';
import { fromApiError } from '../errors.ts';
import type { Device } from '../onnx/runtime.ts';
import type { Modality } from '../types.ts';
import type { EncoderReplies, EncoderRequest, PhotoJob, ReplyEnvelope } from './encoder-protocol.ts';

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/** The engine's handle on its encoder worker thread: typed calls that return promises. */
export class EncoderClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure?: Error;
  /** Called with provider-fallback and similar notices from the worker. */
  onNotice: (line: string) => void = () => {};

  constructor() {
    this.worker = new Worker(new URL('./encoder-worker.ts', import.meta.url));
    this.worker.on('message', (envelope: ReplyEnvelope) => this.receive(envelope));
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', (code) => {
      // NOTE: a worker stopped before it came online exits with 0; its calls must still fail, not hang.
      this.failAll(
        this.failure ??
          new Error(code === 0 ? 'encoder worker stopped' : `encoder worker exited with code ${code}`),
      );
    });
  }

  /**
   * Loads the CLIP models from `modelsDir` in the worker; called again, replaces them (the old sessions are
   * freed once no request uses them). `warm` opens both sessions before answering, with their providers.
   */
  init(modelsDir: string, device: Device, threads?: number, warm = false): Promise<EncoderReplies['init']> {
    return this.call({
      type: 'init',
      modelsDir,
      device,
      ...(threads === undefined ? {} : { threads }),
      ...(warm ? { warm } : {}),
    });
  }

  /**
   * Decodes, thumbnails, embeds and hashes photos (with the head in `headDir`) in one round trip;
   * failures come back per photo. The photos' byte buffers are moved to the worker, not copied.
   */
  photos(items: PhotoJob[], headDir: string): Promise<EncoderReplies['photos']> {
    // NOTE: only a buffer that owns its whole ArrayBuffer is moved; a small file's bytes may sit in Node's
    // shared Buffer pool, whose transfer would detach memory other code still uses, so those are copied.
    const owned = items.map((item) => {
      const b = item.bytes;
      const whole =
        b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer;
      return whole ? item : { ...item, bytes: new Uint8Array(b) };
    });
    const transfer = [...new Set(owned.map((item) => item.bytes.buffer as ArrayBuffer))];
    return this.call({ type: 'photos', items: owned, headDir }, transfer);
  }

  /** Embeds one query image (not stored, no thumbnail). */
  imageQuery(path: string): Promise<EncoderReplies['image-query']> {
    return this.call({ type: 'image-query', path });
  }

  /** Embeds texts, and hashes them with the head in `headDir` when given (one round trip). */
  texts(texts: string[], headDir?: string): Promise<EncoderReplies['texts']> {
    return this.call({ type: 'texts', texts, ...(headDir === undefined ? {} : { headDir }) });
  }

  /** Runs a hash head over n embeddings of one modality. */
  hash(
    headDir: string,
    modality: Modality,
    embeddings: Float32Array,
    n: number,
  ): Promise<EncoderReplies['hash']> {
    return this.call({ type: 'hash', headDir, modality, embeddings, n });
  }

  /** Stops the worker thread. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private call<K extends EncoderRequest['type']>(
    request: Extract<EncoderRequest, { type: K }>,
    transfer: ArrayBuffer[] = [],
  ): Promise<EncoderReplies[K]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, request }, transfer);
    });
  }

  private receive(envelope: ReplyEnvelope): void {
    if ('notice' in envelope) {
      this.onNotice(envelope.notice);
      return;
    }
    const pending = this.pending.get(envelope.id);
    if (!pending) return;
    this.pending.delete(envelope.id);
    if (envelope.result.ok) pending.resolve(envelope.result.value);
    else pending.reject(fromApiError(envelope.result.error));
  }

  private failAll(err: Error): void {
    this.failure = err;
    for (const pending of this.pending.values()) pending.reject(err);
    this.pending.clear();
  }
}
