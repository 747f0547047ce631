import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadClipTokenizer, type ClipTokenizer } from '../../../src/engine/clip/tokenizer.ts';
import { chunkNote, type TextChunk } from '../../../src/engine/ingest/notes-chunker.ts';

const TOK_DIR = fileURLToPath(new URL('../../../../shared/data/clip-tokenizer/', import.meta.url));
const haveTokenizer = existsSync(`${TOK_DIR}/vocab.json`);
if (!haveTokenizer) console.warn(`chunker tests with the real tokenizer skipped: ${TOK_DIR} not found`);

/** A stand-in counter for the tokenizer-free tests: one token per whitespace-separated word. */
const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;

/** Invariants every chunking must satisfy. */
function checkChunks(
  text: string,
  chunks: TextChunk[],
  count: (s: string) => number,
  maxTokens: number,
): void {
  let last = 0;
  for (const c of chunks) {
    expect(c.text).toBe(text.slice(c.start, c.end));
    expect(c.text).toBe(c.text.trim());
    expect(c.text.length).toBeGreaterThan(0);
    expect(c.start).toBeGreaterThanOrEqual(last); // in order, no overlap
    last = c.end;
    // Never starts or ends inside a word.
    if (c.start > 0) expect(text[c.start - 1]).toMatch(/\s|[.!?。！？]/);
    if (c.end < text.length) expect(text[c.end]).toMatch(/\s|[。！？]/);
    const single = !/\s/.test(c.text);
    if (!single) expect(count(c.text), c.text).toBeLessThanOrEqual(maxTokens);
  }
}

/** Words of the text outside code fences, in order. */
const wordsOf = (s: string): string[] => s.split(/\s+/).filter(Boolean);

describe('chunkNote (word-count stand-in)', () => {
  it('gives no chunks for an empty or whitespace-only note', () => {
    expect(chunkNote('', words)).toEqual([]);
    expect(chunkNote(' \n\n\t \r\n ', words)).toEqual([]);
  });

  it('merges small paragraphs while they fit and keeps offsets into the text', () => {
    const text = '  First para.\n\nSecond one here.\r\n\r\n\r\nThird.\n';
    const chunks = chunkNote(text, words, { maxTokens: 5 });
    expect(chunks).toEqual([
      { text: 'First para.\n\nSecond one here.', start: 2, end: 31 },
      { text: 'Third.', start: 37, end: 43 },
    ]);
  });

  it('splits a long paragraph by sentences, then a long sentence by words', () => {
    const text = 'One two three. Four five six seven eight nine ten eleven. Twelve!';
    const chunks = chunkNote(text, words, { maxTokens: 4 });
    expect(chunks.map((c) => c.text)).toEqual([
      'One two three.',
      'Four five six seven',
      'eight nine ten eleven.',
      'Twelve!',
    ]);
    checkChunks(text, chunks, words, 4);
  });

  it('treats lines inside a paragraph (lists) as sentence breaks', () => {
    const text = '- milk eggs bread\n- apples pears\n- coffee';
    expect(chunkNote(text, words, { maxTokens: 5 }).map((c) => c.text)).toEqual([
      '- milk eggs bread',
      '- apples pears\n- coffee',
    ]);
  });

  it('puts a word longer than the window in a chunk of its own', () => {
    const long = 'x'.repeat(50);
    const chars = (s: string): number => s.replace(/\s/g, '').length;
    const chunks = chunkNote(`tiny ${long} end`, chars, { maxTokens: 10 });
    expect(chunks.map((c) => c.text)).toEqual(['tiny', long, 'end']);
  });

  it('skips fenced code blocks (``` and ~~~, unclosed to the end)', () => {
    const text =
      'Trip to Oslo.\n\n```js\nconst x = 1;\n\nlet y;\n```\nHarbour at dusk.\n\n~~~~\ncode\n~~~\nstill code\n~~~~\nEnd.\n```\nnever closed';
    expect(chunkNote(text, words, { maxTokens: 3 }).map((c) => c.text)).toEqual([
      'Trip to Oslo.',
      'Harbour at dusk.',
      'End.',
    ]);
  });

  it('splits CJK text at its full stops', () => {
    const text = '今日は晴れ。海に行った。楽しかった！';
    const chars = (s: string): number => s.length;
    expect(chunkNote(text, chars, { maxTokens: 12 }).map((c) => c.text)).toEqual([
      '今日は晴れ。海に行った。',
      '楽しかった！',
    ]);
  });
});

describe.runIf(haveTokenizer)('chunkNote with the real CLIP tokenizer', () => {
  let tok: ClipTokenizer;
  const count = (s: string): number => tok.countTokens(s);
  beforeAll(async () => {
    tok = await loadClipTokenizer(TOK_DIR);
  });

  const note = [
    '# Summer 2024',
    '',
    'We drove up the coast on the first of July. The weather was grey but warm, and the kids spent the whole afternoon ' +
      'building a sand castle with a moat, three towers and a flag made from a receipt. Later we ate fish & chips ' +
      'on the harbour wall while gulls circled overhead!',
    '',
    '- tent, stove, 2 sleeping bags',
    '- camera (the old Nikon), spare batteries',
    '',
    'Day two: hiking to the lighthouse — about 12 km. ' + 'the path follows the cliffs '.repeat(30).trim(),
    '',
    'Pneumonoultramicroscopicsilicovolcanoconiosis'.repeat(8),
  ].join('\n');

  it('keeps every chunk within 75 content tokens, covers all words in order, never mid-word', () => {
    const chunks = chunkNote(note, count);
    expect(chunks.length).toBeGreaterThan(3);
    checkChunks(note, chunks, count, 75);
    expect(chunks.flatMap((c) => wordsOf(c.text))).toEqual(wordsOf(note));
    // The giant word is its own chunk; everything else fits the encoder window untruncated.
    const over = chunks.filter((c) => count(c.text) > 75);
    expect(over.map((c) => c.text)).toEqual(['Pneumonoultramicroscopicsilicovolcanoconiosis'.repeat(8)]);
  });

  it('chunks a 1 MB note in reasonable time', () => {
    let big = '';
    let i = 0;
    while (big.length < 1_000_000) {
      big += `Paragraph ${i} talks about photo number ${i * 7}, taken at the lake. `.repeat(1 + (i % 9));
      big += i % 5 === 0 ? '\n' : '\n\n';
      i++;
    }
    const t0 = performance.now();
    const chunks = chunkNote(big, count);
    const ms = performance.now() - t0;
    checkChunks(big, chunks, count, 75);
    expect(chunks.flatMap((c) => wordsOf(c.text))).toEqual(wordsOf(big));
    expect(ms).toBeLessThan(15_000);
  });
});
