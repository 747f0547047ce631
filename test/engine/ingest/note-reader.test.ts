import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClipTokenizer, type ClipTokenizer } from '../../../src/engine/clip/tokenizer.ts';
import { GlintError } from '../../../src/engine/errors.ts';
import { readNoteChunks } from '../../../src/engine/ingest/note-reader.ts';
import { HAS_SHARED_DATA, TOKENIZER_DIR } from '../../helpers/shared-data.ts';

/** One token per whitespace-separated word. */
const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'glint-note-reader-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function note(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function rejection(p: Promise<unknown>): Promise<GlintError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GlintError);
  return err as GlintError;
}

describe('readNoteChunks', () => {
  it('reads a UTF-8 file into chunks whose ranges point into the decoded text', async () => {
    const text = 'Trip to the coast.\n\nWe saw seals on the rocks.';
    const path = note('a.md', text);
    expect(await readNoteChunks(path, words)).toEqual([
      { text: 'Trip to the coast.', start: 0, end: 18 },
      { text: 'We saw seals on the rocks.', start: 20, end: text.length },
    ]);
  });

  it('keeps every chunk within 75 content tokens (CLIP’s window without BOS/EOS)', async () => {
    const text = Array.from({ length: 160 }, (_, i) => `w${i}`).join(' ');
    const chunks = await readNoteChunks(note('long.txt', text), words);
    expect(chunks.map((c) => words(c.text))).toEqual([75, 75, 10]);
    for (const c of chunks) expect(text.slice(c.start, c.end)).toBe(c.text);
  });

  it('drops a byte-order mark, and offsets count from after it (UTF-8 and UTF-16)', async () => {
    const bom8 = note('bom.md', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('héllo')]));
    expect(await readNoteChunks(bom8, words)).toEqual([{ text: 'héllo', start: 0, end: 5 }]);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(' ünï', 'utf16le')]);
    expect(await readNoteChunks(note('le.txt', le), words)).toEqual([{ text: 'ünï', start: 1, end: 4 }]);
  });

  it('uses bytes already read instead of the file', async () => {
    const path = join(dir, 'never-written.md');
    expect(await readNoteChunks(path, words, new TextEncoder().encode('from memory'))).toEqual([
      { text: 'from memory', start: 0, end: 11 },
    ]);
  });

  it('gives no chunks for an empty note', async () => {
    expect(await readNoteChunks(note('empty.md', ''), words)).toEqual([]);
  });

  it('refuses a Latin-1 note with note-not-utf8, naming the file and the byte', async () => {
    const path = note('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9])); // "café" in Latin-1
    const err = await rejection(readNoteChunks(path, words));
    expect(err.code).toBe('note-not-utf8');
    expect(err.message).toContain(path);
    expect(err.message).toContain('0xE9 at offset 3');
  });

  it('turns a missing file or a folder into the file errors', async () => {
    expect((await rejection(readNoteChunks(join(dir, 'gone.md'), words))).code).toBe('file-vanished');
    const sub = join(dir, 'folder.md');
    mkdirSync(sub);
    expect((await rejection(readNoteChunks(sub, words))).code).toBe('file-is-directory');
  });

  describe.skipIf(!HAS_SHARED_DATA)('with the real CLIP tokenizer', () => {
    let tok: ClipTokenizer;
    beforeAll(async () => {
      tok = await loadClipTokenizer(TOKENIZER_DIR);
    });

    it('splits a long note so that each chunk encodes within 77 positions', async () => {
      const sentence = 'The quick brown fox jumps over the lazy dog near the riverbank at dawn. ';
      const text = sentence.repeat(20).trim();
      const chunks = await readNoteChunks(note('fox.md', text), (s) => tok.countTokens(s));
      expect(chunks.length).toBeGreaterThan(1);
      for (const c of chunks) {
        expect(tok.countTokens(c.text)).toBeLessThanOrEqual(75);
        expect(text.slice(c.start, c.end)).toBe(c.text);
      }
      // Nothing is lost: the chunks cover every sentence.
      expect(chunks.map((c) => c.text).join(' ')).toBe(text);
    });
  });
});
