import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyEnvelope, RequestEnvelope } from '../../../src/engine/worker/encoder-protocol.ts';
import { cudaProviderLibrary, cudaSupport } from '../../../src/engine/onnx/runtime.ts';
import { HAS_SHARED_DATA } from '../../helpers/shared-data.ts';
import { tinyModels } from '../../helpers/standin-models.ts';

const WORKER = new URL('../../../src/engine/worker/encoder-worker.ts', import.meta.url);

/** The worker spoken to in raw envelopes: every message it posts, in order. */
class Wire {
  readonly worker = new Worker(WORKER);
  readonly received: ReplyEnvelope[] = [];
  private waiters: Array<() => void> = [];

  constructor() {
    this.worker.on('message', (m: ReplyEnvelope) => {
      this.received.push(m);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  send(envelope: RequestEnvelope): void {
    this.worker.postMessage(envelope);
  }

  /** Waits until a reply with this id has arrived, and returns it. */
  async reply(id: number): Promise<ReplyEnvelope> {
    for (;;) {
      const found = this.received.find((m) => m.id === id);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

describe.skipIf(!HAS_SHARED_DATA)('encoder worker protocol', () => {
  let root: string;
  let models: string;
  let wire: Wire;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'glint-encoder-worker-'));
    models = await tinyModels(join(root, 'models'), 2);
    wire = new Wire();
  }, 60_000);
  afterAll(async () => {
    await wire?.worker.terminate();
    await rm(root, { recursive: true, force: true });
  });

  it('answers a request before init as an internal error, under the request’s id', async () => {
    wire.send({ id: 41, request: { type: 'texts', texts: ['x'] } });
    expect(await wire.reply(41)).toEqual({
      id: 41,
      result: { ok: false, error: { code: 'internal', message: 'encoder worker used before init' } },
    });
  });

  it('passes a GlintError’s code through', async () => {
    wire.send({ id: 42, request: { type: 'init', modelsDir: join(root, 'none'), device: 'cpu' } });
    expect(await wire.reply(42)).toMatchObject({
      id: 42,
      result: { ok: false, error: { code: 'models-missing' } },
    });
  });

  it('answers each of several requests once, by id, and posts provider notices after the reply', async () => {
    // CUDA is asked for; where this machine cannot give it, the session falls back to CPU and says so.
    wire.send({ id: 1, request: { type: 'init', modelsDir: models, device: 'cuda', threads: 1 } });
    expect(await wire.reply(1)).toEqual({
      id: 1,
      result: { ok: true, value: { modelId: 'standin-tiny-seed2', standin: true, notices: [] } },
    });
    const before = wire.received.length;
    wire.send({ id: 7, request: { type: 'texts', texts: ['a cat'] } });
    wire.send({ id: 9, request: { type: 'texts', texts: ['a dog', 'a bird'] } });
    const [seven, nine] = [await wire.reply(7), await wire.reply(9)];
    expect(seven).toMatchObject({ id: 7, result: { ok: true } });
    expect(nine).toMatchObject({ id: 9, result: { ok: true } });
    const embeddings = (m: ReplyEnvelope): Float32Array =>
      (m as { result: { value: { embeddings: Float32Array } } }).result.value.embeddings;
    expect(embeddings(seven)).toHaveLength(512);
    expect(embeddings(nine)).toHaveLength(1024);
    const after = wire.received.slice(before);
    expect(after.filter((m) => m.id === 7)).toHaveLength(1);
    expect(after.filter((m) => m.id === 9)).toHaveLength(1);
    const notices = after.filter((m) => m.id === -1);
    const support = cudaSupport();
    const lib = cudaProviderLibrary();
    if (!support.compiled || !lib?.present) {
      // This machine cannot run CUDA: exactly one fallback notice, after the reply that made the session.
      expect(notices).toHaveLength(1);
      expect(after.indexOf(notices[0]!)).toBeGreaterThan(after.indexOf(seven));
      expect((notices[0] as { notice: string }).notice).toMatch(
        /^CUDA is not available on this computer; using the CPU/,
      );
    } else {
      expect(notices.length).toBeLessThanOrEqual(1);
    }
  });
});
