import type { ClipTokenizer } from '../clip/tokenizer.ts';
import type { EngineEvent } from '../engine-events.ts';
import type { ActiveHead } from '../hash/active-head.ts';
import type { LibraryPaths } from '../library-paths.ts';
import type { HammingIndexes } from '../search/hamming-indexes.ts';
import type { SerialQueue } from '../serial-queue.ts';
import type { Store } from '../store/index.ts';
import type { EncoderClient } from '../worker/encoder-client.ts';

/** What every engine service shares: the library's store and paths, the worker, the active head and events. */
export interface EngineCore {
  readonly store: Store;
  readonly paths: LibraryPaths;
  readonly encoder: EncoderClient;
  readonly tokenizer: ClipTokenizer;
  readonly modelId: string;
  /** Whether this engine holds the library's write lock (a reader never writes). */
  readonly writer: boolean;
  /** The in-memory Hamming indexes of the active head. */
  readonly indexes: HammingIndexes;
  /** Every write that spans awaits (indexing, training, head switches) runs here, one at a time. */
  readonly exclusive: SerialQueue;
  emit(event: EngineEvent): void;
  /** The head codes are written for and searched with now. */
  head(): ActiveHead;
  /** Switches search and indexing to another head (its indexes are rebuilt on next use). */
  useHead(head: ActiveHead): void;
  /**
   * Called after the user's tags of these items changed (tagged, untagged, renamed, merged, deleted); set by
   * the service that follows them (XMP write-back). Absent: nobody listens.
   */
  onUserTagsChanged?: (itemIds: readonly number[]) => void;
}
