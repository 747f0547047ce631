import { describe, expect, it } from 'vitest';
import type { HostContext } from '../../../../src/engine/host/handlers/host-context.ts';
import { HandlerTable } from '../../../../src/engine/host/handlers/handler-table.ts';
import {
  registerTimeline,
  timelineHandlers,
} from '../../../../src/engine/host/handlers/timeline-handlers.ts';
import type { ItemRecord } from '../../../../src/engine/store/index.ts';
import type { TimelineQuery } from '../../../../src/engine/store/timeline.ts';

const photo: ItemRecord = {
  id: 3,
  fileId: 1,
  path: '/lib/IMG_20190714_153012.jpg',
  kind: 'photo',
  modality: 'image',
  text: null,
  charStart: 0,
  charEnd: null,
  takenAt: 1563111012000,
  takenSource: 'filename',
  lat: null,
  lon: null,
  width: 640,
  height: 480,
  available: true,
};

/** A host context whose engine answers one timeline page and records the query it got. */
function context(): { ctx: HostContext; queries: TimelineQuery[] } {
  const queries: TimelineQuery[] = [];
  const engine = {
    timeline: {
      page: (q: TimelineQuery) => {
        queries.push(q);
        return { items: [photo], months: [{ year: 2019, month: 7, count: 1 }], total: 1, undated: 2 };
      },
    },
  };
  return { ctx: { engine } as unknown as HostContext, queries };
}

describe('timeline handlers', () => {
  it('answer a page as grid cells with their dates and sources, month counts and totals', async () => {
    const { ctx, queries } = context();
    const value = await timelineHandlers(ctx).timeline({});
    expect(queries).toEqual([{ filter: {}, order: 'newest', offset: 0, limit: 200 }]);
    expect(value).toEqual({
      photos: [
        {
          id: 3,
          kind: 'photo',
          distance: 0,
          name: 'IMG_20190714_153012.jpg',
          takenAt: 1563111012000,
          takenSource: 'filename',
          width: 640,
          height: 480,
        },
      ],
      months: [{ year: 2019, month: 7, count: 1 }],
      total: 1,
      undated: 2,
    });
  });

  it('are registered on the table, and refuse From after To before the engine sees it', async () => {
    const { ctx, queries } = context();
    const table = new HandlerTable(() => undefined);
    registerTimeline(table, ctx);
    const handler = table.handler('timeline');
    const r = await handler?.({ filters: { from: 2, to: 1 }, order: 'oldest' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(queries).toEqual([]);
    const ok = await handler?.({ filters: { from: 1, to: 2 }, order: 'oldest', offset: 5, limit: 10 });
    expect(ok).toMatchObject({ ok: true });
    expect(queries).toEqual([{ filter: { from: 1, to: 2 }, order: 'oldest', offset: 5, limit: 10 }]);
  });
});
