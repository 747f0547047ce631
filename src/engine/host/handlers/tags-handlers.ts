import type { TagChangeView } from '../../../contract/api.ts';
import type { TagChange } from '../../store/tag-changes.ts';
import type { HandlerSet, HandlerTable } from './handler-table.ts';
import type { HostContext } from './host-context.ts';

/** A tag change as the contract shows it (the item ids stay in the engine). */
function changeView({ token, kind, summary, items, metadataKept }: TagChange): TagChangeView {
  return { token, kind, summary, photos: items.length, metadataKept };
}

/**
 * The tag handlers: the tags in use, adding or removing a user tag on items by id, and renaming, merging,
 * deleting tags with undo.
 */
export function tagsHandlers({
  engine,
  emit,
}: HostContext): HandlerSet<
  | 'listTags'
  | 'tagItems'
  | 'untagItems'
  | 'renameTag'
  | 'mergeTags'
  | 'deleteTag'
  | 'undoTagChange'
  | 'listTagChanges'
> {
  const changed = <T>(value: T): T => {
    emit({ type: 'library-changed' });
    return value;
  };
  return {
    listTags: () => engine.tags.summary().tags,
    tagItems: ({ ids, tag }) => changed({ changed: engine.tags.add(ids, tag) }),
    untagItems: ({ ids, tag }) => changed({ changed: engine.tags.remove(ids, tag) }),
    renameTag: ({ from, to }) => {
      const change = engine.tags.rename(from, to);
      return changed({ ...changeView(change), merged: change.merged });
    },
    mergeTags: ({ sources, into }) => changed(changeView(engine.tags.merge(sources, into))),
    deleteTag: ({ name }) => changed(changeView(engine.tags.delete(name))),
    undoTagChange: (req) => changed(changeView(engine.tags.undo(req?.token))),
    listTagChanges: () => engine.tags.history(),
  };
}

/** Registers the tag handlers. */
export function registerTags(table: HandlerTable, ctx: HostContext): void {
  table.register(tagsHandlers(ctx));
}
