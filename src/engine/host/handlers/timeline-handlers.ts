import { DEFAULT_LIMIT } from '../../../contract/limits.ts';
import { timelineView } from '../views.ts';
import type { HandlerSet, HandlerTable } from './handler-table.ts';
import type { HostContext } from './host-context.ts';

/** The timeline handler: a page of the library's photos by date, with month counts and totals. */
export function timelineHandlers({ engine }: HostContext): HandlerSet<'timeline'> {
  return {
    timeline: ({ filters, order, offset, limit }) => {
      const page = engine.timeline.page({
        filter: filters ?? {},
        order: order ?? 'newest',
        offset: offset ?? 0,
        limit: limit ?? DEFAULT_LIMIT,
      });
      return {
        photos: page.items.map(timelineView),
        months: page.months,
        total: page.total,
        undated: page.undated,
      };
    },
  };
}

/** Registers the timeline handler. */
export function registerTimeline(table: HandlerTable, ctx: HostContext): void {
  table.register(timelineHandlers(ctx));
}
