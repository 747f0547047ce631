/**
 * A Glint library as a DGHDGH training set: every photo with at least one tag (XMP/IPTC keyword or user tag)
 * and a cached CLIP image embedding for the current model becomes one image–text pair with multi-hot labels
 * over the tags. The text side is the embedding of the photo's caption item (its metadata description) when
 * it has one, else the embedding of a phrase built from its tags ("a photo of max, beach"), encoded in batches
 * with the engine's text encoder. Nothing is decoded or re-encoded on the image side.
 *
 * Rejected suggestions (store/tag-suggestions.ts) are known negatives, and enter training like this:
 * - A rejected (photo, tag) pair is a 1 in `negatives` at (row, tag column); the photo's label for that tag
 *   stays 0 (the label vector cannot say "known not" apart from "unknown", so `negatives` says it beside it).
 * - A photo with rejections but no tag joins the set as a row with an all-zero label vector, after the
 *   tagged rows (`labelled` counts those). Triplet sampling (dghdgh/triplets.ts `withKnownNegatives`) uses
 *   such a row as a negative only for anchors carrying a tag it was rejected for, never as a positive of any
 *   other photo, and never as a negative of photos whose tags it was not rejected for (nothing says it lacks
 *   them); its own text is its positive in the cross-modal graphs. The classifiers' label losses see its
 *   all-zero vector, i.e. "none of these tags": right for the rejected ones, and a mild pull for the rest,
 *   which the user did not give it either.
 * - A tagged photo's rejection changes nothing in sampling: it already is a negative for anchors of the
 *   rejected tag unless it shares another tag with them, and photos sharing a tag stay relevant (DGHDGH's
 *   definition of relevance).
 * - Validation holds out tagged rows only (library-training.ts): a row without tags has no relevant photo
 *   to rank, so it would only add zeros to the validation mAP.
 * A rejection for a tag no tagged photo carries has no column and is left out.
 */
import type { TrainPhaseView } from '../../contract/api.ts';
import { GlintError } from '../errors.ts';
import { countTaggedPhotos } from '../store/bulk-tags.ts';
import {
  getEmbedding,
  getItems,
  listFileItems,
  listItemTagPairs,
  listTags,
  listRejectedPairs,
  readEmbeddings,
  type Store,
} from '../store/index.ts';
import { MIN_TAGGED_PHOTOS } from '../../contract/limits.ts';
import type { PairedSet } from './evaluate.ts';
import { trainPhase } from './train-phases.ts';

/** Fewest tagged photos a library needs before a head can be trained on it. */
export { MIN_TAGGED_PHOTOS } from '../../contract/limits.ts';

// NOTE: texts per encoder call; CLIP's text encoder is cheap per row, so bigger batches only add latency.
const TEXT_BATCH = 64;
// NOTE: a reading phase event every this many photos: often enough to move, rare enough to cost nothing.
const READ_EVERY = 50;

/** The library's tagged photos as paired rows. */
export interface LibraryDataset extends PairedSet {
  /** Photo item id of each row. */
  itemIds: number[];
  /** Label names: column c of `labels` is tag `tags[c]`. */
  tags: string[];
  classes: number;
  dims: { image: number; text: number };
  /** Rows whose text side is a caption item's embedding. */
  captioned: number;
  /** Rows whose text side is an embedded tag phrase. */
  phrased: number;
  /** n × classes: 1 where the user rejected the tag as a suggestion for the row's photo (see the module comment). */
  negatives: Uint8Array;
  /** Rows 0 … labelled-1 carry tags; the rows after them are photos known only by rejected suggestions. */
  labelled: number;
}

/** The text used for a photo without a caption: "a photo of " + its tags, comma separated. */
export function tagPhrase(tags: readonly string[]): string {
  return tags.length ? `a photo of ${tags.join(', ')}` : 'a photo';
}

/** Options for `loadLibraryDataset`. */
export interface LibraryDatasetOptions {
  /** Fewest tagged photos accepted (default MIN_TAGGED_PHOTOS). */
  minPhotos?: number;
  /** Reading the photos, then encoding tag phrases, as N-of-M phases (train-phases.ts). */
  onPhase?: (p: TrainPhaseView) => void;
}

/**
 * Builds the training set from the store. `embedTexts` encodes texts with the same model as the cached
 * embeddings (n texts → n×D row-major). Throws GlintError('train-too-few-tags') saying how many tagged photos
 * are needed and how to tag them.
 */
