/** Binary codes per (head, item): one signed 64-bit INTEGER column per 64 bits (w0, w1). */
import type { CodeWords, Modality } from '../types.ts';
import type { Store } from './db.ts';

/** One item's code. */
export interface CodeEntry {
  itemId: number;
  words: CodeWords;
}

/** All codes of a head and modality, packed: item i's words are words[i*wordsPerCode ...]. */
export interface CodeBatch {
  itemIds: number[];
  words: BigInt64Array;
  wordsPerCode: number;
}

function word(words: CodeWords, i: number): bigint | null {
  const w = words[i];
  return w === undefined ? null : BigInt.asIntN(64, w);
}

/** Stores (or replaces) many codes of a head in one transaction. */
export function putCodes(store: Store, headId: string, entries: Iterable<CodeEntry>): void {
  store.tx(() => {
    const s = store.stmt('INSERT OR REPLACE INTO codes(head_id, item_id, w0, w1) VALUES (?, ?, ?, ?)');
    for (const e of entries) s.run(headId, e.itemId, word(e.words, 0) ?? 0n, word(e.words, 1));
  });
}

/** One item's code under a head, if stored. */
export function getCode(store: Store, headId: string, itemId: number): CodeWords | undefined {
  const r = store
    .stmtBig('SELECT w0, w1 FROM codes WHERE head_id = ? AND item_id = ?')
    .get(headId, itemId) as { w0: bigint; w1: bigint | null } | undefined;
  if (!r) return undefined;
  return r.w1 === null ? [r.w0] : [r.w0, r.w1];
}

// NOTE: items of a folder the user removed (still restorable) are not searched.
const SEARCHABLE = `JOIN items i ON i.id = c.item_id JOIN files f ON f.id = i.file_id
  LEFT JOIN folders fo ON fo.id = f.folder_id WHERE c.head_id = ? AND i.modality = ? AND fo.removed_at IS NULL`;

const ITER_SQL = `SELECT c.item_id, c.w0, c.w1 FROM codes c ${SEARCHABLE} ORDER BY c.item_id`;

/** Reads all codes of a head and modality into packed arrays (the bulk path for building an index). */
export function readCodes(store: Store, headId: string, modality: Modality, wordsPerCode: number): CodeBatch {
  const n = store.stmt(`SELECT count(*) FROM codes c ${SEARCHABLE}`).pluck().get(headId, modality) as number;
  const itemIds: number[] = [];
  const words = new BigInt64Array(n * wordsPerCode);
  const s = store.stmtBig(ITER_SQL).raw(true);
  for (const row of s.iterate(headId, modality) as Iterable<[bigint, bigint, bigint | null]>) {
    if (itemIds.length >= n) break;
    const base = itemIds.length * wordsPerCode;
    words[base] = row[1];
    if (wordsPerCode > 1) words[base + 1] = row[2] ?? 0n;
    itemIds.push(Number(row[0]));
  }
  return { itemIds, words: words.subarray(0, itemIds.length * wordsPerCode), wordsPerCode };
}
