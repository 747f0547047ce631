/**
 * Splits a note into chunks that each fit CLIP's text window, keeping character offsets into the
 * original text. A note's paragraphs (separated by blank lines) are its chunks, so that a photo
 * finds the paragraph about it rather than a run of paragraphs about several scenes. A paragraph
 * splits further only when it does not fit the window: into sentences (and lines), a sentence that
 * is too long into words. A chunk never starts or ends inside a word; a single word longer than
 * the window becomes a chunk of its own (the encoder truncates it).
 *
 * Headings are not chunks: they travel with the paragraphs under them as `context`, which is
 * embedded with the paragraph ("Summer 2024 — We drove up the coast…") while the chunk's text, the
 * part shown, is the paragraph alone. Headings are
 * - Markdown ATX headings (`# Title` … `###### Title`) and setext headings (a line underlined with
 *   `===` or `---`); a heading holds until the next heading of its level or a higher one, and
 *   nested headings are joined ("Trip — Day one");
 * - a short plain line that is followed by a paragraph and reads as a title: one line of at most
 *   {@link PLAIN_HEADING_WORDS} words and {@link PLAIN_HEADING_CHARS} characters, not a list item or
 *   quote, not ending like a sentence (. ! ? … , ;), and either ending with a colon ("Day two:") or
 *   capitalised word by word ("Summer 2024", "Grandma's Kitchen"; small words such as "of" and
 *   "the" may stay lower case). It holds until the next heading of any kind. Captions such as
 *   "A dog on the beach" are not headings.
 * A heading with no paragraph under it is a chunk of its own (with the headings above it as its
 * context), so no text is lost. A paragraph that fits the window stays whole even when its headings
 * do not fit beside it: the context is then shortened (outer headings first, then the last
 * heading's final words). A paragraph that must split anyway splits into pieces that leave room
 * for its headings (at least half the window stays for the text), so each piece carries them.
 *
 * Markdown fenced code blocks (``` or ~~~) and thematic breaks (`---`, `***`) are skipped: they say
 * nothing a photo can show, and would only spend encoder time and pull unrelated results. Everything
 * else, list markers included, is kept as written.
 */

/** A chunk: `text` is exactly `note.slice(start, end)`, with no surrounding whitespace. */
export interface TextChunk {
  text: string;
  start: number;
  end: number;
  /** The headings above the chunk, joined with " — ", fitted to the window; absent when there are none. */
  context?: string;
}

/** Options for {@link chunkNote}. */
export interface ChunkOptions {
  /** Content tokens per chunk (BOS/EOS excluded): 77 − 2 for CLIP. */
  maxTokens?: number;
}

/** The most words a plain (non-Markdown) line may have to count as a heading. */
export const PLAIN_HEADING_WORDS = 8;
/** The most characters a plain (non-Markdown) line may have to count as a heading. */
export const PLAIN_HEADING_CHARS = 60;

const CONTEXT_JOIN = ' — ';

/** The text to embed for `chunk`: its headings, then the chunk's own text. */
export function chunkEmbeddingText(chunk: TextChunk): string {
  return chunk.context ? `${chunk.context}${CONTEXT_JOIN}${chunk.text}` : chunk.text;
}

interface Span {
  start: number;
  end: number;
}

/** A heading: its level (1–6 Markdown, 7 plain), its title text and where it stands. */
interface Heading extends Span {
  level: number;
  title: string;
  used: boolean;
}

