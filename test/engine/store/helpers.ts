/** Test helpers: stores on real SQLite files in temp dirs, cleaned up after each test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { openStore } from '../../../src/engine/store/index.ts';
import type { Store, StoreOptions } from '../../../src/engine/store/index.ts';

const dirs: string[] = [];
const stores: Store[] = [];

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp directory, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'glint-store-'));
  dirs.push(d);
  return d;
}

/** Opens a store (closed after the test). */
export function open(file: string, opts?: StoreOptions): Store {
  const s = openStore(file, opts);
  stores.push(s);
  return s;
}

/** A manual clock: starts at `t`, each call advances by 1 ms. */
export function ticking(t = 1_700_000_000_000): () => number {
  return () => t++;
}

/** A library on a real SQLite file in a temp dir, with a ticking clock. */
export function library(): Store {
  return open(join(tempDir(), 'library.db'), { now: ticking() });
}

/** Rows in a table (for checking cascades). */
export function count(s: Store, table: string): number {
  return s.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

/** A 4-value embedding whose values start at `x` (x, x + 1/8, x + 2/8, x + 3/8). */
export function vec(x: number): Float32Array {
  return Float32Array.from({ length: 4 }, (_, i) => x + i / 8);
}

/**
 * A folder `/lib` with one photo (photo + caption items) and one note (two chunks), all embedded
 * under model `clip` and coded under the 64-bit head `h64` (item i's code is the single word -i);
 * the photo is tagged Dog (xmp) and dog (user), the first chunk Beach (user).
 */
export function seed(s: Store) {
  const folder = S.addFolder(s, '/lib');
  const photo = S.upsertFile(s, {
    path: '/lib/a.jpg',
    folderId: folder.id,
    kind: 'photo',
    size: 10,
    mtimeMs: 5,
    hash: 'h1',
  });
  const [pItem, cItem] = S.replaceFileItems(s, photo, [
    { kind: 'photo', modality: 'image', takenAt: 1000, lat: 1.5, lon: -2.5, width: 640, height: 480 },
    { kind: 'caption', modality: 'text', text: 'a dog', charStart: 0, charEnd: 5 },
  ]) as [number, number];
  const note = S.upsertFile(s, {
    path: '/lib/n.md',
    folderId: folder.id,
    kind: 'note',
    size: 3,
    mtimeMs: 6,
    hash: 'h2',
  });
  const [n1, n2] = S.replaceFileItems(s, note, [
    { kind: 'note_chunk', modality: 'text', text: 'one', charStart: 0, charEnd: 3 },
    { kind: 'note_chunk', modality: 'text', text: 'two', charStart: 4, charEnd: 7 },
  ]) as [number, number];
  S.putHead(s, { id: 'h64', kind: 'dghdgh', bits: 64, modelId: 'clip', dir: '/heads/h64' });
  S.putEmbeddings(
    s,
    'clip',
    [pItem, cItem, n1, n2].map((itemId) => ({ itemId, vector: vec(itemId) })),
  );
  S.putCodes(
    s,
    'h64',
    [pItem, cItem, n1, n2].map((itemId) => ({ itemId, words: [BigInt(-itemId)] })),
  );
  S.addItemTag(s, pItem, 'Dog', 'xmp');
  S.addItemTag(s, pItem, 'dog', 'user');
  S.addItemTag(s, n1, 'Beach', 'user');
  return { folder, photo, note, pItem, cItem, n1, n2 };
}
