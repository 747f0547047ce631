/**
 * Editing the keyword terms of an XMP packet in place: dc:subject and lr:hierarchicalSubject change,
 * every other element, attribute, namespace, comment and processing instruction stays as it was
 * (@xmldom/xmldom keeps the whole document, unknown namespaces included, and serializes it back).
 */
import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { GlintError } from '../errors.ts';
import { mergeTerms, type XmpTerms } from './xmp-terms.ts';

const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
/** The two keyword properties Glint writes: namespace, usual prefix, local name. */
const SUBJECT = { ns: 'http://purl.org/dc/elements/1.1/', prefix: 'dc', local: 'subject' } as const;
const HIERARCHICAL = {
  ns: 'http://ns.adobe.com/lightroom/1.0/',
  prefix: 'lr',
  local: 'hierarchicalSubject',
} as const;
type Property = typeof SUBJECT | typeof HIERARCHICAL;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/** A fresh packet as exiftool and darktable write them: xpacket wrapper, x:xmpmeta, one rdf:Description. */
const EMPTY_PACKET = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Glint">
 <rdf:RDF xmlns:rdf="${RDF_NS}">
  <rdf:Description rdf:about="">
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
`;

/** The result of merging Glint's terms into a sidecar's text. */
export interface SidecarMerge {
  /** The new sidecar text. */
  xml: string;
  /** The keyword terms the sidecar held before. */
  before: XmpTerms;
  /** The keyword terms it holds now. */
  after: XmpTerms;
  /** The terms present because Glint put them there (kept for the next write). */
  owned: XmpTerms;
}

/**
 * Merges `wanted` (the terms of the photo's user tags) into the sidecar text `existing` (undefined: there is
 * no sidecar yet, so a fresh packet is made). `owned` are the terms Glint added last time; see `mergeTerms`.
 * Throws `sidecar-invalid` when `existing` is not well-formed XMP, so a damaged file is never rewritten.
 */
export function mergeSidecarXml(
  existing: string | undefined,
  wanted: XmpTerms,
  owned: XmpTerms,
): SidecarMerge {
  const doc = parseXmp(existing ?? EMPTY_PACKET);
  const before = readTerms(doc);
  const merged = mergeTerms(before, wanted, owned);
  writeProperty(doc, SUBJECT, merged.terms.subjects);
  writeProperty(doc, HIERARCHICAL, merged.terms.hierarchical);
  let xml = new XMLSerializer().serializeToString(doc);
  if (existing !== undefined && sameTerms(before, merged.terms)) xml = existing;
  return { xml, before, after: merged.terms, owned: merged.owned };
}

/** The keyword terms of an XMP text (dc:subject and lr:hierarchicalSubject, element or attribute form). */
export function readXmpTerms(text: string): XmpTerms {
  return readTerms(parseXmp(text));
}

function parseXmp(text: string): Document {
  const problems: string[] = [];
  let doc: Document | undefined;
  try {
    doc = new DOMParser({
      // Warnings (a stray character, say) are kept as problems too: a damaged file is never rewritten.
      onError: (_level, msg) => {
        problems.push(msg.replace(/^\[xmldom \w+\]\s*/, '').split('\n')[0] ?? msg);
      },
    }).parseFromString(text, 'text/xml');
  } catch (err) {
    // A fatal error is thrown as a ParseError after it has been reported through onError.
    if (problems.length === 0) problems.push((err as Error).message.split('\n')[0] ?? String(err));
  }
  const rdf = doc?.documentElement ? elementsNS(doc.documentElement, RDF_NS, 'RDF', true)[0] : undefined;
  if (problems.length > 0 || !doc || !rdf)
    throw new GlintError(
      'sidecar-invalid',
      problems.length > 0
        ? `it is not well-formed XML (${problems[0]})`
        : 'it holds no XMP metadata (no rdf:RDF element)',
    );
  return doc;
}

function readTerms(doc: Document): XmpTerms {
  return { subjects: readProperty(doc, SUBJECT), hierarchical: readProperty(doc, HIERARCHICAL) };
}

function readProperty(doc: Document, prop: Property): string[] {
  const out: string[] = [];
  for (const desc of descriptions(doc)) {
    const attr = desc.getAttributeNS(prop.ns, prop.local);
    if (attr) out.push(attr);
    for (const el of childElements(desc).filter((c) => isNamed(c, prop.ns, prop.local))) {
      const items = elementsNS(el, RDF_NS, 'li', false);
      // A lone literal (`<dc:subject>dog</dc:subject>`) is one term, as exiftool reads it.
      if (items.length === 0 && childElements(el).length === 0) out.push(el.textContent ?? '');
      for (const li of items) out.push(li.textContent ?? '');
    }
  }
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

/** Replaces a property's value with an rdf:Bag of `terms`, where it was (removing it when there are none). */
function writeProperty(doc: Document, prop: Property, terms: readonly string[]): void {
  const all = descriptions(doc);
  let home: Element | undefined;
  let old: Element | undefined;
  for (const desc of all) {
    if (desc.hasAttributeNS(prop.ns, prop.local)) {
      desc.removeAttributeNS(prop.ns, prop.local);
      home ??= desc;
    }
    for (const el of childElements(desc).filter((c) => isNamed(c, prop.ns, prop.local))) {
      if (old === undefined) {
        home ??= desc;
        if (home === desc) {
          old = el;
          continue;
        }
      }
      removeWithIndent(el);
    }
  }
  if (terms.length === 0) {
    if (old) removeWithIndent(old);
    return;
  }
  home ??= all.find((d) => usesNamespace(d, prop.ns)) ?? all[0] ?? newDescription(doc);
  const el = bagProperty(doc, home, prop, terms);
  if (old) {
    home.replaceChild(el, old);
    return;
  }
  // Before the description's closing whitespace, so the packet stays indented as it was.
  const last = home.lastChild;
  const anchor = last && last.nodeType === TEXT_NODE && (last.nodeValue ?? '').trim() === '' ? last : null;
  home.insertBefore(doc.createTextNode(`\n${childIndent(home)}`), anchor);
  home.insertBefore(el, anchor);
  if (!anchor) home.appendChild(doc.createTextNode('\n'));
}

/** `<prefix:local><rdf:Bag><rdf:li>term</rdf:li>…</rdf:Bag></prefix:local>`, indented for a child of `home`. */
function bagProperty(doc: Document, home: Element, prop: Property, terms: readonly string[]): Element {
  const indent = childIndent(home);
  const el = doc.createElementNS(prop.ns, `${prefixFor(home, prop)}:${prop.local}`);
  const rdfPrefix = home.prefix ?? 'rdf';
  const bag = doc.createElementNS(RDF_NS, `${rdfPrefix}:Bag`);
  for (const term of terms) {
    bag.appendChild(doc.createTextNode(`\n${indent}  `));
    const li = doc.createElementNS(RDF_NS, `${rdfPrefix}:li`);
    li.appendChild(doc.createTextNode(term));
    bag.appendChild(li);
  }
  bag.appendChild(doc.createTextNode(`\n${indent} `));
  el.appendChild(doc.createTextNode(`\n${indent} `));
  el.appendChild(bag);
  el.appendChild(doc.createTextNode(`\n${indent}`));
  return el;
}

/** The prefix bound to the property's namespace at `home`, declaring one there when none is. */
function prefixFor(home: Element, prop: Property): string {
  const bound = home.lookupPrefix(prop.ns);
  if (bound) return bound;
  let prefix: string = prop.prefix;
  for (let n = 1; home.lookupNamespaceURI(prefix) !== null; n++) prefix = `${prop.prefix}${n}`;
  home.setAttributeNS(XMLNS_NS, `xmlns:${prefix}`, prop.ns);
  return prefix;
}

function newDescription(doc: Document): Element {
  const rdf = elementsNS(doc.documentElement as Element, RDF_NS, 'RDF', true)[0] as Element;
  const prefix = rdf.prefix ?? 'rdf';
  const desc = doc.createElementNS(RDF_NS, `${prefix}:Description`);
  desc.setAttributeNS(RDF_NS, `${prefix}:about`, '');
  rdf.appendChild(doc.createTextNode('\n '));
  rdf.appendChild(desc);
  rdf.appendChild(doc.createTextNode('\n'));
  return desc;
}

/** The rdf:Description elements directly under rdf:RDF, where XMP keeps its properties. */
function descriptions(doc: Document): Element[] {
  const rdf = elementsNS(doc.documentElement as Element, RDF_NS, 'RDF', true)[0];
  return rdf ? childElements(rdf).filter((c) => isNamed(c, RDF_NS, 'Description')) : [];
}

function usesNamespace(desc: Element, ns: string): boolean {
  if (childElements(desc).some((c) => c.namespaceURI === ns)) return true;
  for (let i = 0; i < desc.attributes.length; i++)
    if (desc.attributes.item(i)?.namespaceURI === ns) return true;
  return false;
}

function childElements(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === ELEMENT_NODE) out.push(n as Element);
  return out;
}

function isNamed(el: Element, ns: string, local: string): boolean {
  return el.namespaceURI === ns && el.localName === local;
}

/** Elements named (ns, local) at or below `root` (`self`: `root` itself counts), in document order. */
function elementsNS(root: Element, ns: string, local: string, self: boolean): Element[] {
  const out: Element[] = self && isNamed(root, ns, local) ? [root] : [];
  const found = root.getElementsByTagNameNS(ns, local);
  for (let i = 0; i < found.length; i++) {
    const el = found.item(i);
    if (el) out.push(el);
  }
  return out;
}

/** The indentation of `el`'s children: that of its first indented child, or its own plus one space. */
function childIndent(el: Element): string {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== TEXT_NODE) continue;
    const m = /\n([ \t]*)$/.exec(n.nodeValue ?? '');
    if (m && n.nextSibling?.nodeType === ELEMENT_NODE) return m[1] ?? '';
  }
  const prev = el.previousSibling;
  const own = prev?.nodeType === TEXT_NODE ? (/\n([ \t]*)$/.exec(prev.nodeValue ?? '')?.[1] ?? '') : '';
  return `${own} `;
}

/** Removes an element and the whitespace that indented it. */
function removeWithIndent(el: Element): void {
  const prev = el.previousSibling;
  if (prev && prev.nodeType === TEXT_NODE && (prev.nodeValue ?? '').trim() === '')
    prev.parentNode?.removeChild(prev);
  el.parentNode?.removeChild(el);
}

function sameTerms(a: XmpTerms, b: XmpTerms): boolean {
  const eq = (x: readonly string[], y: readonly string[]): boolean =>
    x.length === y.length && x.every((t, i) => t === y[i]);
  return eq(a.subjects, b.subjects) && eq(a.hierarchical, b.hierarchical);
}
