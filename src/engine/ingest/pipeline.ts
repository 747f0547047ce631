/**
 * The one ingest pipeline of the CLI, `glint serve` and the app. Passes run one at a time on the
 * engine's exclusive queue (never beside training or a head switch): a full scan at launch, on
 * "Re-index" and on `glint index`; otherwise the watcher queues exactly the paths that changed and a
 * pass drains just those. Requests that arrive during a pass coalesce into one more pass. Indexing can
 * be paused (the queue stays in SQLite and resumes where it stopped) or cancelled (queued work is
 * dropped; the next scan finds it again).
 */
import { errorMessage, type GlintError } from '../errors.ts';
import type { SerialQueue } from '../serial-queue.ts';
import { watchFolders, type FolderWatcher, type WatchOptions } from './watcher.ts';

/** A full scan of every folder, or only the changes the watcher queued. */
export type PassKind = 'scan' | 'changes';

/** What the pipeline is doing. */
export type PipelineState = 'idle' | 'running' | 'paused';

/** What the pipeline drives; the engine provides it. */
export interface PipelineDeps {
  exclusive: SerialQueue;
  /** Scans every library folder and drains the queue. */
  scan: (signal: AbortSignal) => Promise<unknown>;
  /** Drains the queue only, waiting `graceMs` before removals (so a move is seen as one). */
  drain: (signal: AbortSignal, graceMs: number) => Promise<unknown>;
  /** Queues one path's job. */
  enqueue: (kind: 'ingest' | 'remove', path: string) => void;
  /** Whether a path the watcher saw go is confirmed gone (see absence.ts), not just out of sight. */
  confirmGone: (path: string) => Promise<boolean>;
  /** Drops every queued job (cancel). */
  clearQueue: () => number;
  /** After each pass and each state change. */
  onState?: (state: PipelineState) => void;
  onPassEnd?: () => void;
  onWatch?: (change: 'add' | 'change' | 'unlink', path: string) => void;
  onError?: (message: string) => void;
  /** Removal grace in watch mode (ms). */
  removeGraceMs: number;
  watchOptions?: WatchOptions;
}

/** Runs ingest passes for one engine. */
export class IngestPipeline {
  private readonly deps: PipelineDeps;
  private current: Promise<void> | undefined;
  private pending: PassKind | undefined;
  private controller: AbortController | undefined;
  private paused = false;
  private stopped = false;
  private watcher: FolderWatcher | undefined;

  constructor(deps: PipelineDeps) {
    this.deps = deps;
  }

  /** What the pipeline is doing now. */
  get state(): PipelineState {
    if (this.paused) return 'paused';
    return this.current ? 'running' : 'idle';
  }

  /** Asks for a pass; during a pass (or while paused) it is remembered, a scan outranking changes. */
  request(kind: PassKind): void {
    if (this.stopped) return;
    this.pending = this.pending === 'scan' || kind === 'scan' ? 'scan' : 'changes';
    if (!this.current && !this.paused) this.current = this.loop().finally(() => (this.current = undefined));
  }

  /** Stops the running pass between files and starts none until `resume`; queued work is kept. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.controller?.abort();
    this.deps.onState?.('paused');
  }

  /** Continues where `pause` stopped. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.deps.onState?.(this.state);
    this.request(this.pending ?? 'changes');
  }

  /** Stops the running pass and drops what is queued; returns how many queued files were dropped. */
  async cancel(): Promise<number> {
    this.pending = undefined;
    this.controller?.abort();
    await this.current;
    return this.deps.clearQueue();
  }

  /** Stops the running pass now (e.g. its folder is being removed); a later request starts again. */
  async interrupt(): Promise<void> {
    this.controller?.abort();
    await this.current;
  }

  /**
   * Watches `roots`: each change queues exactly its path and asks for a 'changes' pass. Resolves once
   * the watches are in place, so nothing written after it resolves is missed.
   */
  async watch(roots: readonly string[]): Promise<FolderWatcher> {
    if (this.watcher) return this.watcher;
    const queued = (kind: 'ingest' | 'remove', change: 'add' | 'change' | 'unlink', path: string): void => {
      if (this.stopped) return;
      this.deps.enqueue(kind, path);
      this.deps.onWatch?.(change, path);
      this.request('changes');
    };
    let ready = (): void => {};
    const watching = new Promise<void>((resolve) => (ready = resolve));
    const watcher = watchFolders(
      roots,
      {
        onAdd: (path) => queued('ingest', 'add', path),
        onChange: (path) => queued('ingest', 'change', path),
        onUnlink: (path) => {
          // An unplugged drive unlinks everything on it: only a confirmed absence becomes a removal.
          this.deps.confirmGone(path).then(
            (gone) => gone && queued('remove', 'unlink', path),
            (err: unknown) => this.deps.onError?.(errorMessage(err)),
          );
        },
        onError: (err: GlintError) => this.deps.onError?.(err.message),
        onReady: () => ready(),
      },
      this.deps.watchOptions,
    );
    this.watcher = {
      add: (root) => watcher.add(root),
      remove: (root) => watcher.remove(root),
      close: async () => {
        this.watcher = undefined;
        await watcher.close();
      },
    };
    await watching;
    return this.watcher;
  }

  /** Starts watching another root, when watching. */
  watcherAdd(root: string): void {
    this.watcher?.add(root);
  }

  /** Stops watching a root, when watching. */
  watcherRemove(root: string): void {
    this.watcher?.remove(root);
  }

  /** Resolves when no pass is running or asked for. */
  async idle(): Promise<void> {
    while (this.current) await this.current;
  }

  /** Stops for good: no new passes, the running one aborted, the watcher closed. */
  async close(): Promise<void> {
    this.stopped = true;
    this.pending = undefined;
    this.controller?.abort();
    await this.watcher?.close();
    await this.idle();
  }

  private async loop(): Promise<void> {
    this.deps.onState?.('running');
    while (this.pending && !this.paused && !this.stopped) {
      const kind = this.pending;
      this.pending = undefined;
      const controller = new AbortController();
      this.controller = controller;
      try {
        await this.deps.exclusive.run(() =>
          kind === 'scan'
            ? this.deps.scan(controller.signal)
            : this.deps.drain(controller.signal, this.deps.removeGraceMs),
        );
      } catch (err) {
        if (!controller.signal.aborted) this.deps.onError?.(`Indexing stopped: ${errorMessage(err)}`);
      } finally {
        this.controller = undefined;
      }
      this.deps.onPassEnd?.();
    }
    this.deps.onState?.(this.paused ? 'paused' : 'idle');
  }
}
