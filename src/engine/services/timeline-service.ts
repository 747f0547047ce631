/** The timeline: the library's photos by date, without a query (one path for the app, `glint serve` and the CLI). */
import { timelinePage, type TimelinePage, type TimelineQuery } from '../store/timeline.ts';
import type { EngineCore } from './engine-core.ts';

/** Pages of the library's photos in date order, with month counts for a scrubber. */
export class TimelineService {
  private readonly core: EngineCore;

  constructor(core: EngineCore) {
    this.core = core;
  }

  /** One page of the photos that pass the filter, newest or oldest first; see `timelinePage`. */
  page(query: TimelineQuery): TimelinePage {
    return this.core.store.guard(() => timelinePage(this.core.store, query));
  }
}
