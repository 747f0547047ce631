import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadClipTokenizer, type ClipTokenizer } from '../../../src/engine/clip/tokenizer.ts';
import { chunkEmbeddingText, chunkNote, type TextChunk } from '../../../src/engine/ingest/notes-chunker.ts';

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

  it('makes each paragraph a chunk of its own, with offsets into the text', () => {
    const text = '  First para.\n\nSecond one here.\r\n\r\n\r\nThird.\n';
    const chunks = chunkNote(text, words, { maxTokens: 5 });
    expect(chunks).toEqual([
      { text: 'First para.', start: 2, end: 13 },
      { text: 'Second one here.', start: 15, end: 31 },
      { text: 'Third.', start: 37, end: 43 },
    ]);
  });

  it('splits a note about two scenes into its paragraphs, the heading travelling with each as context', () => {
    const text = [
      '# Brittany, July 2019',
      '',
      'Rex ran along the beach at low tide, chasing the gulls.',
      '',
      'In the evening we ate crêpes in the old town of Saint-Malo.',
      '',
      'Next morning the ferry left for Jersey in thick fog.',
    ].join('\n');
    const chunks = chunkNote(text, words);
    expect(chunks.map((c) => [c.context, c.text])).toEqual([
      ['Brittany, July 2019', 'Rex ran along the beach at low tide, chasing the gulls.'],
      ['Brittany, July 2019', 'In the evening we ate crêpes in the old town of Saint-Malo.'],
      ['Brittany, July 2019', 'Next morning the ferry left for Jersey in thick fog.'],
    ]);
    checkChunks(text, chunks, words, 75);
    // What is embedded is heading and paragraph; what is shown is the paragraph.
    expect(chunks.map(chunkEmbeddingText)).toEqual([
      'Brittany, July 2019 — Rex ran along the beach at low tide, chasing the gulls.',
      'Brittany, July 2019 — In the evening we ate crêpes in the old town of Saint-Malo.',
      'Brittany, July 2019 — Next morning the ferry left for Jersey in thick fog.',
    ]);
  });

  it('nests Markdown headings by level, and reads setext headings and headings inside a paragraph', () => {
    const text = [
      'Trip',
      '====',
      '',
      '## Day one',
      'Harbour at dusk.',
      '',
      '### Evening',
      '',
      'Fish and chips.',
      '',
      '## Day two ##',
      '',
      'Lighthouse walk.',
      '',
      'Notes',
      '-----',
      '',
      'Spare batteries.',
    ].join('\n');
    expect(chunkNote(text, words).map((c) => [c.context, c.text])).toEqual([
      ['Trip — Day one', 'Harbour at dusk.'],
      ['Trip — Day one — Evening', 'Fish and chips.'],
      ['Trip — Day two', 'Lighthouse walk.'],
      ['Trip — Notes', 'Spare batteries.'],
    ]);
  });

  it('reads headings in a note with Windows line ends', () => {
    const text =
      '# Trip\r\n\r\nHarbour at dusk.\r\nBoats.\r\n\r\nNotes\r\n-----\r\nSpare batteries.\r\n\r\n# Empty\r\n';
    const chunks = chunkNote(text, words);
    expect(chunks.map((c) => [c.context, c.text])).toEqual([
      ['Trip', 'Harbour at dusk.\r\nBoats.'],
      ['Trip — Notes', 'Spare batteries.'],
      [undefined, 'Empty'],
    ]);
    checkChunks(text, chunks, words, 75);
  });

  it('takes a short title-like line or a line ending in a colon as a heading, never a caption or a sentence', () => {
    const chunked = (text: string): Array<[string | undefined, string]> =>
      chunkNote(text, words).map((c) => [c.context, c.text]);
    expect(chunked('Summer 2024\n\nWe drove up the coast.')).toEqual([
      ['Summer 2024', 'We drove up the coast.'],
    ]);
    expect(chunked('Day two:\n\nthe lighthouse.')).toEqual([['Day two', 'the lighthouse.']]);
    expect(chunked('Photos of the Lake District\n\nRain, mostly.')).toEqual([
      ['Photos of the Lake District', 'Rain, mostly.'],
    ]);
    // A plain heading holds until the next heading, and sits under a Markdown one.
    expect(chunked('Grandma’s Kitchen\n\nBread.\n\nJam.\n\nThe Garden\n\nRoses.')).toEqual([
      ['Grandma’s Kitchen', 'Bread.'],
      ['Grandma’s Kitchen', 'Jam.'],
      ['The Garden', 'Roses.'],
    ]);
    expect(chunked('# Summer\n\nDay Two\n\nBeach.\n\n# Winter\n\nSnow.')).toEqual([
      ['Summer — Day Two', 'Beach.'],
      ['Winter', 'Snow.'],
    ]);
    // Captions, sentences, list items and long lines stay paragraphs.
    for (const first of [
      'A dog on the beach',
      'We left early.',
      '- Tent',
      'Nine Very Long Words That Go On And On Forever',
    ])
      expect(chunked(`${first}\n\nA cat on a sofa`)).toEqual([
        [undefined, first],
        [undefined, 'A cat on a sofa'],
      ]);
    // A title-like line with no paragraph after it is a paragraph.
    expect(chunked('Body text.\n\nThe End')).toEqual([
      [undefined, 'Body text.'],
      [undefined, 'The End'],
    ]);
  });

  it('keeps a heading with nothing under it as a chunk of its own, in its place, and skips thematic breaks', () => {
    const text = '# Empty section\n\n## Also empty\n\n---\n\n# Full\n\nSome text.\n\n# Last';
    const chunks = chunkNote(text, words);
    expect(chunks.map((c) => [c.context, c.text])).toEqual([
      // An empty section inside an empty section: one chunk, the outer heading as its context.
      ['Empty section', 'Also empty'],
      ['Full', 'Some text.'],
      [undefined, 'Last'],
    ]);
    checkChunks(text, chunks, words, 75);
  });

  it('splits an over-long paragraph, each piece with the heading, shortening the heading to fit', () => {
    const text = '# Alpha beta gamma delta\n\nOne two three four. Five six seven eight. Nine.';
    const chunks = chunkNote(text, words, { maxTokens: 8 });
    expect(chunks.map((c) => [c.context, c.text])).toEqual([
      // The paragraph (10 words) must split: its pieces leave room for the heading where they can
      // (at least half the window stays for text: 4 words), and the heading is cut to what fits.
      ['Alpha beta gamma', 'One two three four.'],
      ['Alpha beta gamma', 'Five six seven eight.'],
      ['Alpha beta gamma delta', 'Nine.'],
    ]);
    // A paragraph that fits stays whole; its heading gives way.
    const whole = chunkNote('# Alpha beta gamma delta\n\nOne two three four five six.', words, {
      maxTokens: 8,
    });
    expect(whole.map((c) => [c.context, c.text])).toEqual([['Alpha', 'One two three four five six.']]);
    for (const c of chunks) expect(words(chunkEmbeddingText(c))).toBeLessThanOrEqual(8);
    // Outer headings go first.
    const nested = chunkNote('# Outer heading\n\n## Inner\n\nOne two three four five', words, {
      maxTokens: 7,
    });
    expect(nested.map((c) => c.context)).toEqual(['Inner']);
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

  it('keeps every chunk with its context within 75 content tokens, covers all words in order, never mid-word', () => {
    const chunks = chunkNote(note, count);
    expect(chunks.length).toBeGreaterThan(3);
    checkChunks(note, chunks, count, 75);
    // Every word is in a chunk except the heading's, which travel as context.
    expect(chunks.flatMap((c) => wordsOf(c.text))).toEqual(wordsOf(note).slice(3));
    const giant = 'Pneumonoultramicroscopicsilicovolcanoconiosis'.repeat(8);
    expect(chunks.filter((c) => c.text !== giant).every((c) => c.context === 'Summer 2024')).toBe(true);
    // The giant word is its own chunk, without context; everything else fits the window untruncated.
    const over = chunks.filter((c) => count(chunkEmbeddingText(c)) > 75);
    expect(over.map((c) => c.text)).toEqual(['Pneumonoultramicroscopicsilicovolcanoconiosis'.repeat(8)]);
    expect(over[0]?.context).toBeUndefined();
  });

  it('splits only the paragraph that exceeds the window; the others stay whole', () => {
    const chunks = chunkNote(note, count);
    const paragraphs = note.split('\n\n').slice(1, 4);
    expect(count(paragraphs[0] as string)).toBeGreaterThan(0);
    for (const p of paragraphs) {
      const inside = chunks.filter((c) => p.includes(c.text));
      if (count(p) <= 75) expect(inside.map((c) => c.text)).toEqual([p]);
      else expect(inside.length).toBeGreaterThan(1);
    }
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