type Block = { kind: 'para'; span: Span } | { kind: 'heading'; heading: Heading };

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/d;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_OR_QUOTE = /^\s*(?:[-*+•>]|\d+[.)])(?:\s|$)/;
const SENTENCE_END = /[.!?\u2026,;\u3002\uff01\uff1f\u3001]["'\u2019\u201d)\]]*$/;
const COLON_END = /[:\uff1a]$/;
const SMALL_WORDS = new Set(
  'a an and as at by de del der des di die das du en et for from in la le les of on or the to und van von with y'.split(
    ' ',
  ),
);
// Sentence ends: terminal punctuation (optionally closed by quotes/brackets) before whitespace; CJK
// full stops, which need no space after them; or a line break inside a paragraph (list items).
const SENTENCE_BREAK = /[.!?\u2026]+["'\u2019\u201d)\]]*(?=\s)|[\u3002\uff01\uff1f]+|(?=\n)/g;
const NON_SPACE = /\S+/g;

/** Chunks `text` so that each chunk, with its context, has at most `maxTokens` content tokens by `countTokens`. */
export function chunkNote(
  text: string,
  countTokens: (text: string) => number,
  { maxTokens = 75 }: ChunkOptions = {},
): TextChunk[] {
  const fitsText = (s: string): boolean => countTokens(s) <= maxTokens;
  // The budget of the paragraph being packed: the window, less its headings' share once it splits.
  let budget = maxTokens;
  const fits = (span: Span): boolean => countTokens(text.slice(span.start, span.end)) <= budget;
  const levels: Array<(span: Span) => Span[]> = [
    (span) => splitSentences(text, span),
    (span) => splitWords(text, span),
  ];

  // Greedy packing inside one paragraph: extend the current chunk with the next unit while the
  // whole slice still fits; a unit that does not fit alone is split one level finer (words never).
  const pack = (units: Span[], level: number, out: Span[]): void => {
    let current: Span | undefined;
    for (const unit of units) {
      if (!fits(unit)) {
        if (current) out.push(current);
        current = undefined;
        const finer = levels[level];
        if (finer) pack(finer(unit), level + 1, out);
        else out.push(unit); // one word longer than the window: its own chunk
        continue;
      }
      const merged = current && { start: current.start, end: unit.end };
      if (merged && fits(merged)) current = merged;
      else {
        if (current) out.push(current);
        current = unit;
      }
    }
    if (current) out.push(current);
  };

  const chunks: TextChunk[] = [];
  const emit = (span: Span, stack: readonly Heading[]): void => {
    const chunk: TextChunk = { text: text.slice(span.start, span.end), start: span.start, end: span.end };
    const context = fitContext(titlesOf(stack), chunk.text, fitsText);
    if (context !== undefined) chunk.context = context;
    chunks.push(chunk);
  };

  const stack: Heading[] = [];
  // A heading that leaves the stack with nothing under it is a chunk of its own.
  const popTo = (level: number): void => {
    while (stack.length > 0 && (stack.at(-1) as Heading).level >= level) {
      const h = stack.pop() as Heading;
      if (!h.used) {
        for (const parent of stack) parent.used = true;
        emit(h, stack);
      }
    }
  };
  for (const block of blocks(text)) {
    if (block.kind === 'heading') {
      popTo(block.heading.level);
      stack.push(block.heading);
      continue;
    }
    for (const h of stack) h.used = true;
    const pieces: Span[] = [];
    budget = maxTokens;
    if (stack.length > 0 && !fits(block.span)) {
      // Split anyway: leave room for the headings, so that each piece carries them (but keep at least
      // half the window for the text, so a long heading cannot crumble the paragraph).
      const headingCost = countTokens(`${titlesOf(stack).join(CONTEXT_JOIN)}${CONTEXT_JOIN}`);
      budget = Math.max(maxTokens - headingCost, Math.ceil(maxTokens / 2));
    }
    pack([block.span], 0, pieces);
    for (const piece of pieces) emit(piece, stack);
  }
  popTo(0);
  // Headings emitted when they leave the stack come after what followed them: put them back in place.
  return chunks.sort((a, b) => a.start - b.start);
}

/** The titles of the headings in `stack` that have any ("# :" has none). */
function titlesOf(stack: readonly Heading[]): string[] {
  return stack.map((h) => h.title).filter((t) => t !== '');
}

/**
 * The headings joined as context, shortened until `context — paragraph` fits: outer headings are
 * dropped first, then the last heading's final words. Undefined when there are none or none fits.
 */
function fitContext(
  titles: readonly string[],
  paragraph: string,
  fitsText: (s: string) => boolean,
): string | undefined {
  const fitsWith = (context: string): boolean => fitsText(`${context}${CONTEXT_JOIN}${paragraph}`);
  for (let from = 0; from < titles.length; from++) {
    const context = titles.slice(from).join(CONTEXT_JOIN);
    if (fitsWith(context)) return context;
  }
  const words = titles.at(-1)?.split(/\s+/) ?? [];
  for (let n = words.length - 1; n > 0; n--) {
    const context = words.slice(0, n).join(' ');
    if (fitsWith(context)) return context;
  }
  return undefined;
}

/** The note's paragraphs and headings, in order (see the module comment for what a heading is). */
function blocks(text: string): Block[] {
  const out: Block[] = [];
  for (const para of paragraphs(text)) {
    // Markdown headings and thematic breaks stand on their own even without blank lines around them.
    let from = para.start;
    let textEnd = para.start;
    let textLines = 0;
    const cut = (to: number): void => {
      pushTrimmed(text, { start: from, end: to }, out);
      textLines = 0;
    };
    for (const line of lines(text, para)) {
      const lineText = text.slice(line.start, line.end);
      const atx = ATX.exec(lineText);
      const underline = textLines > 0 ? SETEXT_UNDERLINE.exec(lineText) : null;
      if (atx !== null) {
        cut(line.start);
        const at = atx.indices?.[2];
        // A bare `#` line names nothing: dropped like a blank line.
        if (at !== undefined && atx[2] !== '') {
          const title = { start: line.start + at[0], end: line.start + at[1] };
          out.push({ kind: 'heading', heading: heading(text, title, (atx[1] as string).length) });
        }
      } else if (underline !== null) {
        // The lines since the last cut are the heading's title.
        const title = trim(text, { start: from, end: textEnd }) as Span;
        out.push({
          kind: 'heading',
          heading: heading(text, title, (underline[1] as string)[0] === '=' ? 1 : 2),
        });
        textLines = 0;
      } else if (textLines === 0 && THEMATIC_BREAK.test(lineText)) {
        // A rule between sections says nothing.
      } else {
        if (textLines === 0) from = line.start;
        textLines++;
        textEnd = line.end;
        continue;
      }
      from = line.end;
    }
    if (textLines > 0) pushTrimmed(text, { start: from, end: para.end }, out);
  }
  // Plain headings need to see the next block.
  return out.map((block, i) => {
    const next = out[i + 1];
    if (block.kind !== 'para' || next?.kind !== 'para') return block;
    const line = text.slice(block.span.start, block.span.end);
    return isPlainHeading(line) ? { kind: 'heading', heading: heading(text, block.span, 7) } : block;
  });
}

/** The heading whose title is `span`; a colon that ends it ("Day two:") is left out of the context. */
function heading(text: string, span: Span, level: number): Heading {
  const title = text
    .slice(span.start, span.end)
    .replace(/\s+/g, ' ')
    .replace(/\s*[:\uff1a]$/, '');
  return { start: span.start, end: span.end, level, title, used: false };
}

/** Whether a one-line paragraph reads as a title (see the module comment). */
function isPlainHeading(line: string): boolean {
  if (line.includes('\n') || line.length > PLAIN_HEADING_CHARS || !/[\p{L}\p{N}]/u.test(line)) return false;
  if (LIST_OR_QUOTE.test(line) || SENTENCE_END.test(line)) return false;
  const words = line.split(/\s+/);
  if (words.length > PLAIN_HEADING_WORDS) return false;
  if (COLON_END.test(line)) return true;
  let capitalised = 0;
  for (const [i, word] of words.entries()) {
    const first = /\p{L}/u.exec(word)?.[0];
    if (first === undefined || first.toLowerCase() === first.toUpperCase()) continue; // numbers, uncased scripts
    if (first === first.toUpperCase()) capitalised++;
    else if (i === 0 || !SMALL_WORDS.has(word.toLowerCase())) return false;
  }
  return capitalised > 0;
}

/** Line spans inside `span` (untrimmed, without their line breaks, CRLF included). */
function lines(text: string, span: Span): Span[] {
  const out: Span[] = [];
  let start = span.start;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 || nl >= span.end ? span.end : nl;
    out.push({ start, end: end > start && text[end - 1] === '\r' ? end - 1 : end });
    if (end === span.end) return out;
    start = nl + 1;
  }
}

/** Paragraph spans: runs of non-blank lines outside fenced code blocks, trimmed. */
function paragraphs(text: string): Span[] {
  const out: Span[] = [];
  let para: Span | undefined;
  let fence: string | undefined;
  const close = (): void => {
    if (para) pushSpan(text, para, out);
    para = undefined;
  };
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const marker = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      // Inside a fence: it closes on a line of the same character, at least as long.
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker)
        fence = undefined;
    } else if (marker) {
      close();
      fence = marker;
    } else if (line.trim() === '') {
      close();
    } else if (para) {
      para.end = lineEnd;
    } else {
      para = { start: lineStart, end: lineEnd };
    }
    lineStart = lineEnd + 1;
  }
  close();
  return out;
}

