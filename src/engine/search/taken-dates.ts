/** Photos' capture dates held in memory by item id, so many matches can be put in date order at once. */
import type { Store } from '../store/index.ts';

/**
 * Every photo's `taken_at` by item id (NaN: undated or not a photo), read from SQLite once and then kept
 * in step by the same writes that keep the Hamming indexes in step: a photo whose code is written is
 * read again on next use, a removed one is dropped.
 */
export class TakenDates {
  private readonly store: Store;
  private dates: Float64Array | undefined;
  private readonly stale = new Set<number>();

  constructor(store: Store) {
    this.store = store;
  }

  /** The date of each of `ids` (NaN where it has none), index for index. */
  of(ids: ArrayLike<number>): Float64Array {
    const dates = this.current();
    const out = new Float64Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      out[i] = id < dates.length ? (dates[id] as number) : NaN;
    }
    return out;
  }

  /** The item was written (a new or changed photo): its date is read again on next use. */
  touch(itemId: number): void {
    if (this.dates) this.stale.add(itemId);
  }

  /** The items are gone. */
  remove(itemIds: readonly number[]): void {
    const { dates } = this;
    if (!dates) return;
    for (const id of itemIds) {
      if (id < dates.length) dates[id] = NaN;
      this.stale.delete(id);
    }
  }

  /** Forgets everything (read again from SQLite on next use). */
  reset(): void {
    this.dates = undefined;
    this.stale.clear();
  }

  private current(): Float64Array {
    if (!this.dates) {
      const rows = this.store
        .stmt("SELECT id, taken_at FROM items WHERE kind = 'photo'")
        .raw()
        .all() as Array<[number, number | null]>;
      let max = 0;
      for (const [id] of rows) max = Math.max(max, id);
      this.dates = new Float64Array(max + 1).fill(NaN);
      for (const [id, at] of rows) this.dates[id] = at ?? NaN;
    }
    if (this.stale.size) {
      const ids = [...this.stale];
      this.stale.clear();
      const rows = this.store
        .stmt(
          "SELECT id, taken_at FROM items WHERE kind = 'photo' AND id IN (SELECT value FROM json_each(?))",
        )
        .raw()
        .all(JSON.stringify(ids)) as Array<[number, number | null]>;
      let max = this.dates.length - 1;
      for (const id of ids) max = Math.max(max, id);
      if (max >= this.dates.length) {
        const grown = new Float64Array(Math.max(max + 1, this.dates.length * 2)).fill(NaN);
        grown.set(this.dates);
        this.dates = grown;
      }
      for (const id of ids) this.dates[id] = NaN;
      for (const [id, at] of rows) this.dates[id] = at ?? NaN;
    }
    return this.dates;
  }
}
