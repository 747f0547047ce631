import { existsSync } from 'node:fs';
import { thumbnailPath, type LibraryPaths } from '../library-paths.ts';
import { getFile, listItemTags, type ItemTag, type Store } from '../store/index.ts';
import type { ItemKind } from '../types.ts';
import type { SearchHit } from './query.ts';

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
  /** Its file name, folder, tags or text contain the query's words exactly (listed first). */
  literal?: true;
}

/** Adds to each hit what the CLI prints: its rank, rounded score, note range, tags and cached thumbnail. */
export function describeHits(store: Store, paths: LibraryPaths, hits: readonly SearchHit[]): SearchResult[] {
  return hits.map((item, i) => {
    const result: SearchResult = {
      rank: i + 1,
      itemId: item.id,
      kind: item.kind,
      path: item.path,
      distance: item.distance,
      score: Number(item.score.toFixed(4)),
    };
    if (item.text !== null) result.text = item.text;
    if (item.kind === 'note_chunk' && item.charStart !== null && item.charEnd !== null)
      result.range = [item.charStart, item.charEnd];
    if (item.takenAt !== null) result.takenAt = item.takenAt;
    if (item.literal) result.literal = true;
    if (item.kind === 'photo') {
      result.tags = listItemTags(store, item.id);
      const hash = getFile(store, item.fileId)?.hash;
      const thumb = hash ? thumbnailPath(paths, hash) : undefined;
      if (thumb && existsSync(thumb)) result.thumbnail = thumb;
    }
    return result;
  });
}
