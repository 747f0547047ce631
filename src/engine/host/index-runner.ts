/**
 * Background indexing for the app: passes requested while one runs coalesce into one more pass; the
 * engine's per-file progress becomes throttled `index-progress` events with a sliding-window rate and ETA.
 */
import type { GlintEvent, IndexProgressEvent } from '../../preload/contract.ts';
import { errorMessage } from '../errors.ts';
import type { IndexProgress } from '../ingest/indexer.ts';
import { RateWindow } from './rate-window.ts';
import type { SerialQueue } from './serial-queue.ts';

// NOTE: at most ten progress events a second reach the UI; the last one of a pass is always sent.
const EMIT_EVERY_MS = 100;

/** What the runner needs: one indexing pass, the shared job queue, an event sink and a clock. */
export interface IndexRunnerDeps {
  /** One pass; stops early when `signal` aborts. */
  pass: (signal: AbortSignal) => Promise<unknown>;
  queue: SerialQueue;
  emit: (event: GlintEvent) => void;
  now: () => number;
}

/** Runs indexing passes in the background and reports their progress. */
export class IndexRunner {
  private readonly deps: IndexRunnerDeps;
  private readonly window = new RateWindow();
  private current: Promise<void> | undefined;
  private again = false;
  private lastEmit = 0;
  private readonly stopping = new AbortController();
  /** The latest progress of the pass that is running, or null when idle. */
  progress: IndexProgressEvent | null = null;

  constructor(deps: IndexRunnerDeps) {
    this.deps = deps;
  }

  /** Whether a pass is running or queued. */
  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Asks for a pass; a request during a pass queues exactly one more. */
  request(): void {
    if (this.stopping.signal.aborted) return;
    if (this.current) {
      this.again = true;
      return;
    }
    this.current = this.loop().finally(() => (this.current = undefined));
  }

  /** Stops the running pass (between files) and refuses new ones. */
  stop(): void {
    this.again = false;
    this.stopping.abort();
  }

  /** Resolves when no pass is running or queued. */
  async idle(): Promise<void> {
    while (this.current) await this.current;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      this.window.reset();
      this.lastEmit = 0;
      try {
        await this.deps.queue.run(() => this.deps.pass(this.stopping.signal));
      } catch (err) {
        if (this.stopping.signal.aborted) break;
        this.deps.emit({ type: 'notice', message: `Indexing stopped: ${errorMessage(err)}` });
      }
      this.progress = null;
      this.deps.emit({ type: 'index-idle' });
      this.deps.emit({ type: 'library-changed' });
    } while (this.again && !this.stopping.signal.aborted);
  }

  /** Feeds one engine progress report (call from the engine's event listener). */
  onProgress(p: IndexProgress): void {
    const t = this.deps.now();
    const { rate, etaSeconds } = this.window.add(t, p.done, p.total);
    const progress: IndexProgressEvent = { done: p.done, total: p.total, failed: p.failed, rate, etaSeconds };
    if (p.path !== undefined) progress.path = p.path;
    this.progress = progress;
    if (t - this.lastEmit >= EMIT_EVERY_MS || p.done >= p.total) {
      this.lastEmit = t;
      this.deps.emit({ type: 'index-progress', progress });
    }
  }
}
