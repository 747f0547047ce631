/**
 * Indexing progress for the app: the engine pipeline's per-file progress becomes throttled
 * `index-progress` events with a sliding-window rate and ETA; the end of each pass becomes
 * `index-idle` and `library-changed`, and a change of what indexing is doing becomes `ingest-state`.
 */
import type { GlintEvent, IndexProgressEvent } from '../../contract/api.ts';
import type { IndexProgress } from '../ingest/job-processor.ts';
import type { PipelineState } from '../ingest/pipeline.ts';
import { RateWindow } from './rate-window.ts';

// NOTE: at most ten progress events a second reach the UI; the last one of a pass is always sent.
const EMIT_EVERY_MS = 100;

/** Turns the engine's indexing events into the contract's events. */
export class IndexProgressReporter {
  private readonly emit: (event: GlintEvent) => void;
  private readonly now: () => number;
  private readonly window = new RateWindow();
  private lastEmit = 0;
  /** The latest progress of the pass that is running, or null when idle. */
  progress: IndexProgressEvent | null = null;

  constructor(emit: (event: GlintEvent) => void, now: () => number) {
    this.emit = emit;
    this.now = now;
  }

  /** Feeds one engine progress report. */
  onProgress(p: IndexProgress): void {
    const t = this.now();
    const { rate, etaSeconds } = this.window.add(t, p.done, p.total);
    const progress: IndexProgressEvent = { done: p.done, total: p.total, failed: p.failed, rate, etaSeconds };
    if (p.path !== undefined) progress.path = p.path;
    this.progress = progress;
    if (t - this.lastEmit >= EMIT_EVERY_MS || p.done >= p.total) {
      this.lastEmit = t;
      this.emit({ type: 'index-progress', progress });
    }
  }

  /** A pass ended: the next one starts its rate afresh. */
  onPassEnd(): void {
    this.progress = null;
    this.window.reset();
    this.lastEmit = 0;
    this.emit({ type: 'index-idle' });
    this.emit({ type: 'library-changed' });
  }

  /** Indexing started, paused or went idle. */
  onState(state: PipelineState): void {
    this.emit({ type: 'ingest-state', state });
  }
}
