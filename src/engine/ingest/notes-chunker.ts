/**
 * Splits a note into chunks that each fit CLIP's text window, keeping character offsets into the
 * original text. Paragraphs (separated by blank lines) come first and small consecutive ones are
 * merged while they fit; a paragraph that is too long is split into sentences (and lines), a
 * sentence that is too long into words. A chunk never starts or ends inside a word; a single word
 * longer than the window becomes a chunk of its own (the encoder truncates it).
 *
 * Markdown fenced code blocks (``` or ~~~) are skipped: code says nothing a photo can show, and
 * would only spend encoder time and pull unrelated results. Everything else, headings and list
 * markers included, is kept as written.
 */

/** A chunk: `text` is exactly `note.slice(start, end)`, with no surrounding whitespace. */
export interface TextChunk {
  text: string;
  start: number;
  end: number;
}

/** Options for {@link chunkNote}. */
export interface ChunkOptions {
  /** Content tokens per chunk (BOS/EOS excluded): 77 − 2 for CLIP. */
  maxTokens?: number;
}

interface Span {
  start: number;
  end: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
// Sentence ends: terminal punctuation (optionally closed by quotes/brackets) before whitespace; CJK
// full stops, which need no space after them; or a line break inside a paragraph (list items).
const SENTENCE_BREAK = /[.!?\u2026]+["'\u2019\u201d)\]]*(?=\s)|[\u3002\uff01\uff1f]+|(?=\n)/g;
const NON_SPACE = /\S+/g;

/** Chunks `text` so that each chunk has at most `maxTokens` content tokens by `countTokens`. */
export function chunkNote(
  text: string,
  countTokens: (text: string) => number,
  { maxTokens = 75 }: ChunkOptions = {},
): TextChunk[] {
  const fits = (span: Span): boolean => countTokens(text.slice(span.start, span.end)) <= maxTokens;
  const levels: Array<(span: Span) => Span[]> = [
    (span) => splitSentences(text, span),
    (span) => splitWords(text, span),
  ];

  // Greedy packing: extend the current chunk with the next unit while the whole slice still fits;
  // a unit that does not fit alone is split one level finer (words are never split).
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

  const spans: Span[] = [];
  pack(paragraphs(text), 0, spans);
  return spans.map(({ start, end }) => ({ text: text.slice(start, end), start, end }));
}

/** Paragraph spans: runs of non-blank lines outside fenced code blocks, trimmed. */
function paragraphs(text: string): Span[] {
  const out: Span[] = [];
  let para: Span | undefined;
  let fence: string | undefined;
  const close = (): void => {
    if (para) pushTrimmed(text, para, out);
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
    if (to > from) pushTrimmed(text, { start: span.start + from, end: span.start + to }, out);
    from = to;
  }
  pushTrimmed(text, { start: span.start + from, end: span.end }, out);
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

function pushTrimmed(text: string, span: Span, out: Span[]): void {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start] as string)) start++;
  while (end > start && /\s/.test(text[end - 1] as string)) end--;
  if (end > start) out.push({ start, end });
}
