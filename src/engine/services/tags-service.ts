import { GlintError } from '../errors.ts';
import {
  countTaggedPhotos,
  listTagSummaries,
  tagPhotos,
  untagPhotos,
  type TagSummary,
} from '../store/bulk-tags.ts';
import { normalizeTagName } from '../store/tags.ts';
import type { EngineCore } from './engine-core.ts';

/** The user's tags, by item id for every client (the CLI resolves a path to its photo's id first). */
export class TagsService {
  private readonly core: EngineCore;

  constructor(core: EngineCore) {
    this.core = core;
  }

  /** Adds a user tag to the photos among `ids`; returns how many gained it. */
  add(ids: readonly number[], tag: string): number {
    if (!normalizeTagName(tag)) throw new GlintError('usage', 'The tag is empty: type a tag name.');
    const changed = tagPhotos(this.core.store, ids, tag);
    if (changed > 0) this.core.onUserTagsChanged?.(ids);
    return changed;
  }

  /** Removes a user tag from the items among `ids` (metadata tags stay); returns how many lost it. */
  remove(ids: readonly number[], tag: string): number {
    const changed = untagPhotos(this.core.store, ids, tag);
    if (changed > 0) this.core.onUserTagsChanged?.(ids);
    return changed;
  }

  /** Tags in use with counts and sources, and how many photos carry any tag. */
  summary(): { tags: TagSummary[]; taggedPhotos: number } {
    return { tags: listTagSummaries(this.core.store), taggedPhotos: countTaggedPhotos(this.core.store) };
  }
}
