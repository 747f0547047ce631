import { GlintError } from '../errors.ts';
import {
  countTaggedPhotos,
  listTagSummaries,
  tagPhotos,
  untagPhotos,
  type TagSummary,
} from '../store/bulk-tags.ts';
import {
  deleteTag,
  listTagChanges,
  mergeTags,
  metadataRowsUnder,
  renameTag,
  undoTagChange,
  userTagUsage,
  type TagChange,
  type TagChangeRecord,
} from '../store/tag-changes.ts';
import { isTagUnder, normalizeTagName } from '../store/tags.ts';
import type { EngineCore } from './engine-core.ts';

/** The user's tags, by item id for every client (the CLI resolves a path to its photo's id first). */
export class TagsService {
  private readonly core: Pick<EngineCore, 'store' | 'onUserTagsChanged'>;

  /** Needs only the store and the hook (read at each change, so it may be set after construction). */
  constructor(core: Pick<EngineCore, 'store' | 'onUserTagsChanged'>) {
    this.core = core;
  }

  /** Adds a user tag to the photos among `ids`; returns how many gained it. */
  add(ids: readonly number[], tag: string): number {
    const changed = tagPhotos(this.core.store, ids, named(tag));
    if (changed) this.changed(ids);
    return changed;
  }

  /** Removes a user tag from the items among `ids` (metadata tags stay); returns how many lost it. */
  remove(ids: readonly number[], tag: string): number {
    const changed = untagPhotos(this.core.store, ids, tag);
    if (changed) this.changed(ids);
    return changed;
  }

  /** Tags in use with counts, sources and hierarchy, and how many photos carry any tag. */
  summary(): { tags: TagSummary[]; taggedPhotos: number } {
    return { tags: listTagSummaries(this.core.store), taggedPhotos: countTaggedPhotos(this.core.store) };
  }

  /**
   * Renames the user tag `from` and the tags below it ("Places" → "Travel" moves "Places/Lisbon" to
   * "Travel/Lisbon"); renaming to a name in use merges into it (`merged` says so). Undo with `undo(token)`.
   */
  rename(from: string, to: string): TagChange & { merged: boolean } {
    const f = named(from);
    const t = named(to);
    if (f === t) throw new GlintError('usage', `“${f}” already has that name.`);
    if (f.toLowerCase() !== t.toLowerCase() && isTagUnder(t, f))
      throw new GlintError('usage', `“${f}” cannot be moved under itself (“${t}”): choose another name.`);
    const change = renameTag(this.core.store, f, t) ?? this.notFound(f);
    this.changed(change.items);
    return change;
  }

  /** Merges the user tags `sources` (with the tags below them) into `into`; undo with `undo(token)`. */
  merge(sources: readonly string[], into: string): TagChange {
    const target = named(into);
    const from = sources.map(named);
    if (from.length === 0) throw new GlintError('usage', 'Name at least one tag to merge.');
    for (const f of from)
      if (f.toLowerCase() !== target.toLowerCase() && isTagUnder(target, f))
        throw new GlintError('usage', `“${f}” cannot be merged into a tag below it (“${target}”).`);
    const change = mergeTags(this.core.store, from, target);
    if (!change) {
      const others = from.filter((f) => f.toLowerCase() !== target.toLowerCase());
      return this.notFound(others[0] ?? target);
    }
    this.changed(change.items);
    return change;
  }

  /** Deletes the user tag `name` and the tags below it from every photo; undo with `undo(token)`. */
  delete(name: string): TagChange {
    const n = named(name);
    const change = deleteTag(this.core.store, n) ?? this.notFound(n);
    this.changed(change.items);
    return change;
  }

  /** What deleting user tag `name` would take: from how many photos, how many tags (it and those below it). */
  usage(name: string): { photos: number; tags: number } {
    const { items, tags } = userTagUsage(this.core.store, named(name));
    return { photos: items, tags };
  }

  /** Undoes a rename, merge or delete (the newest one when `token` is omitted), after a restart too. */
  undo(token?: number): TagChange {
    const change = undoTagChange(this.core.store, token);
    if (!change)
      throw new GlintError(
        'not-found',
        token === undefined
          ? 'There is no tag change to undo (changes can be undone for 30 days, the last 20 of them).'
          : `Tag change ${token} cannot be undone: it was undone already, or is older than 30 days or the last 20 changes.`,
      );
    this.changed(change.items);
    return change;
  }

  /** The tag changes that can still be undone, newest first. */
  history(): TagChangeRecord[] {
    return listTagChanges(this.core.store);
  }

  private changed(ids: readonly number[]): void {
    if (ids.length) this.core.onUserTagsChanged?.([...ids]);
  }

  private notFound(name: string): never {
    const metadata = metadataRowsUnder(this.core.store, name);
    throw new GlintError(
      'not-found',
      metadata
        ? `“${name}” comes only from your photos' XMP/IPTC keywords (${metadata} of them), which live in the files; Glint changes only the tags you gave in Glint.`
        : `No photo has the tag “${name}”.`,
    );
  }
}

/** A tag name, normalised; a clear error when nothing is left of it. */
function named(tag: string): string {
  const n = normalizeTagName(tag);
  if (!n) throw new GlintError('usage', 'The tag is empty: type a tag name.');
  return n;
}
