import { resolve } from 'node:path';
import { GlintError } from '../errors.ts';
import { codeToWords, hammingDistance } from '../hash/bits.ts';
import { thumbnailPath } from '../library-paths.ts';
import { calibrateHeadRadii, radiiStale, readHeadRadii, saveHeadRadii } from '../search/head-radii.ts';
import type { HeadRadii } from '../search/radius.ts';
import { datePage } from '../search/date-pages.ts';
import {
  combineCodes,
  DEFAULT_K,
  NEAREST_WHEN_NONE,
  type QueryTerm,
  type SearchHit,
  type SearchHits,
  type SearchQuery,
} from '../search/query.ts';
import { describeHits, type SearchResult } from '../search/results.ts';
import { getFileByPath, getItems, listFileItems } from '../store/index.ts';
import { getItemDetail, type ItemDetailRecord } from '../store/item-detail.ts';
import { countUndated, filterItemIds, isEmptyFilter, type ItemFilter } from '../store/item-filter.ts';
import { literalMatches } from '../store/literal-index.ts';
import { placesNamedIn } from '../store/places.ts';
import type { Hit, ItemKind, Modality } from '../types.ts';
import type { EngineCore } from './engine-core.ts';

const PHOTO_KINDS: readonly ItemKind[] = ['photo'];
const TEXT_KINDS: readonly ItemKind[] = ['note_chunk', 'caption'];

/** Search (one entry point for the app, `glint serve` and the CLI) and the items it finds. */
export class SearchService {
  private readonly core: EngineCore;
  private readonly radiiByHead = new Map<string, HeadRadii>();

  constructor(core: EngineCore) {
    this.core = core;
  }

