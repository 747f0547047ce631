/** Hierarchical tags ("Places/Lisbon") as an indented list: parents before their children, by name. */
import type { TagView } from '../../../contract/api.ts';

/** One row of the tag tree. */
export interface TagRow {
  /** The full name ("Places/Lisbon"). */
  name: string;
  /** Its own level ("Lisbon"). */
  leaf: string;
  /** 0 at the top level. */
  depth: number;
  /** The tag itself, or null for a parent that no photo carries itself (shown so its children sit under it). */
  tag: TagView | null;
}

/**
 * The tags as a tree in display order: each parent before its children, siblings by name (case-insensitive);
 * parents no photo carries get a row of their own.
 */
export function tagTree(tags: readonly TagView[]): TagRow[] {
  const byKey = new Map<string, TagRow>();
  for (const tag of tags) {
    const parts = tag.name.split('/');
    for (let d = 0; d < parts.length; d++) {
      const name = parts.slice(0, d + 1).join('/');
      const key = name.toLowerCase();
      const own = d === parts.length - 1;
      const row = byKey.get(key);
      if (!row) byKey.set(key, { name, leaf: parts[d] ?? '', depth: d, tag: own ? tag : null });
      else if (own) row.tag = tag;
    }
  }
  const sortKey = (name: string): string[] => name.toLowerCase().split('/');
  return [...byKey.values()].sort((a, b) => {
    const ka = sortKey(a.name);
    const kb = sortKey(b.name);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const c = (ka[i] ?? '').localeCompare(kb[i] ?? '');
      if (c) return c;
    }
    return ka.length - kb.length;
  });
}
