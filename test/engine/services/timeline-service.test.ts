import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_SHARED_DATA } from '../../helpers/shared-data.ts';
import { openHostFixture, type HostFixture } from '../host/host-fixture.ts';

describe.runIf(HAS_SHARED_DATA)('TimelineService (photos by date, through a real engine)', () => {
  let fx: HostFixture;
  beforeAll(async () => {
    fx = await openHostFixture(4);
  }, 120_000);
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('lists every indexed photo by date, dated by its mtime when it has no other date', () => {
    const page = fx.engine.timeline.page({ filter: {}, order: 'newest', offset: 0, limit: 10 });
    expect(page.total).toBe(4);
    expect(page.undated).toBe(0);
    expect(page.items.every((i) => i.kind === 'photo' && i.takenSource === 'mtime')).toBe(true);
    const times = page.items.map((i) => i.takenAt as number);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('follows a touched photo whose date is its mtime, on the next indexing pass', async () => {
    const first = fx.manifest[0]!;
    const path = join(fx.photos, first.file);
    const when = new Date(Date.UTC(2011, 4, 6, 12));
    utimesSync(path, when, when);
    await fx.engine.ingest.index([fx.photos]);
    const oldest = fx.engine.timeline.page({ filter: {}, order: 'oldest', offset: 0, limit: 1 });
    expect(oldest.items[0]).toMatchObject({ path, takenAt: when.getTime(), takenSource: 'mtime' });
    expect(oldest.months[0]).toMatchObject({
      year: when.getFullYear(),
      month: when.getMonth() + 1,
      count: 1,
    });
  });
});
