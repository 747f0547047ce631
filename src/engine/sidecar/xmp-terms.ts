/**
 * How Glint's user tags become XMP keyword terms, and which terms a write adds or takes away. A tag
 * 'Places/France/Paris' is hierarchical: its leaf 'Paris' goes in dc:subject (what every app reads) and
 * 'Places|France|Paris' in lr:hierarchicalSubject (Lightroom's, darktable's and digiKam's tree).
 */

/** The keyword terms of a sidecar: dc:subject entries and lr:hierarchicalSubject paths. */
export interface XmpTerms {
  subjects: string[];
  hierarchical: string[];
}

/** The terms standing for one Glint tag. */
export function tagTerms(tag: string): { subject: string; hierarchical?: string } {
  const parts = tag
    .split('/')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length <= 1) return { subject: tag.trim() };
  return { subject: parts[parts.length - 1] as string, hierarchical: parts.join('|') };
}

/** The terms standing for a set of Glint tags, deduplicated case-insensitively. */
export function termsOfTags(tags: readonly string[]): XmpTerms {
  const subjects = new TermList();
  const hierarchical = new TermList();
  for (const tag of tags) {
    const t = tagTerms(tag);
    if (t.subject !== '') subjects.add(t.subject);
    if (t.hierarchical !== undefined) hierarchical.add(t.hierarchical);
  }
  return { subjects: subjects.items, hierarchical: hierarchical.items };
}

/**
 * The sidecar's terms after a write: what is there now, less what Glint added before that the user no
 * longer wants, plus what they want that is missing. `owned` comes back as the terms present because Glint
 * put them there, so a term another app wrote is never taken away, even when the user untags it in Glint.
 */
export function mergeTerms(
  current: XmpTerms,
  wanted: XmpTerms,
  owned: XmpTerms,
): { terms: XmpTerms; owned: XmpTerms } {
  const subjects = mergeList(current.subjects, wanted.subjects, owned.subjects);
  const hierarchical = mergeList(current.hierarchical, wanted.hierarchical, owned.hierarchical);
  return {
    terms: { subjects: subjects.list, hierarchical: hierarchical.list },
    owned: { subjects: subjects.owned, hierarchical: hierarchical.owned },
  };
}

function mergeList(
  current: readonly string[],
  wanted: readonly string[],
  owned: readonly string[],
): { list: string[]; owned: string[] } {
  const want = new Set(wanted.map(fold));
  const ownedKeys = new Set(owned.map(fold));
  // Glint's old terms the user took away go; everyone else's stay, in their order.
  const list = current.filter((t) => want.has(fold(t)) || !ownedKeys.has(fold(t)));
  const present = new Set(list.map(fold));
  const stillOwned = owned.filter((t) => want.has(fold(t)) && present.has(fold(t)));
  const ownedNext = new TermList(stillOwned);
  for (const t of wanted) {
    if (present.has(fold(t))) continue;
    list.push(t);
    present.add(fold(t));
    ownedNext.add(t);
  }
  return { list, owned: ownedNext.items };
}

/** Terms compare as tag names do: case-insensitively. */
const fold = (term: string): string => term.toLocaleLowerCase();

/** An insertion-ordered list without case-insensitive duplicates. */
class TermList {
  readonly items: string[] = [];
  private readonly keys = new Set<string>();

  constructor(initial: readonly string[] = []) {
    for (const t of initial) this.add(t);
  }

  add(term: string): void {
    const key = fold(term);
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.items.push(term);
  }
}
