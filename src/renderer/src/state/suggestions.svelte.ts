import type { ApiResult, SuggestionQuality, SuggestionView } from '../../../contract/api.ts';
import { settle } from './result.ts';
import { ViewState } from './view-state.ts';

/** One decision the user can take back: what was decided and on which suggestions. */
interface Decision {
  kind: 'accepted' | 'rejected';
  suggestions: SuggestionView[];
  /** Where the first of them stood in the queue, to put them back there. */
  at: number;
}

/**
 * The Suggestions view: tags Glint suggests for untagged photos, reviewed one at a time from the keyboard
 * (accept, reject, skip; accept a tag on all its photos), with undo of the last decisions and the measured
 * quality of suggestions in words.
 */
export class SuggestionsState extends ViewState {
  queue = $state.raw<SuggestionView[]>([]);
  quality = $state.raw<SuggestionQuality | null>(null);
  loaded = $state(false);
  busy = $state(false);
  /** The suggestion shown: an index into `queue`. */
  index = $state(0);
  #undo = $state.raw<Decision[]>([]);

  current = $derived(this.queue[Math.min(this.index, this.queue.length - 1)] ?? null);
  /** Every pending tag of the current photo (the one shown first). */
  photoTags = $derived(
    this.current ? this.queue.filter((s) => s.itemId === this.current?.itemId) : ([] as SuggestionView[]),
  );
  /** How many photos have the current tag suggested (what Shift+A accepts). */
  tagCount = $derived(this.current ? this.queue.filter((s) => s.tag === this.current?.tag).length : 0);
  canUndo = $derived(this.#undo.length > 0);
  /** The last decision in words, for the undo button. */
  lastDecision = $derived.by(() => {
    const d = this.#undo[this.#undo.length - 1];
    if (!d) return '';
    const first = d.suggestions[0]!;
    return d.suggestions.length > 1
      ? `${d.kind === 'accepted' ? 'Accepted' : 'Rejected'} “${first.tag}” on ${d.suggestions.length} photos`
      : `${d.kind === 'accepted' ? 'Accepted' : 'Rejected'} “${first.tag}”`;
  });

  /** Called after tags changed (the Tags and Retrain views re-read theirs). */
  onChanged: () => void = () => {};

  /** Reloads the queue and the quality sentence. */
  async refresh(): Promise<void> {
    const res = await settle(this.api.listSuggestions({}), this.toasts);
    this.loaded = true;
    if (!res) return;
    const id = this.current?.id;
    this.queue = res.suggestions;
    this.quality = res.quality;
    const at = id === undefined ? -1 : this.queue.findIndex((s) => s.id === id);
    this.index = at >= 0 ? at : 0;
  }

  /** Accepts the suggestion shown: the photo gets the tag. */
  async accept(): Promise<void> {
    const s = this.current;
    if (!s || this.busy) return;
    await this.#decide('accepted', [s], () => this.api.acceptSuggestions({ ids: [s.id] }));
  }

  /** Rejects the suggestion shown: never suggested again, and retraining learns from it. */
  async reject(): Promise<void> {
    const s = this.current;
    if (!s || this.busy) return;
    await this.#decide('rejected', [s], () => this.api.rejectSuggestions({ ids: [s.id] }));
  }

  /** Accepts the shown tag on every photo it is suggested for. */
  async acceptTag(): Promise<void> {
    const s = this.current;
    if (!s || this.busy) return;
    const all = this.queue.filter((q) => q.tag === s.tag);
    await this.#decide('accepted', all, () => this.api.acceptSuggestedTag({ tag: s.tag }));
  }

  /** Leaves the suggestion shown for later: the next one comes up, this one goes to the end. */
  skip(): void {
    const s = this.current;
    if (!s || this.queue.length < 2) return;
    const at = this.queue.indexOf(s);
    this.queue = [...this.queue.slice(0, at), ...this.queue.slice(at + 1), s];
    this.index = at >= this.queue.length - 1 ? 0 : at;
  }

  /** Takes the last decision back: an accepted tag comes off the photo again; the suggestion is shown again. */
  async undo(): Promise<void> {
    const d = this.#undo[this.#undo.length - 1];
    if (!d || this.busy) return;
    this.busy = true;
    const res = await settle(this.api.undoSuggestions({ ids: d.suggestions.map((s) => s.id) }), this.toasts);
    this.busy = false;
    if (!res) return;
    this.#undo = this.#undo.slice(0, -1);
    const back = d.suggestions.map((s) => s.id);
    const rest = this.queue.filter((s) => !back.includes(s.id));
    const at = Math.min(d.at, rest.length);
    this.queue = [...rest.slice(0, at), ...d.suggestions, ...rest.slice(at)];
    this.index = at;
    if (d.kind === 'accepted') this.onChanged();
  }

  async #decide(
    kind: Decision['kind'],
    suggestions: SuggestionView[],
    call: () => Promise<ApiResult<{ changed: number }>>,
  ): Promise<void> {
    this.busy = true;
    const res = await settle(call(), this.toasts);
    this.busy = false;
    if (!res) return;
    const gone = suggestions.map((s) => s.id);
    const at = this.queue.findIndex((s) => gone.includes(s.id));
    this.queue = this.queue.filter((s) => !gone.includes(s.id));
    this.index = Math.min(Math.max(0, at), Math.max(0, this.queue.length - 1));
    this.#undo = [...this.#undo, { kind, suggestions, at: Math.max(0, at) }].slice(-20);
    if (suggestions.length > 1)
      this.toasts.show(`Tagged ${suggestions.length} photos “${suggestions[0]!.tag}”.`);
    this.onChanged();
  }
}