export async function loadLibraryDataset(
  store: Store,
  modelId: string,
  embedTexts: (texts: string[]) => Promise<Float32Array>,
  opts: LibraryDatasetOptions = {},
): Promise<LibraryDataset> {
  const minPhotos = opts.minPhotos ?? MIN_TAGGED_PHOTOS;
  // NOTE: said before the embeddings are read, which on a large library is the first wait of a run.
  opts.onPhase?.(trainPhase.reading(0, countTaggedPhotos(store)));
  const images = readEmbeddings(store, modelId, 'image');
  const imageRow = new Map(images.itemIds.map((id, r) => [id, r]));
  const tagsByItem = new Map<number, number[]>();
  for (const { itemId, tagId } of listItemTagPairs(store)) {
    if (!imageRow.has(itemId)) continue;
    const list = tagsByItem.get(itemId);
    if (list) list.push(tagId);
    else tagsByItem.set(itemId, [tagId]);
  }
  const tagged = getItems(
    store,
    [...tagsByItem.keys()].sort((a, b) => a - b),
  ).filter((i) => i.kind === 'photo');
  const usedTags = new Set(tagged.flatMap((p) => tagsByItem.get(p.id) ?? []));
  // Column order: most used tags first, then by name (listTags' order), so labels are stable across runs.
  const tagList = listTags(store).filter((t) => usedTags.has(t.id));
  if (tagged.length < minPhotos || tagList.length < 2) {
    throw new GlintError(
      'train-too-few-tags',
      `Training needs at least ${minPhotos} indexed photos with tags, using at least 2 different tags; ` +
        `this library has ${tagged.length} tagged photo${tagged.length === 1 ? '' : 's'} and ${tagList.length} tag${tagList.length === 1 ? '' : 's'}. ` +
        'Tag photos with `glint tag add PHOTO TAG` (or add keywords to them in your photo manager and re-index), then train again.',
    );
  }
  const column = new Map(tagList.map((t, c) => [t.id, c]));
  const rejectedByItem = new Map<number, number[]>();
  for (const { itemId, tagId } of listRejectedPairs(store)) {
    if (!imageRow.has(itemId) || !column.has(tagId)) continue;
    rejectedByItem.set(itemId, [...(rejectedByItem.get(itemId) ?? []), tagId]);
  }
  const rejectedOnly = getItems(
    store,
    [...rejectedByItem.keys()].filter((id) => !tagsByItem.has(id)).sort((a, b) => a - b),
  ).filter((i) => i.kind === 'photo');
  const photos = [...tagged, ...rejectedOnly];
  const C = tagList.length;
  const n = photos.length;
  const negatives = new Uint8Array(n * C);
  const di = images.dim;
  const image = new Float32Array(n * di);
  const labels = new Uint8Array(n * C);
  const textRows: Array<Float32Array | string> = [];
  let captioned = 0;
  for (let r = 0; r < n; r++) {
    if (r % READ_EVERY === 0 && r > 0) opts.onPhase?.(trainPhase.reading(r, n));
    const photo = photos[r]!;
    const src = imageRow.get(photo.id)!;
    image.set(images.vectors.subarray(src * di, (src + 1) * di), r * di);
    const names: string[] = [];
    for (const tagId of tagsByItem.get(photo.id) ?? []) {
      labels[r * C + column.get(tagId)!] = 1;
    }
    for (const tagId of rejectedByItem.get(photo.id) ?? []) {
      const c = column.get(tagId)!;
      if (!labels[r * C + c]) negatives[r * C + c] = 1;
    }
    for (let c = 0; c < C; c++) if (labels[r * C + c]) names.push(tagList[c]!.name);
    const caption = listFileItems(store, photo.fileId).find((i) => i.kind === 'caption');
    const emb = caption && getEmbedding(store, caption.id, modelId);
    if (emb) {
      textRows.push(emb);
      captioned++;
    } else {
      textRows.push(tagPhrase(names));
    }
  }
  opts.onPhase?.(trainPhase.reading(n, n));
  const phrases = textRows.flatMap((t, r) => (typeof t === 'string' ? [{ r, t }] : []));
  const embedded = new Map<number, Float32Array>();
  let dt = textRows.find((t): t is Float32Array => typeof t !== 'string')?.length ?? 0;
  for (let s = 0; s < phrases.length; s += TEXT_BATCH) {
    opts.onPhase?.(trainPhase.describing(s, phrases.length));
    const chunk = phrases.slice(s, s + TEXT_BATCH);
    const out = await embedTexts(chunk.map((p) => p.t));
    const d = out.length / chunk.length;
    if (!Number.isInteger(d) || (dt && d !== dt))
      throw new Error(
        `text encoder returned ${out.length} values for ${chunk.length} texts (expected ${dt}-d rows)`,
      );
    dt = d;
    chunk.forEach((p, k) => embedded.set(p.r, out.slice(k * d, (k + 1) * d)));
  }
  if (phrases.length) opts.onPhase?.(trainPhase.describing(phrases.length, phrases.length));
  const text = new Float32Array(n * dt);
  textRows.forEach((t, r) => text.set(typeof t === 'string' ? embedded.get(r)! : t, r * dt));
  return {
    n,
    image,
    text,
    labels,
    itemIds: photos.map((p) => p.id),
    tags: tagList.map((t) => t.name),
    classes: C,
    dims: { image: di, text: dt },
    captioned,
    phrased: n - captioned,
    negatives,
    labelled: tagged.length,
  };
}

/** The rows `indices` of a paired set, as a new set (copies; known negatives too, when the set has them). */
export function selectPairedRows(set: PairedSet, indices: ArrayLike<number>): PairedSet {
  const n = indices.length;
  const di = set.image.length / set.n;
  const dt = set.text.length / set.n;
  const C = set.labels.length / set.n;
  const out = {
    n,
    image: new Float32Array(n * di),
    text: new Float32Array(n * dt),
    labels: new Uint8Array(n * C),
  };
  const neg = set.negatives;
  const negatives = neg ? new Uint8Array(n * C) : undefined;
  for (let k = 0; k < n; k++) {
    const i = indices[k] as number;
    out.image.set(set.image.subarray(i * di, (i + 1) * di), k * di);
    out.text.set(set.text.subarray(i * dt, (i + 1) * dt), k * dt);
    for (let c = 0; c < C; c++) out.labels[k * C + c] = set.labels[i * C + c] as number;
    if (neg && negatives) for (let c = 0; c < C; c++) negatives[k * C + c] = neg[i * C + c] as number;
  }
  return negatives ? { ...out, negatives } : out;
}
