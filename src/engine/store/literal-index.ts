/**
 * Literal matches (SQLite FTS5): every item's path (file and folder names), tags and caption or note text,
 * kept in step by triggers (schema migration 'literal'), matched as an exact phrase after Unicode case and
 * accent folding — "lisboa" finds "Lisboa", "IMG_2041" finds IMG_2041.jpg.
 */
import type { ItemKind } from '../types.ts';
import type { Store } from './db.ts';

// NOTE: a phrase shorter than this matches too much literally to be worth putting first.
const MIN_LITERAL_CHARS = 3;

/** The FTS5 query for an exact phrase: the words in order, quotes escaped, no query syntax let through. */
export function phraseQuery(phrase: string): string | undefined {
  const words = phrase.trim();
  if (words.length < MIN_LITERAL_CHARS) return undefined;
  return `"${words.replace(/"/g, '""')}"`;
}

/**
 * Items of these kinds whose file name, folder names, tags or text contain the phrase exactly, best first
 * (FTS5's bm25), at most `limit`; restricted to `allow` when given.
 */
export function literalMatches(
  store: Store,
  phrase: string,
  kinds: readonly ItemKind[],
  limit: number,
  allow?: ReadonlySet<number>,
): number[] {
  const query = phraseQuery(phrase);
  if (query === undefined || limit <= 0) return [];
  const rows = store
    .stmt(
      `SELECT i.id FROM items_fts JOIN items i ON i.id = items_fts.rowid
        JOIN files f ON f.id = i.file_id LEFT JOIN folders fo ON fo.id = f.folder_id
       WHERE items_fts MATCH ? AND i.kind IN (SELECT value FROM json_each(?)) AND fo.removed_at IS NULL
       ORDER BY bm25(items_fts) LIMIT ?`,
    )
    .pluck()
    .all(query, JSON.stringify(kinds), allow ? Math.max(limit * 4, 1_000) : limit) as number[];
  return (allow ? rows.filter((id) => allow.has(id)) : rows).slice(0, limit);
}
