import { existsSync } from 'node:fs';
import { thumbnailPath, type LibraryPaths } from '../library-paths.ts';
import { getFile, getItems, listItemTags, type ItemTag, type Store } from '../store/index.ts';
import type { Hit, ItemKind } from '../types.ts';

/** One search result as the CLI prints it and the UI shows it. */
export interface SearchResult {
  rank: number;
  itemId: number;
  kind: ItemKind;
  path: string;
  distance: number;
  score: number;
  /** Note chunk or caption text. */
  text?: string;
  /** Character range of a note chunk within its note. */
  range?: [number, number];
  takenAt?: number;
  tags?: ItemTag[];
  /** The cached thumbnail of a photo, when it exists. */
  thumbnail?: string;
}

/** Joins ranked hits with what the store knows about their items, keeping the hit order. */
export function hydrateHits(store: Store, paths: LibraryPaths, hits: readonly Hit[]): SearchResult[] {
  const items = new Map(
    getItems(
      store,
      hits.map((h) => h.itemId),
    ).map((item) => [item.id, item]),
  );
  const results: SearchResult[] = [];
  for (const hit of hits) {
    const item = items.get(hit.itemId);
    if (!item) continue;
    const result: SearchResult = {
      rank: results.length + 1,
      itemId: item.id,
      kind: item.kind,
      path: item.path,
      distance: hit.distance,
      score: Number(hit.score.toFixed(4)),
    };
    if (item.text !== null) result.text = item.text;
    if (item.kind === 'note_chunk' && item.charStart !== null && item.charEnd !== null)
      result.range = [item.charStart, item.charEnd];
    if (item.takenAt !== null) result.takenAt = item.takenAt;
    if (item.kind === 'photo') {
      result.tags = listItemTags(store, item.id);
      const hash = getFile(store, item.fileId)?.hash;
      const thumb = hash ? thumbnailPath(paths, hash) : undefined;
      if (thumb && existsSync(thumb)) result.thumbnail = thumb;
    }
    results.push(result);
  }
  return results;
}
