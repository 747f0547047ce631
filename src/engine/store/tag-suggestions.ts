/** Suggested tags and the user's decisions on them (migration SUGGESTIONS). */
import type { Store } from './db.ts';

/** Where a suggestion stands. */
export type SuggestionStatus = 'pending' | 'accepted' | 'rejected';

/** One suggestion as the review queue shows it. */
export interface SuggestionRecord {
  id: number;
  itemId: number;
  tagId: number;
  tag: string;
  score: number;
  status: SuggestionStatus;
  headId: string;
  decidedAt: number | null;
  /** The photo's file path. */
  path: string;
}

/** A scored (photo, tag) pair to suggest. */
export interface ScoredPair {
  itemId: number;
  tagId: number;
  score: number;
}

const SELECT = `SELECT s.id, s.item_id AS itemId, s.tag_id AS tagId, t.name AS tag, s.score, s.status,
  s.head_id AS headId, s.decided_at AS decidedAt, f.path
  FROM tag_suggestions s JOIN tags t ON t.id = s.tag_id JOIN items i ON i.id = s.item_id
  JOIN files f ON f.id = i.file_id LEFT JOIN folders fo ON fo.id = f.folder_id`;

/**
 * Makes `pairs` the pending suggestions of the photos `itemIds` (the ones just scored): a pair already
 * pending keeps its id and gets the new score; a pair the user accepted or rejected is left as it is; pending
 * rows of those photos that are no longer suggested go. Returns how many pairs are pending for them now.
 */
export function replacePendingSuggestions(
  store: Store,
  headId: string,
  itemIds: readonly number[],
  pairs: readonly ScoredPair[],
): number {
  return store.tx(() => {
    const keep = new Set(pairs.map((p) => `${p.itemId}:${p.tagId}`));
    const pending = store
      .stmt(
        `SELECT id, item_id AS itemId, tag_id AS tagId FROM tag_suggestions
         WHERE status = 'pending' AND item_id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(itemIds)) as Array<{ id: number; itemId: number; tagId: number }>;
    const drop = store.stmt('DELETE FROM tag_suggestions WHERE id = ?');
    for (const p of pending) if (!keep.has(`${p.itemId}:${p.tagId}`)) drop.run(p.id);
    const put = store.stmt(
      `INSERT INTO tag_suggestions(item_id, tag_id, score, head_id) VALUES (?, ?, ?, ?)
       ON CONFLICT(item_id, tag_id) DO UPDATE SET score = excluded.score, head_id = excluded.head_id
       WHERE status = 'pending'`,
    );
    let n = 0;
    for (const p of pairs) n += put.run(p.itemId, p.tagId, p.score, headId).changes;
    return n;
  });
}

/** Drops pending suggestions whose photo carries the tag by now (tagged by hand or from its metadata). */
export function dropFulfilledSuggestions(store: Store): number {
  return store.guard(
    () =>
      store
        .stmt(
          `DELETE FROM tag_suggestions WHERE status = 'pending' AND EXISTS
           (SELECT 1 FROM item_tags it WHERE it.item_id = tag_suggestions.item_id AND it.tag_id = tag_suggestions.tag_id)`,
        )
        .run().changes,
  );
}

/** Pending suggestions of photos in folders the user has not removed, most confident first. */
export function listPendingSuggestions(store: Store, limit = -1): SuggestionRecord[] {
  return store
    .stmt(
      `${SELECT} WHERE s.status = 'pending' AND fo.removed_at IS NULL ORDER BY s.score DESC, s.id LIMIT ?`,
    )
    .all(limit) as SuggestionRecord[];
}

/** Suggestions by id (any status), in id order. */
export function getSuggestions(store: Store, ids: readonly number[]): SuggestionRecord[] {
  return store
    .stmt(`${SELECT} WHERE s.id IN (SELECT value FROM json_each(?)) ORDER BY s.id`)
    .all(JSON.stringify(ids)) as SuggestionRecord[];
}

/** Records the user's decision on suggestions (or reopens them with 'pending'); returns how many changed. */
export function setSuggestionStatus(store: Store, ids: readonly number[], status: SuggestionStatus): number {
  const at = status === 'pending' ? null : store.now();
  return store.tx(
    () =>
      store
        .stmt(
          `UPDATE tag_suggestions SET status = ?, decided_at = ?
           WHERE id IN (SELECT value FROM json_each(?)) AND status != ?`,
        )
        .run(status, at, JSON.stringify(ids), status).changes,
  );
}

/** Every (photo, tag) pair the user rejected: the known negatives training uses. */
export function listRejectedPairs(store: Store): Array<{ itemId: number; tagId: number }> {
  return store
    .stmt(
      `SELECT item_id AS itemId, tag_id AS tagId FROM tag_suggestions WHERE status = 'rejected'
       ORDER BY item_id, tag_id`,
    )
    .all() as Array<{ itemId: number; tagId: number }>;
}

/** What the user taught Glint after time `since` (ms): user tags added, suggestions accepted and rejected. */
export function countFeedbackSince(
  store: Store,
  since: number,
): { tags: number; accepted: number; rejected: number } {
  const tags = store
    .stmt(`SELECT count(*) FROM item_tags WHERE source = 'user' AND added_at > ?`)
    .pluck()
    .get(since) as number;
  const decided = store
    .stmt(`SELECT status, count(*) AS n FROM tag_suggestions WHERE decided_at > ? GROUP BY status`)
    .all(since) as Array<{ status: SuggestionStatus; n: number }>;
  const of = (s: SuggestionStatus): number => decided.find((d) => d.status === s)?.n ?? 0;
  return { tags, accepted: of('accepted'), rejected: of('rejected') };
}
