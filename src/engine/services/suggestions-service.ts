import type {
  FeedbackSinceTraining,
  SuggestionQuality,
  SuggestionQueue,
  SuggestionView,
} from '../../contract/api.ts';
import { GlintError } from '../errors.ts';
import { wordCount } from '../hash/bits.ts';
import {
  countFeedbackSince,
  dropFulfilledSuggestions,
  getHead,
  getJsonSetting,
  getSuggestions,
  listItemTagPairs,
  listPendingSuggestions,
  listRejectedPairs,
  readCodes,
  replacePendingSuggestions,
  setJsonSetting,
  setSuggestionStatus,
  type SuggestionRecord,
} from '../store/index.ts';
import { normalizeTagName } from '../store/tags.ts';
import {
  calibrateThreshold,
  packPhotoCodes,
  qualitySentence,
  selectCodes,
  suggestTags,
  type SuggesterOptions,
  type SuggestionCalibration,
} from '../suggest/tag-suggester.ts';
import type { EngineCore } from './engine-core.ts';
import type { TagsService } from './tags-service.ts';

/** New user tags plus rejections since the last training that make the Retrain view recommend retraining. */
export const FEEDBACK_TO_RETRAIN = 10;

/** The suggestions' calibration kept with the head it was measured for (a library setting per head). */
const QUALITY_KEY = (headId: string): string => `suggestions:${headId}`;

interface KeptCalibration extends SuggestionCalibration {
  /** What the library looked like when it was measured (see `fingerprint`). */
  fingerprint: string;
}

/** The score in words. */
function confidenceOf(score: number): SuggestionView['confidence'] {
  return score >= 0.9 ? 'very likely' : score >= 0.7 ? 'likely' : 'possible';
}

function viewOf(s: SuggestionRecord): SuggestionView {
  return { id: s.id, itemId: s.itemId, tag: s.tag, score: s.score, confidence: confidenceOf(s.score) };
}

/**
 * Tags suggested for untagged photos from the active head's codes (suggest/tag-suggester.ts), the review
 * queue over them, and the user's decisions: an accepted suggestion becomes a user tag through TagsService;
 * a rejected one is kept as a negative label for the next training (train/dataset-library.ts).
 * Suggestions are remade when the head, the photos with codes or the user's own tags changed (a cheap
 * fingerprint of the store, so another process's writes count too); an accepted suggestion's tag does not
 * count as a change, so working through the queue never reshuffles it.
 */
export class SuggestionsService {
  private readonly core: EngineCore;
  private readonly tags: TagsService;
  private readonly options: SuggesterOptions;

  constructor(core: EngineCore, tags: TagsService, options: SuggesterOptions = {}) {
    this.core = core;
    this.tags = tags;
    this.options = options;
  }

  /** The review queue: pending suggestions, most confident first, refreshed first when the library changed. */
  list(limit?: number): SuggestionQueue {
    const calibration = this.refresh();
    const all = listPendingSuggestions(this.core.store);
    const counts = new Map<string, number>();
    for (const s of all) counts.set(s.tag, (counts.get(s.tag) ?? 0) + 1);
    return {
      suggestions: (limit === undefined ? all : all.slice(0, limit)).map(viewOf),
      tags: [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count),
      quality: this.qualityOf(calibration),
    };
  }

  /** How often suggestions are right on photos already tagged (held out one at a time). */
  quality(): SuggestionQuality {
    return this.qualityOf(this.refresh());
  }

  /** Accepts pending suggestions: each photo gets the tag as a user tag. Returns how many were accepted. */
  accept(ids: readonly number[]): number {
    const pending = this.pending(ids);
    const byTag = new Map<string, number[]>();
    for (const s of pending) byTag.set(s.tag, [...(byTag.get(s.tag) ?? []), s.itemId]);
    return this.core.store.tx(() => {
      for (const [tag, items] of byTag) this.tags.add(items, tag);
      return setSuggestionStatus(
        this.core.store,
        pending.map((s) => s.id),
        'accepted',
      );
    });
  }

  /** Accepts every pending suggestion of `tag`; answers the accepted suggestions' ids. */
  acceptTag(tag: string): number[] {
    const name = normalizeTagName(tag).toLowerCase();
    if (!name) throw new GlintError('usage', 'The tag is empty: type a tag name.');
    this.refresh();
    const ids = listPendingSuggestions(this.core.store)
      .filter((s) => s.tag.toLowerCase() === name)
      .map((s) => s.id);
    if (!ids.length) throw new GlintError('not-found', `No photo has "${tag}" suggested right now.`);
    this.accept(ids);
    return ids;
  }

