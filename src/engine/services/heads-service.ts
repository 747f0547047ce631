import type { ActiveHead } from '../hash/active-head.ts';
import { switchCodeLength, type CodeLengthChange } from '../hash/code-length.ts';
import { listHeads, type HeadRecord } from '../store/index.ts';
import { readLastRun, type LastRunRecord } from '../train/last-run.ts';
import type { LibraryContext, LibraryTrainOptions, LibraryTrainResult } from '../train/library-training.ts';
import type { CodeBits } from '../types.ts';
import type { EngineCore } from './engine-core.ts';

/** The hash heads of the library's model: which is active, switching, rolling back and training new ones. */
export class HeadsService {
  private readonly core: EngineCore;

  constructor(core: EngineCore) {
    this.core = core;
  }

  /** The head codes are written for and searched with now. */
  get active(): ActiveHead {
    return this.core.head();
  }

  /** The hash heads of the current model, newest first (the active one is marked). */
  list(): HeadRecord[] {
    return listHeads(this.core.store, this.core.modelId);
  }

  /** The last retraining run that finished (kept in the library), if any. */
  lastRun(): LastRunRecord | undefined {
    return readLastRun(this.core.store);
  }

  /** Makes head `id` the active one (codes re-made from cached embeddings; no re-encoding). */
  async activate(id: string): Promise<ActiveHead> {
    const { switchHead } = await import('../train/library-training.ts');
    return this.core.exclusive.run(async () => {
      this.core.useHead(await switchHead(this.context(), id));
      return this.core.head();
    });
  }

  /**
   * Switches search and indexing to `bits`-bit codes (see `switchCodeLength`: the user's trained head of that
   * length if they have one, else a default head), re-hashing the library with progress; no head is deleted.
   */
  async useCodeLength(
    bits: CodeBits,
    onProgress?: (done: number, total: number) => void,
  ): Promise<CodeLengthChange> {
    return this.core.exclusive.run(async () => {
      const change = await switchCodeLength(this.context(), bits, onProgress);
      if (change.source !== 'unchanged') this.core.useHead(change.head);
      return change;
    });
  }

  /** Re-activates the head that was active before the current one. */
  async rollback(): Promise<ActiveHead> {
    const { rollbackHead } = await import('../train/library-training.ts');
    return this.core.exclusive.run(async () => {
      this.core.useHead(await rollbackHead(this.context()));
      return this.core.head();
    });
  }

  /**
   * Trains heads on the library's tags (on a worker thread): a quick plain-triplet head, then DGHDGH from it;
   * each is registered and activated only when its validation mAP beats the head then active (re-hashing from
   * cached embeddings). Earlier heads stay.
   */
  async train(options: LibraryTrainOptions = {}): Promise<LibraryTrainResult> {
    // NOTE: loaded on demand, so opening a library never pays for the training modules.
    const { trainLibraryHead } = await import('../train/library-training.ts');
    return this.core.exclusive.run(async () => {
      const result = await trainLibraryHead(this.context(), {
        ...options,
        // NOTE: the quick stage may activate its head while DGHDGH still trains: search uses it at once.
        onActivate: (head) => {
          this.core.useHead(head);
          options.onActivate?.(head);
        },
      });
      if (result.activated) this.core.useHead(result.active);
      return result;
    });
  }

  private context(): LibraryContext {
    const { store, encoder, paths, modelId } = this.core;
    return { store, encoder, paths, modelId, head: this.core.head() };
  }
}