/** Sentence (and line) spans inside `span`, trimmed. */
function splitSentences(text: string, span: Span): Span[] {
  const body = text.slice(span.start, span.end);
  const out: Span[] = [];
  let from = 0;
  for (const match of body.matchAll(SENTENCE_BREAK)) {
    const to = match.index + match[0].length;
    if (to > from) pushSpan(text, { start: span.start + from, end: span.start + to }, out);
    from = to;
  }
  pushSpan(text, { start: span.start + from, end: span.end }, out);
  return out;
}

/** Whitespace-separated word spans inside `span`. */
function splitWords(text: string, span: Span): Span[] {
  const body = text.slice(span.start, span.end);
  return Array.from(body.matchAll(NON_SPACE), (m) => ({
    start: span.start + m.index,
    end: span.start + m.index + m[0].length,
  }));
}

function trim(text: string, span: Span): Span | undefined {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start] as string)) start++;
  while (end > start && /\s/.test(text[end - 1] as string)) end--;
  return end > start ? { start, end } : undefined;
}

function pushSpan(text: string, span: Span, out: Span[]): void {
  const t = trim(text, span);
  if (t) out.push(t);
}

function pushTrimmed(text: string, span: Span, out: Block[]): void {
  const t = trim(text, span);
  if (t) out.push({ kind: 'para', span: t });
}
