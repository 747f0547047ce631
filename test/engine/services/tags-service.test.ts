import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_SHARED_DATA } from '../../helpers/shared-data.ts';
import { openHostFixture, type HostFixture } from '../host/host-fixture.ts';

describe.runIf(HAS_SHARED_DATA)('TagsService (user tags by item id)', () => {
  let fx: HostFixture;
  beforeAll(async () => {
    fx = await openHostFixture(4);
  }, 120_000);
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('tags photos by id (once, case-insensitively), counts them, and untags', () => {
    const { tags, search } = fx.engine;
    const [a, b] = fx.manifest.map((p) => search.photoIdAt(join(fx.photos, p.file)));
    expect(tags.add([a!, b!], ' Max ')).toBe(2);
    expect(tags.add([a!, b!], 'max')).toBe(0);
    expect(tags.summary().tags.find((t) => t.name === 'Max')).toMatchObject({ count: 2, sources: ['user'] });
    expect(tags.summary().taggedPhotos).toBeGreaterThanOrEqual(2);
    expect(tags.remove([a!], 'MAX')).toBe(1);
    expect(tags.summary().tags.find((t) => t.name === 'Max')?.count).toBe(1);
  });

  it('refuses an empty tag in words', () => {
    expect(() => fx.engine.tags.add([1], '   ')).toThrow(/empty/);
  });
});