  /**
   * Photos and notes for a query of text and/or image terms, encoded once: every phrase goes through the
   * text encoder and every image through the image encoder once, the active head hashes each once, their
   * codes are combined (see `combineCodes`), and the one Hamming query is scanned over photos and over
   * notes and captions. Indexed query photos are left out of their own results.
   */
  async query(query: SearchQuery): Promise<SearchHits> {
    const { terms } = query;
    if (terms.length === 0)
      throw new GlintError('usage', 'The search is empty: type some words or choose a photo to look for.');
    const bits = this.core.head().bits;
    const codes = await this.termCodes(terms);
    const continuous = combineCodes(
      codes,
      terms.map((t) => t.weight ?? 1),
      bits,
    );
    const words = codeToWords(continuous, bits);
    const own = this.ownItems(terms);
    const filters = query.filters ?? {};
    const noteFilter: ItemFilter = filters.folderId === undefined ? {} : { folderId: filters.folderId };
    const allowedBy = (filter: ItemFilter, kinds: readonly ItemKind[]): Set<number> | undefined =>
      isEmptyFilter(filter) ? undefined : new Set(filterItemIds(this.core.store, filter, kinds));
    const scan = (target: Modality, kinds: readonly ItemKind[], filter: ItemFilter, k: number): Hit[] => {
      const allowed = allowedBy(filter, kinds);
      if (allowed?.size === 0) return [];
      const allow =
        own.size || allowed
          ? (id: number) => !own.has(id) && (allowed === undefined || allowed.has(id))
          : undefined;
      return this.core.indexes.get(target).search({ words, continuous }, k, allow ? { allow } : undefined);
    };
    // The radius of the query's leading kind: its first positive term's, else its first term's.
    const lead = terms.find((t) => (t.weight ?? 1) > 0) ?? terms[0];
    const from: Modality = lead !== undefined && 'text' in lead ? 'text' : 'image';
    const radii = this.radii();
    const reach = query.reach ?? 'all';
    const within = (target: Modality, hits: Hit[]): { hits: Hit[]; radius: number; nearestOnly: boolean } => {
      const radius = typeof reach === 'number' ? reach : radii.radius[`${from}-${target}`];
      if (reach === 'all') return { hits, radius, nearestOnly: false };
      const close = hits.filter((h) => h.distance <= radius);
      return close.length || hits.length === 0
        ? { hits: close, radius, nearestOnly: false }
        : { hits: hits.slice(0, NEAREST_WHEN_NONE), radius, nearestOnly: true };
    };
    // Words that are not concepts (a file name, a folder, a tag, a caption's words) match literally too,
    // and an exact literal match comes first.
    const phrase = terms.find(
      (t): t is { text: string; weight?: number } => 'text' in t && (t.weight ?? 1) > 0,
    )?.text;
    const find = (target: Modality, kinds: readonly ItemKind[], filter: ItemFilter, k: number) => {
      const found = within(target, scan(target, kinds, filter, k));
      const allowed = allowedBy(filter, kinds);
      const exact = phrase ? this.exactMatches(phrase, kinds, k, allowed).filter((id) => !own.has(id)) : [];
      if (!exact.length) return { ...found, exact: new Set<number>() };
      const index = this.core.indexes.get(target);
      const literal: Hit[] = exact.map((itemId) => ({
        itemId,
        distance: distanceTo(index.get(itemId), words, bits),
        score: 0,
      }));
      const rest = found.nearestOnly ? [] : found.hits.filter((h) => !exact.includes(h.itemId));
      return {
        hits: [...literal, ...rest].slice(0, k),
        radius: found.radius,
        nearestOnly: false,
        exact: new Set(exact),
      };
    };
    const order = query.order ?? 'relevance';
    const limit = query.photos ?? DEFAULT_K;
    const notes = find('text', TEXT_KINDS, noteFilter, query.notes ?? DEFAULT_K);
    const common = {
      notes: this.withItems(notes.hits, notes.exact),
      undated: countUndated(this.core.store, filters, PHOTO_KINDS),
    };
    if (order === 'relevance') {
      const photos = find('image', PHOTO_KINDS, filters, limit);
      return {
        ...common,
        photos: this.withItems(photos.hits, photos.exact),
        radius: { photos: photos.radius, notes: notes.radius },
        nearestOnly: { photos: photos.nearestOnly, notes: notes.nearestOnly },
      };
    }
    // In date order the results are every match within the radius (not the nearest `limit` of them),
    // put in date order from the in-memory dates, one page at a time.
    const index = this.core.indexes.get('image');
    const allowed = allowedBy(filters, PHOTO_KINDS);
    const allow = (id: number) => !own.has(id) && (allowed === undefined || allowed.has(id));
    const radius = reach === 'all' ? bits : typeof reach === 'number' ? reach : radii.radius[`${from}-image`];
    const matched = allowed?.size === 0 ? undefined : index.within({ words }, radius, { allow });
    let ids: ArrayLike<number> = matched ?? [];
    let nearestOnly = false;
    if (ids.length === 0 && reach === 'matches') {
      ids = scan('image', PHOTO_KINDS, filters, NEAREST_WHEN_NONE).map((h) => h.itemId);
      nearestOnly = ids.length > 0;
    }
    const exact = new Set(
      phrase && !nearestOnly ? this.exactMatches(phrase, PHOTO_KINDS, limit, allowed).filter(allow) : [],
    );
    if (exact.size) {
      const inSet = new Set(ids as Float64Array);
      ids = [...Array.from(ids), ...[...exact].filter((id) => !inSet.has(id))];
    }
    const page = datePage(ids, this.core.indexes.dates.of(ids), order, query.offset ?? 0, limit);
    const hits: Hit[] = page.ids.map((itemId) => ({
      itemId,
      distance: distanceTo(index.get(itemId), words, bits),
      score: 0,
    }));
    return {
      ...common,
      photos: this.withItems(hits, exact),
      radius: { photos: radius, notes: notes.radius },
      nearestOnly: { photos: nearestOnly, notes: notes.nearestOnly },
      total: page.total,
      months: page.months,
    };
  }

  /** The active head's calibrated radii: stored with the head, measured again when the library changed a lot. */
  radii(): HeadRadii {
    const { core } = this;
    const head = core.head();
    const codes = core.indexes.get('image').size + core.indexes.get('text').size;
    let radii = this.radiiByHead.get(head.id) ?? readHeadRadii(core.store, head.id);
    if (!radii || radiiStale(radii.codes, codes)) {
      radii = calibrateHeadRadii(core.store, head);
      // A reader never writes; it measures for itself.
      if (core.writer) saveHeadRadii(core.store, head.id, radii);
    }
    this.radiiByHead.set(head.id, radii);
    return radii;
  }

  /**
   * Items that match a phrase literally, best first: file, folder, tag or text matches (FTS5), then for
   * photos those taken at a place the phrase names ("Lisbon" finds the photos taken there).
   */
  private exactMatches(
    phrase: string,
    kinds: readonly ItemKind[],
    k: number,
    allowed?: ReadonlySet<number>,
  ): number[] {
    const ids = literalMatches(this.core.store, phrase, kinds, k, allowed);
    if (!kinds.includes('photo')) return ids;
    const seen = new Set(ids);
    for (const place of placesNamedIn(this.core.store, phrase))
      for (const id of place.photoIds)
        if (!seen.has(id) && (allowed === undefined || allowed.has(id))) {
          seen.add(id);
          ids.push(id);
        }
    return ids.slice(0, k);
  }

