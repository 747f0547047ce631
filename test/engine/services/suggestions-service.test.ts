import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_SHARED_DATA } from '../../helpers/shared-data.ts';
import { openPlantedLibrary, type PlantedPhoto } from '../../helpers/planted-library.ts';
import type { Engine } from '../../../src/engine/engine.ts';

describe.runIf(HAS_SHARED_DATA)('SuggestionsService (suggested tags from the active head)', () => {
  let fx: Awaited<ReturnType<typeof openPlantedLibrary>>;
  let engine: Engine;
  let photos: PlantedPhoto[];
  const groups = [
    { tag: 'max', tagged: 8, untagged: 3 },
    { tag: 'beach', tagged: 8, untagged: 3 },
    { tag: 'snow', tagged: 8, untagged: 3 },
  ];
  const userTags = (id: number): string[] =>
    (engine.search.item(id)?.tags ?? []).filter((t) => t.source === 'user').map((t) => t.name);
  beforeAll(async () => {
    fx = await openPlantedLibrary(groups, { seed: 5 });
    engine = fx.engine;
    photos = fx.photos;
  }, 120_000);
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('suggests each untagged photo its group’s tag, and only that, with the held-out quality in words', () => {
    const queue = engine.suggestions.list();
    const got = queue.suggestions.map((s) => [s.itemId, s.tag]).sort((a, b) => Number(a[0]) - Number(b[0]));
    const want = photos.filter((p) => !p.tagged).map((p) => [p.itemId, groups[p.group]!.tag]);
    expect(got).toEqual(want);
    expect(queue.tags).toEqual(
      expect.arrayContaining([
        { tag: 'max', count: 3 },
        { tag: 'beach', count: 3 },
        { tag: 'snow', count: 3 },
      ]),
    );
    expect(queue.quality).toMatchObject({ basis: 'held-out', heldOut: 24, heldOutPrecision: 1 });
    expect(queue.quality.sentence).toMatch(
      /^Suggestions were right 10 times in 10 on photos you had already tagged/,
    );
    // Most confident first.
    const scores = queue.suggestions.map((s) => s.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('accepts a suggestion as a user tag, keeps the rest of the queue as it was, and undoes it', () => {
    const before = engine.suggestions.list().suggestions;
    const first = before[0]!;
    expect(engine.suggestions.accept([first.id])).toBe(1);
    expect(userTags(first.itemId)).toEqual([first.tag]);
    const after = engine.suggestions.list().suggestions;
    expect(after.map((s) => s.id)).toEqual(before.slice(1).map((s) => s.id));
    expect(engine.suggestions.accept([first.id])).toBe(0);
    expect(engine.suggestions.undo([first.id])).toBe(1);
    expect(userTags(first.itemId)).toEqual([]);
    expect(engine.suggestions.list().suggestions.map((s) => s.id)).toEqual(before.map((s) => s.id));
  });

  it('rejects a suggestion for good, even when suggestions are remade, and counts it for retraining', () => {
    const sugg = engine.suggestions.list().suggestions.find((s) => s.tag === 'snow')!;
    expect(engine.suggestions.reject([sugg.id])).toBe(1);
    engine.suggestions.refresh(true);
    const pending = engine.suggestions.list().suggestions;
    expect(pending.some((s) => s.itemId === sugg.itemId && s.tag === 'snow')).toBe(false);
    expect(userTags(sugg.itemId)).toEqual([]);
    expect(engine.suggestions.sinceLastTraining()).toMatchObject({ rejected: 1, enough: false });
  });

  it('accepts one tag across all its photos at once, and refuses a tag with nothing suggested', () => {
    const beach = engine.suggestions.list().suggestions.filter((s) => s.tag === 'beach');
    expect(beach).toHaveLength(3);
    const ids = engine.suggestions.acceptTag('BEACH');
    expect(ids.sort()).toEqual(beach.map((s) => s.id).sort());
    for (const s of beach) expect(userTags(s.itemId)).toEqual(['beach']);
    expect(engine.suggestions.list().suggestions.some((s) => s.tag === 'beach')).toBe(false);
    expect(() => engine.suggestions.acceptTag('beach')).toThrow(/No photo has "beach" suggested/);
    // 3 user tags from accepting, the undone one came off, 1 rejection: Retrain would say so past the threshold.
    expect(engine.suggestions.sinceLastTraining()).toMatchObject({ tags: 3, accepted: 3, rejected: 1 });
  });
});
