/**
 * The app's state in the address (hash routing): the view, the query (words and indexed photos), the
 * filters and how close results must be, so Back and Forward step through searches and a reload comes
 * back to the same place. Dropped images have no address and are not kept.
 */

/** What the address holds. */
export interface UrlState {
  view: string;
  /** The search box's text. */
  q?: string;
  /** Indexed photos in the query, by item id, with their weights. */
  like?: Array<{ id: number; weight: number }>;
  /** yyyy-mm-dd bounds. */
  from?: string;
  to?: string;
  tags?: string[];
  folder?: number;
  radius?: number | 'all';
  order?: 'newest' | 'oldest';
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The address fragment for a state: `#/view?q=…&like=12,34*2&from=…&tags=a&tags=b&folder=3&radius=24`. */
export function toHash(state: UrlState): string {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  if (state.like?.length)
    p.set('like', state.like.map((l) => (l.weight === 1 ? `${l.id}` : `${l.id}*${l.weight}`)).join(','));
  if (state.from) p.set('from', state.from);
  if (state.to) p.set('to', state.to);
  for (const tag of state.tags ?? []) p.append('tags', tag);
  if (state.folder !== undefined) p.set('folder', String(state.folder));
  if (state.radius !== undefined) p.set('radius', String(state.radius));
  if (state.order) p.set('order', state.order);
  const query = p.toString();
  return `#/${state.view}${query ? `?${query}` : ''}`;
}

/** The state an address fragment names; anything malformed is left out (an old or hand-edited link still opens). */
export function fromHash(hash: string, views: readonly string[], fallback: string): UrlState {
  const m = /^#\/([a-z-]+)(?:\?(.*))?$/.exec(hash);
  const view = m?.[1] && views.includes(m[1]) ? m[1] : fallback;
  const state: UrlState = { view };
  const p = new URLSearchParams(m?.[2] ?? '');
  const q = p.get('q');
  if (q) state.q = q;
  const like = (p.get('like') ?? '')
    .split(',')
    .map((part) => /^(\d+)(?:\*(-?\d+(?:\.\d+)?))?$/.exec(part))
    .flatMap((x) =>
      x && Number(x[1]) > 0 ? [{ id: Number(x[1]), weight: x[2] === undefined ? 1 : Number(x[2]) }] : [],
    );
  if (like.length) state.like = like;
  const from = p.get('from');
  if (from && DAY.test(from)) state.from = from;
  const to = p.get('to');
  if (to && DAY.test(to)) state.to = to;
  const tags = p.getAll('tags').filter((t) => t.trim());
  if (tags.length) state.tags = tags;
  const folder = Number(p.get('folder'));
  if (Number.isSafeInteger(folder) && folder > 0) state.folder = folder;
  const radius = p.get('radius');
  if (radius === 'all') state.radius = 'all';
  else if (radius !== null && /^\d{1,3}$/.test(radius) && Number(radius) <= 128)
    state.radius = Number(radius);
  const order = p.get('order');
  if (order === 'newest' || order === 'oldest') state.order = order;
  return state;
}

/**
 * Whether moving from one address state to the next is a new history entry ('push'), the same entry
 * refined ('replace': typing on in the box, where one phrase extends the other), or no change.
 */
export function historyStep(prev: UrlState, next: UrlState): 'push' | 'replace' | 'none' {
  const a = toHash(prev);
  const b = toHash(next);
  if (a === b) return 'none';
  const rest = (s: UrlState): string => toHash({ ...s, q: '' });
  const [p, n] = [prev.q ?? '', next.q ?? ''];
  const typing =
    prev.view === next.view &&
    rest(prev) === rest(next) &&
    p !== '' &&
    n !== '' &&
    (n.startsWith(p) || p.startsWith(n));
  return typing ? 'replace' : 'push';
}
