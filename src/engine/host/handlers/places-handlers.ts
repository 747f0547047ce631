import { placeView } from '../views.ts';
import type { HandlerSet, HandlerTable } from './handler-table.ts';
import type { HostContext } from './host-context.ts';

/** The place handlers: the places the library's photos were taken at, with counts (a filter's choices). */
export function placesHandlers({ engine }: HostContext): HandlerSet<'listPlaces'> {
  return {
    listPlaces: () => engine.places.list().map(placeView),
  };
}

/** Registers the place handlers. */
export function registerPlaces(table: HandlerTable, ctx: HostContext): void {
  table.register(placesHandlers(ctx));
}
