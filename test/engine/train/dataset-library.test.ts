import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { gatherBatch } from '../../../src/engine/train/trainer.ts';
import { batchRelevance, sampleTriplets } from '../../../src/engine/train/dghdgh/triplets.ts';
import {
  loadLibraryDataset,
  selectPairedRows,
  tagPhrase,
} from '../../../src/engine/train/dataset-library.ts';
import { plantPhotos } from '../../helpers/planted-photos.ts';
import { library } from '../store/helpers.ts';

/** A stand-in text encoder: 4 values per text from its length (the dataset only needs consistent rows). */
const embedTexts = async (texts: string[]): Promise<Float32Array> =>
  Float32Array.from(texts.flatMap((t) => [t.length, 1, 2, 3]));

function plantedStore() {
  const store = library();
  S.putHead(store, { id: 'h', kind: 'default', bits: 64, modelId: 'm', dir: '/h' });
  const photos = plantPhotos(store, {
    headId: 'h',
    modelId: 'm',
    dim: 4,
    groups: [
      { tag: 'max', tagged: 3, untagged: 1 },
      { tag: 'beach', tagged: 3, untagged: 1 },
    ],
  });
  return { store, photos };
}

describe('the library dataset with rejected suggestions (feedback into the next training)', () => {
  it('adds a photo known only by a rejection as an all-zero label row with its negative marked', async () => {
    const { store, photos } = plantedStore();
    const before = await loadLibraryDataset(store, 'm', embedTexts, { minPhotos: 2 });
    expect(before).toMatchObject({ n: 6, labelled: 6, tags: ['beach', 'max'] });
    expect([...before.negatives].every((x) => x === 0)).toBe(true);

    const maxUntagged = photos.find((p) => p.group === 0 && !p.tagged)!.itemId;
    const beachId = S.listTags(store).find((t) => t.name === 'beach')!.id;
    S.replacePendingSuggestions(
      store,
      'h',
      [maxUntagged],
      [{ itemId: maxUntagged, tagId: beachId, score: 0.6 }],
    );
    const [sugg] = S.listPendingSuggestions(store);
    // A pending suggestion is no label at all.
    expect((await loadLibraryDataset(store, 'm', embedTexts, { minPhotos: 2 })).n).toBe(6);
    S.setSuggestionStatus(store, [sugg!.id], 'rejected');

    const after = await loadLibraryDataset(store, 'm', embedTexts, { minPhotos: 2 });
    expect(after).toMatchObject({ n: 7, labelled: 6 });
    expect(after.itemIds[6]).toBe(maxUntagged);
    expect(Array.from(after.labels).slice(12, 14)).toEqual([0, 0]);
    expect(Array.from(after.negatives.subarray(12, 14))).toEqual([1, 0]);
    expect(after.negatives.reduce((a, b) => a + b, 0)).toBe(1);
    // Its text side is the phrase of no tags; selecting rows keeps the negatives with them.
    expect(tagPhrase([])).toBe('a photo');
    expect(Array.from(selectPairedRows(after, [6, 0]).negatives ?? [])).toEqual([1, 0, 0, 0]);

    // In the next run's batches: a negative of beach anchors, never of max anchors, never anyone's positive.
    const batch = gatherBatch(
      after,
      Uint32Array.from({ length: 7 }, (_, i) => i),
      0,
      7,
      2,
    );
    const t = sampleTriplets(batchRelevance(batch, 2), 7, true, 10_000, { state: 3 });
    const beachRows = [0, 1, 2, 3, 4, 5].filter((r) => after.labels[r * 2] === 1);
    const maxRows = [0, 1, 2, 3, 4, 5].filter((r) => after.labels[r * 2 + 1] === 1);
    const negOf = (rows: number[]) => t.a.filter((a, k) => rows.includes(a) && t.n[k] === 6).length;
    expect(negOf(beachRows)).toBeGreaterThan(0);
    expect(negOf(maxRows)).toBe(0);
    expect(t.p.includes(6)).toBe(false);
  });

  it('leaves a rejection out once the photo carries that tag, and counts tags and decisions since a time', async () => {
    const { store, photos } = plantedStore();
    const id = photos.find((p) => p.group === 1 && !p.tagged)!.itemId;
    const beachId = S.listTags(store).find((t) => t.name === 'beach')!.id;
    S.replacePendingSuggestions(store, 'h', [id], [{ itemId: id, tagId: beachId, score: 0.7 }]);
    const [sugg] = S.listPendingSuggestions(store);
    const t0 = store.now();
    S.setSuggestionStatus(store, [sugg!.id], 'rejected');
    S.addItemTag(store, id, 'beach', 'user');
    const ds = await loadLibraryDataset(store, 'm', embedTexts, { minPhotos: 2 });
    const row = ds.itemIds.indexOf(id);
    expect(row).toBeLessThan(ds.labelled);
    expect(ds.negatives.reduce((a, b) => a + b, 0)).toBe(0);
    // The store's clock ticks; item_tags.added_at is SQLite's wall clock, later than the fixed test epoch.
    expect(S.countFeedbackSince(store, t0)).toEqual({ tags: 1, accepted: 0, rejected: 1 });
  });
});
