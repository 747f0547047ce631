/** TimelineState against a fake host: the first page with the month counts, pages on demand, order, filters. */
import { describe, expect, it } from 'vitest';
import type { ResultView, TimelineRequest, TimelineResponse } from '../../../src/contract/api.ts';
import { TIMELINE_PAGE, TimelineState } from '../../../src/renderer/src/state/timeline.svelte.ts';
import { Toasts } from '../../../src/renderer/src/state/toasts.svelte.ts';
import { fail, fakeApi, flush, ok } from './fake-api.ts';

/** A library of `n` photos over three months; answers pages of it in either order. */
function library(n: number) {
  const photo = (i: number): ResultView => ({
    id: i + 1,
    kind: 'photo',
    distance: 0,
    name: `${i + 1}.jpg`,
    takenAt: i,
    takenSource: 'mtime',
  });
  const all = Array.from({ length: n }, (_, i) => photo(i));
  const third = Math.floor(n / 3);
  const months = [
    { year: 2021, month: 3, count: n - 2 * third },
    { year: 2020, month: 12, count: third },
    { year: 2019, month: 7, count: third },
  ];
  return (req: TimelineRequest): TimelineResponse => {
    const list = req.order === 'oldest' ? [...all].reverse() : all;
    const offset = req.offset ?? 0;
    return {
      photos: list.slice(offset, offset + (req.limit ?? 200)),
      months: req.order === 'oldest' ? [...months].reverse() : months,
      total: n,
      undated: 2,
    };
  };
}

function setup(n = 1200) {
  const answer = library(n);
  const host = fakeApi({ timeline: (req) => ok(answer(req)) });
  const toasts = new Toasts();
  const t = new TimelineState(host.api, toasts);
  const requests = () =>
    host.calls.filter((c) => c.method === 'timeline').map((c) => c.request as TimelineRequest);
  return { t, host, toasts, requests };
}

describe('TimelineState', () => {
  it('loads the first page with the month counts; the rest of the list is laid out but empty', async () => {
    const { t, requests } = setup();
    await t.load();
    expect(requests()).toEqual([{ filters: {}, order: 'newest', offset: 0, limit: TIMELINE_PAGE }]);
    expect([t.total, t.undated, t.photos.length]).toEqual([1200, 2, 1200]);
    expect(t.photos[0]?.id).toBe(1);
    expect(t.photos[TIMELINE_PAGE]).toBeUndefined();
    expect(t.pages.starts).toEqual([0, 400, 800]);
    expect(t.monthStart(2)).toBe(800);
    expect(t.cursor).toBe(0);
  });

  it('loads each page once as it comes into view, filling the same list', async () => {
    const { t, requests } = setup();
    await t.load();
    const list = t.photos;
    const version = t.version;
    t.ensure(450, 620);
    t.ensure(600, 700);
    await flush();
    expect(requests().map((r) => r.offset)).toEqual([0, 500]);
    expect(t.photos).toBe(list);
    expect(t.photos[999]?.id).toBe(1000);
    expect(t.version).toBeGreaterThan(version);
    t.ensure(1100, 5000);
    await flush();
    expect(requests().map((r) => r.offset)).toEqual([0, 500, 1000]);
    expect(t.photos[1199]?.id).toBe(1200);
  });

  it('switches order and reloads from the top', async () => {
    const { t, requests } = setup();
    await t.load();
    t.setOrder('oldest');
    await flush();
    expect(requests().at(-1)).toMatchObject({ order: 'oldest', offset: 0 });
    expect(t.photos[0]?.id).toBe(1200);
    expect(t.months[0]).toEqual({ year: 2019, month: 7, count: 400 });
    t.setOrder('oldest');
    await flush();
    expect(requests()).toHaveLength(2);
  });

  it('sends the filters, and asks nothing while From is after To', async () => {
    const { t, requests } = setup();
    t.filter.fromDay = '2020-01-01';
    t.filter.tags = ['dog'];
    t.applyFilters();
    await flush();
    expect(requests().at(-1)?.filters).toEqual({ from: new Date(2020, 0, 1).getTime(), tags: ['dog'] });
    t.filter.toDay = '2019-01-01';
    expect(t.filter.error).toMatch(/From date is after the To date/);
    t.applyFilters();
    await flush();
    expect(requests()).toHaveLength(1);
    expect([t.total, t.photos.length, t.loaded]).toEqual([0, 0, true]);
  });

  it('starts again when the library changed under it, and reloads on refresh once shown', async () => {
    const { t, host, requests } = setup();
    t.refresh();
    await flush();
    expect(requests()).toHaveLength(0);
    await t.load();
    host.answers.timeline = (req) => ok(library(1300)(req));
    t.ensure(600, 600);
    await flush();
    expect(requests().map((r) => r.offset)).toEqual([0, 500, 0]);
    expect(t.total).toBe(1300);
    t.refresh();
    await flush();
    expect(requests()).toHaveLength(4);
  });

  it('shows a failed page as a toast and tries it again later', async () => {
    const { t, host, toasts, requests } = setup();
    await t.load();
    host.answers.timeline = () => fail('db-locked', 'Another Glint process is using the library.');
    t.ensure(700, 700);
    await flush();
    expect(toasts.list.at(-1)?.message).toBe('Another Glint process is using the library.');
    host.answers.timeline = (req) => ok(library(1200)(req));
    t.ensure(700, 700);
    await flush();
    expect(requests().map((r) => r.offset)).toEqual([0, 500, 500]);
    expect(t.photos[700]?.id).toBe(701);
  });
});
