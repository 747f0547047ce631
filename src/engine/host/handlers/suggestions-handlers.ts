import type { HandlerSet, HandlerTable } from './handler-table.ts';
import type { HostContext } from './host-context.ts';

type SuggestionMethods =
  'listSuggestions' | 'acceptSuggestions' | 'rejectSuggestions' | 'undoSuggestions' | 'acceptSuggestedTag';

/** The suggested-tags handlers: the review queue and the user's decisions on it. */
export function suggestionsHandlers({ engine, emit }: HostContext): HandlerSet<SuggestionMethods> {
  const changed = (n: number): { changed: number } => {
    if (n > 0) emit({ type: 'library-changed' });
    return { changed: n };
  };
  return {
    listSuggestions: (req) => engine.suggestions.list(req?.limit),
    acceptSuggestions: ({ ids }) => changed(engine.suggestions.accept(ids)),
    rejectSuggestions: ({ ids }) => changed(engine.suggestions.reject(ids)),
    undoSuggestions: ({ ids }) => changed(engine.suggestions.undo(ids)),
    acceptSuggestedTag: ({ tag }) => {
      const ids = engine.suggestions.acceptTag(tag);
      return { ...changed(ids.length), ids };
    },
  };
}

/** Registers the suggested-tags handlers. */
export function registerSuggestions(table: HandlerTable, ctx: HostContext): void {
  table.register(suggestionsHandlers(ctx));
}
