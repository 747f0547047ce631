import type { HandlerSet, HandlerTable } from './handler-table.ts';
import type { HostContext } from './host-context.ts';

/** The tag handlers: the tags in use, and adding or removing a user tag on items by id. */
export function tagsHandlers({
  engine,
  emit,
}: HostContext): HandlerSet<'listTags' | 'tagItems' | 'untagItems'> {
  return {
    listTags: () => engine.tags.summary().tags,
    tagItems: ({ ids, tag }) => {
      const changed = engine.tags.add(ids, tag);
      emit({ type: 'library-changed' });
      return { changed };
    },
    untagItems: ({ ids, tag }) => {
      const changed = engine.tags.remove(ids, tag);
      emit({ type: 'library-changed' });
      return { changed };
    },
  };
}

/** Registers the tag handlers. */
export function registerTags(table: HandlerTable, ctx: HostContext): void {
  table.register(tagsHandlers(ctx));
}