  /** Hits with their tags, thumbnails and ranks, as the CLI prints them. */
  describe(hits: readonly SearchHit[]): SearchResult[] {
    return describeHits(this.core.store, this.core.paths, hits);
  }

  /** One item with its folder, captions and tags; undefined for an unknown id. */
  item(id: number): ItemDetailRecord | undefined {
    return getItemDetail(this.core.store, id);
  }

  /**
   * The file to serve for an item id: the original file, or a photo's cached WebP thumbnail. Undefined
   * when the id is unknown or has no such file; paths only ever come from the store.
   */
  mediaFile(id: number, kind: 'thumb' | 'original'): { path: string; itemKind: ItemKind } | undefined {
    const item = getItemDetail(this.core.store, id);
    if (!item) return undefined;
    if (kind === 'original') return { path: item.path, itemKind: item.kind };
    if (item.kind !== 'photo' || !item.fileHash) return undefined;
    return { path: thumbnailPath(this.core.paths, item.fileHash), itemKind: item.kind };
  }

  /** The item id of the indexed photo at `path` (the CLI names photos by path; tags go by id). */
  photoIdAt(path: string): number {
    const abs = resolve(path);
    const file = getFileByPath(this.core.store, abs);
    const item = file && listFileItems(this.core.store, file.id).find((i) => i.kind === 'photo');
    if (!item)
      throw new GlintError(
        'not-found',
        `${abs} is not an indexed photo: run \`glint index\` on its folder first.`,
      );
    return item.id;
  }

  /** Each term's continuous code (terms × bits, in term order): texts in one batch, images one by one. */
  private async termCodes(terms: readonly QueryTerm[]): Promise<Float32Array> {
    const { encoder } = this.core;
    const head = this.core.head();
    const out = new Float32Array(terms.length * head.bits);
    const texts = terms.flatMap((t, i) => ('text' in t ? [{ i, text: t.text }] : []));
    if (texts.some((t) => !t.text.trim()))
      throw new GlintError('usage', 'The search phrase is empty: type some words to look for.');
    if (texts.length) {
      const { codes } = await encoder.texts(
        texts.map((t) => t.text),
        head.dir,
      );
      if (!codes) throw new Error('the encoder worker answered texts without codes');
      texts.forEach((t, j) => out.set(codes.subarray(j * head.bits, (j + 1) * head.bits), t.i * head.bits));
    }
    for (const [i, term] of terms.entries()) {
      if (!('image' in term)) continue;
      const { embedding } = await encoder.imageQuery(resolve(term.image));
      const { codes } = await encoder.hash(head.dir, 'image', embedding, 1);
      out.set(codes.subarray(0, head.bits), i * head.bits);
    }
    return out;
  }

  /** Item ids of the indexed photos among the image terms (left out of their own results). */
  private ownItems(terms: readonly QueryTerm[]): Set<number> {
    const own = new Set<number>();
    for (const term of terms) {
      if (!('image' in term)) continue;
      const file = getFileByPath(this.core.store, resolve(term.image));
      if (file) for (const item of listFileItems(this.core.store, file.id)) own.add(item.id);
    }
    return own;
  }

  private withItems(hits: readonly Hit[], exact: ReadonlySet<number>): SearchHit[] {
    const items = new Map(
      getItems(
        this.core.store,
        hits.map((h) => h.itemId),
      ).map((i) => [i.id, i]),
    );
    const out: SearchHit[] = [];
    for (const hit of hits) {
      const item = items.get(hit.itemId);
      if (item)
        out.push({
          ...item,
          distance: hit.distance,
          score: hit.score,
          ...(exact.has(item.id) ? { literal: true as const } : {}),
        });
    }
    return out;
  }
}

/** The Hamming distance from the query's words to an item's stored code (the code length when it has none yet). */
function distanceTo(code: readonly bigint[] | undefined, query: readonly bigint[], bits: number): number {
  if (!code) return bits;
  const a = new Uint32Array(BigInt64Array.from(code).buffer);
  const b = new Uint32Array(BigInt64Array.from(query).buffer);
  return hammingDistance(a, 0, b, 0, Math.min(a.length, b.length));
}