  /** Rejects pending suggestions: never suggested again, and negative labels for training. */
  reject(ids: readonly number[]): number {
    return setSuggestionStatus(
      this.core.store,
      this.pending(ids).map((s) => s.id),
      'rejected',
    );
  }

  /** Undoes decisions: an accepted suggestion's user tag comes off again; both are pending once more. */
  undo(ids: readonly number[]): number {
    const decided = getSuggestions(this.core.store, ids).filter((s) => s.status !== 'pending');
    return this.core.store.tx(() => {
      for (const s of decided) if (s.status === 'accepted') this.tags.remove([s.itemId], s.tag);
      return setSuggestionStatus(
        this.core.store,
        decided.map((s) => s.id),
        'pending',
      );
    });
  }

  /** What the user taught Glint since the active head was made, and whether retraining is worth it now. */
  sinceLastTraining(): FeedbackSinceTraining {
    const since = getHead(this.core.store, this.core.head().id)?.createdAt ?? 0;
    const c = countFeedbackSince(this.core.store, since);
    return { since, ...c, enough: c.tags + c.rejected >= FEEDBACK_TO_RETRAIN };
  }

  /**
   * Remakes the suggestions and their threshold when the library changed since they were made (or always,
   * with `force`); answers the calibration. A reader engine computes it without storing anything.
   */
  refresh(force = false): SuggestionCalibration {
    const { store } = this.core;
    const head = this.core.head();
    const fingerprint = this.fingerprint();
    const kept = getJsonSetting<KeptCalibration | null>(store, QUALITY_KEY(head.id), null);
    if (!force && kept?.fingerprint === fingerprint) return kept;
    const words64 = wordCount(head.bits);
    const batch = readCodes(store, head.id, 'image', words64);
    const codes = packPhotoCodes(batch.itemIds, batch.words, words64, head.bits);
    const tagsOf = new Map<number, number[]>();
    for (const { itemId, tagId } of listItemTagPairs(store))
      tagsOf.set(itemId, [...(tagsOf.get(itemId) ?? []), tagId]);
    const taggedRows: number[] = [];
    const untaggedRows: number[] = [];
    codes.itemIds.forEach((id, r) => (tagsOf.has(id) ? taggedRows : untaggedRows).push(r));
    const ref = {
      codes: selectCodes(codes, taggedRows),
      tags: taggedRows.map((r) => tagsOf.get(codes.itemIds[r] as number) ?? []),
    };
    const calibration = calibrateThreshold(ref, this.options);
    if (!this.core.writer) return calibration;
    const query = selectCodes(codes, untaggedRows);
    const rejected = new Set(listRejectedPairs(store).map((p) => `${p.itemId}:${p.tagId}`));
    const pairs = suggestTags(ref, query, calibration.threshold, this.options.k)
      .map((s) => ({ itemId: query.itemIds[s.row] as number, tagId: s.tagId, score: s.score }))
      .filter((p) => !rejected.has(`${p.itemId}:${p.tagId}`));
    store.tx(() => {
      dropFulfilledSuggestions(store);
      replacePendingSuggestions(store, head.id, query.itemIds, pairs);
      setJsonSetting(store, QUALITY_KEY(head.id), { ...calibration, fingerprint: this.fingerprint() });
    });
    return calibration;
  }

  /**
   * What suggestions depend on: the head, its photo codes, and the tags not put there by accepting a
   * suggestion (so working through the queue does not remake it). Cheap counts, no scan of the codes.
   */
  private fingerprint(): string {
    const { store } = this.core;
    const head = this.core.head();
    const row = store
      .stmt(
        `SELECT (SELECT count(*) || ':' || coalesce(max(item_id), 0) FROM codes WHERE head_id = ?) AS codes,
           (SELECT count(*) FROM item_tags it WHERE NOT EXISTS (SELECT 1 FROM tag_suggestions s
              WHERE s.item_id = it.item_id AND s.tag_id = it.tag_id AND s.status = 'accepted')) AS tags`,
      )
      .get(head.id) as { codes: string; tags: number };
    return `${head.id}/${row.codes}/${row.tags}`;
  }

  private pending(ids: readonly number[]): SuggestionRecord[] {
    return getSuggestions(this.core.store, ids).filter((s) => s.status === 'pending');
  }

  private qualityOf(c: SuggestionCalibration): SuggestionQuality {
    return {
      sentence: qualitySentence(c),
      basis: c.basis,
      threshold: c.threshold,
      heldOut: c.heldOut,
      heldOutPrecision: c.heldOutPrecision,
      heldOutRecall: c.heldOutRecall,
    };
  }
}
