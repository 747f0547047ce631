import { HammingIndex } from '../hash/hamming-index.ts';
import type { ActiveHead } from '../hash/active-head.ts';
import type { Store } from '../store/index.ts';
import type { CodeSink, CodeWords, Modality } from '../types.ts';
import { TakenDates } from './taken-dates.ts';

/**
 * The in-memory Hamming indexes of the active head, one per item modality, built from the store's
 * bit columns on first search and then kept in step with this process's writes; beside them the photos'
 * capture dates, which the same writes keep in step (a date-ordered search orders its matches with them).
 */
export class HammingIndexes implements CodeSink {
  private readonly store: Store;
  private head: ActiveHead;
  private readonly built = new Map<Modality, HammingIndex>();
  /** Photos' capture dates by item id. */
  readonly dates: TakenDates;

  constructor(store: Store, head: ActiveHead) {
    this.store = store;
    this.head = head;
    this.dates = new TakenDates(store);
  }

  /** The index of one modality (photos: 'image'; notes and captions: 'text'). */
  get(modality: Modality): HammingIndex {
    let index = this.built.get(modality);
    if (!index) {
      index = HammingIndex.fromStore(this.store, this.head.id, modality, this.head.bits);
      this.built.set(modality, index);
    }
    return index;
  }

  /** Switches to another head: indexes are rebuilt from its stored codes on next use. */
  reset(head: ActiveHead): void {
    this.head = head;
    this.built.clear();
  }

  upsert(modality: Modality, itemId: number, words: CodeWords): void {
    this.built.get(modality)?.upsert(itemId, words);
    if (modality === 'image') this.dates.touch(itemId);
  }

  remove(itemIds: readonly number[]): void {
    for (const index of this.built.values()) for (const id of itemIds) index.remove(id);
    this.dates.remove(itemIds);
  }

  redated(itemIds: readonly number[]): void {
    for (const id of itemIds) this.dates.touch(id);
  }
}
