import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import type { Store } from '../../../src/engine/store/index.ts';
import { open, tempDir, ticking } from './helpers.ts';

function library(): Store {
  return open(join(tempDir(), 'library.db'), { now: ticking() });
}

/** A folder with one photo (photo + caption items) and one note (two chunks), all embedded and coded. */
function seed(s: Store) {
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
  const vec = (x: number) => Float32Array.from({ length: 4 }, (_, i) => x + i / 8);
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
  return { folder, photo, note, pItem, cItem, n1, n2, vec };
}

function count(s: Store, table: string): number {
  return s.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

describe('store queries', () => {
  it('folders: add is idempotent, list, remove cascades to everything below', () => {
    const s = library();
    const { folder } = seed(s);
    expect(S.addFolder(s, '/lib')).toEqual(folder);
    S.addFolder(s, '/other');
    expect(S.listFolders(s).map((f) => f.path)).toEqual(['/lib', '/other']);
    expect(S.getFolder(s, '/lib')?.id).toBe(folder.id);
    expect(S.removeFolder(s, '/lib')).toBe(true);
    expect(S.removeFolder(s, '/lib')).toBe(false);
    for (const t of ['files', 'items', 'embeddings', 'codes', 'item_tags']) expect(count(s, t)).toBe(0);
    expect(count(s, 'heads')).toBe(1);
  });

  it('files: upsert keeps id and items, get/find by hash, delete cascades', () => {
    const s = library();
    const { photo, pItem } = seed(s);
    expect(
      S.upsertFile(s, { path: '/lib/a.jpg', kind: 'photo', folderId: 1, size: 11, mtimeMs: 9, hash: 'h9' }),
    ).toBe(photo);
    expect(S.getFileByPath(s, '/lib/a.jpg')).toMatchObject({
      id: photo,
      size: 11,
      mtimeMs: 9,
      hash: 'h9',
      kind: 'photo',
    });
    expect(S.getFile(s, photo)?.path).toBe('/lib/a.jpg');
    expect(S.getItem(s, pItem)?.fileId).toBe(photo);
    expect(S.findFilesByHash(s, 'h9').map((f) => f.id)).toEqual([photo]);
    expect(S.findFilesByHash(s, 'nope')).toEqual([]);
    expect(S.listFiles(s).map((f) => f.path)).toEqual(['/lib/a.jpg', '/lib/n.md']);
    expect(S.deleteFile(s, '/lib/a.jpg')).toBe(true);
    expect(S.getItem(s, pItem)).toBeUndefined();
    expect(count(s, 'items')).toBe(2);
    expect(count(s, 'embeddings')).toBe(2);
    expect(count(s, 'codes')).toBe(2);
    expect(S.listItemTags(s, pItem)).toEqual([]);
    expect(S.deleteFile(s, '/lib/a.jpg')).toBe(false);
  });

  it('rename keeps the file id, items, embeddings, codes and tags; replaces a record at the target', () => {
    const s = library();
    const { photo, pItem, note } = seed(s);
    expect(S.renameFile(s, '/lib/a.jpg', '/lib/sub/b.jpg')).toBe(true);
    expect(S.getFileByPath(s, '/lib/a.jpg')).toBeUndefined();
    expect(S.getFileByPath(s, '/lib/sub/b.jpg')?.id).toBe(photo);
    expect(S.getItem(s, pItem)?.path).toBe('/lib/sub/b.jpg');
    expect(S.getEmbedding(s, pItem, 'clip')).toBeDefined();
    expect(S.getCode(s, 'h64', pItem)).toEqual([BigInt(-pItem)]);
    expect(S.listItemTags(s, pItem).length).toBe(2);
    // Renaming onto an existing record replaces it.
    expect(S.renameFile(s, '/lib/sub/b.jpg', '/lib/n.md')).toBe(true);
    expect(S.getFile(s, note)).toBeUndefined();
    expect(S.getFileByPath(s, '/lib/n.md')?.id).toBe(photo);
    expect(S.renameFile(s, '/missing', '/x')).toBe(false);
  });

  it('items: replace in one transaction returns ids in order and drops old embeddings/codes', () => {
    const s = library();
    const { note, n1, n2 } = seed(s);
    expect(S.listFileItems(s, note).map((i) => i.id)).toEqual([n1, n2]);
    const ids = S.replaceFileItems(s, note, [
      { kind: 'note_chunk', modality: 'text', text: 'three', charStart: 0, charEnd: 5 },
    ]);
    expect(ids).toHaveLength(1);
    expect(ids[0]).toBeGreaterThan(n2); // ids are never reused
    expect(S.getItem(s, n1)).toBeUndefined();
    expect(S.getEmbedding(s, n1, 'clip')).toBeUndefined();
    expect(S.getCode(s, 'h64', n2)).toBeUndefined();
    expect(S.getItems(s, [ids[0] as number, 99999])).toMatchObject([
      { text: 'three', kind: 'note_chunk', modality: 'text' },
    ]);
    // A failing insert rolls the whole replacement back.
    expect(() =>
      S.replaceFileItems(s, note, [
        { kind: 'note_chunk', modality: 'text', charStart: 0 },
        { kind: 'note_chunk', modality: 'text', charStart: 0 },
      ]),
    ).toThrow(/UNIQUE/);
    expect(S.listFileItems(s, note).map((i) => i.id)).toEqual(ids);
  });

  it('items carry photo metadata and come back in the order asked', () => {
    const s = library();
    const { pItem, cItem } = seed(s);
    expect(S.getItems(s, [cItem, pItem]).map((i) => i.id)).toEqual([cItem, pItem]);
    expect(S.getItem(s, pItem)).toMatchObject({
      kind: 'photo',
      modality: 'image',
      charStart: 0,
      takenAt: 1000,
      lat: 1.5,
      lon: -2.5,
      width: 640,
      height: 480,
    });
    expect(S.listItemIds(s, 'text')).toEqual([cItem, pItem + 2, pItem + 3]);
    expect(S.listItemIds(s)).toHaveLength(4);
  });

  it('embeddings: Float32Array ↔ BLOB round trip and batch read per model and modality', () => {
    const s = library();
    const { pItem, cItem, n1, n2, vec } = seed(s);
    expect(S.getEmbedding(s, pItem, 'clip')).toEqual(vec(pItem));
    expect(S.getEmbedding(s, pItem, 'other')).toBeUndefined();
    const text = S.readEmbeddings(s, 'clip', 'text');
    expect(text.dim).toBe(4);
    expect(text.itemIds).toEqual([cItem, n1, n2]);
    expect(text.vectors).toEqual(Float32Array.from([...vec(cItem), ...vec(n1), ...vec(n2)]));
    const none = S.readEmbeddings(s, 'nope', 'image');
    expect(none).toEqual({ itemIds: [], vectors: new Float32Array(0), dim: 0 });
    // A view into a larger buffer is stored as just its own values.
    const big = new Float32Array(10).map((_, i) => i);
    S.putEmbeddings(s, 'clip', [{ itemId: pItem, vector: big.subarray(3, 7) }]);
    expect(S.getEmbedding(s, pItem, 'clip')).toEqual(Float32Array.from([3, 4, 5, 6]));
    expect(S.countEmbeddingsByModel(s)).toEqual({ clip: 4 });
  });

  it('codes: exact signed 64-bit words, batch put and packed read per modality', () => {
    const s = library();
    const { pItem, cItem, n1, n2 } = seed(s);
    S.putHead(s, { id: 'h128', kind: 'dghdgh', bits: 128, modelId: 'clip', dir: '/heads/h128' });
    const extremes: Array<[bigint, bigint]> = [
      [-(2n ** 63n), 2n ** 63n - 1n],
      [-1n, 0n],
      [0x0123456789abcdefn, -0x0123456789abcdefn],
      [1n, -2n],
    ];
    const ids = [pItem, cItem, n1, n2];
    S.putCodes(
      s,
      'h128',
      ids.map((itemId, i) => ({ itemId, words: extremes[i] as [bigint, bigint] })),
    );
    ids.forEach((id, i) => expect(S.getCode(s, 'h128', id)).toEqual(extremes[i]));
    const batch = S.readCodes(s, 'h128', 'text', 2);
    expect(batch.itemIds).toEqual([cItem, n1, n2]);
    expect([...batch.words]).toEqual(extremes.slice(1).flat());
    const one = S.readCodes(s, 'h64', 'image', 1);
    expect(one.itemIds).toEqual([pItem]);
    expect([...one.words]).toEqual([BigInt(-pItem)]);
  });

  it('heads: one active per model, enforced by the schema too; delete cascades to codes', () => {
    const s = library();
    seed(s);
    S.putHead(s, {
      id: 'h32',
      kind: 'dghdgh',
      bits: 32,
      modelId: 'clip',
      dir: '/heads/h32',
      metrics: { map: 0.5 },
    });
    S.putHead(s, { id: 'x', kind: 'default', bits: 64, modelId: 'other', dir: '/heads/x' });
    expect(S.getActiveHead(s, 'clip')).toBeUndefined();
    expect(S.activateHead(s, 'h64')).toBe(true);
    expect(S.activateHead(s, 'h32')).toBe(true);
    expect(S.activateHead(s, 'x')).toBe(true);
    expect(S.activateHead(s, 'missing')).toBe(false);
    expect(S.getActiveHead(s, 'clip')?.id).toBe('h32');
    expect(S.getHead(s, 'h64')?.active).toBe(false);
    expect(S.getHead(s, 'h32')).toMatchObject({ bits: 32, metrics: { map: 0.5 }, active: true });
    expect(() => s.db.prepare("UPDATE heads SET active = 1 WHERE id = 'h64'").run()).toThrow(/UNIQUE/);
    S.setHeadMetrics(s, 'h64', { map: 0.7 });
    expect(S.getHead(s, 'h64')?.metrics).toEqual({ map: 0.7 });
    expect(
      S.listHeads(s, 'clip')
        .map((h) => h.id)
        .sort(),
    ).toEqual(['h32', 'h64']);
    expect(S.deleteHead(s, 'h64')).toBe(true);
    expect(count(s, 'codes')).toBe(0);
  });

  it('tags: case-insensitive names, per-source add/remove, counts, items with tag, replace per source', () => {
    const s = library();
    const { pItem, cItem, n1 } = seed(s);
    expect(S.listItemTags(s, pItem)).toEqual([
      { name: 'Dog', source: 'user' },
      { name: 'Dog', source: 'xmp' },
    ]);
    expect(S.listTags(s)).toMatchObject([
      { name: 'Beach', count: 1 },
      { name: 'Dog', count: 1 },
    ]);
    S.addItemTag(s, cItem, '  DOG  ', 'user');
    expect(S.itemsWithTag(s, 'dog')).toEqual([pItem, cItem]);
    expect(S.listTags(s)[0]).toMatchObject({ name: 'Dog', count: 2 });
    expect(S.removeItemTag(s, pItem, 'dog', 'xmp')).toBe(true);
    expect(S.listItemTags(s, pItem)).toEqual([{ name: 'Dog', source: 'user' }]);
    expect(S.removeItemTag(s, pItem, 'DOG')).toBe(true);
    expect(S.removeItemTag(s, pItem, 'unknown')).toBe(false);
    S.setItemTags(s, n1, 'xmp', ['Sea', 'sand', 'sea', ' ']);
    S.setItemTags(s, n1, 'xmp', ['Sand', 'Sun']);
    expect(S.listItemTags(s, n1)).toEqual([
      { name: 'Beach', source: 'user' },
      { name: 'sand', source: 'xmp' },
      { name: 'Sun', source: 'xmp' },
    ]);
    expect(S.listItemTagPairs(s).length).toBe(4);
    expect(S.pruneUnusedTags(s)).toBe(1); // 'Sea'
    expect(() => S.addItemTag(s, n1, '   ', 'user')).toThrow(/empty/);
  });

  it('errors: latest per (path, stage), newest first, clear and count', () => {
    const s = library();
    S.recordError(s, { path: '/a', stage: 'decode', code: 'bad-jpeg', message: 'broken' });
    S.recordError(s, { path: '/b', stage: 'read', message: 'gone' });
    S.recordError(s, { path: '/a', stage: 'decode', message: 'still broken' });
    S.recordError(s, { path: '/a', stage: 'metadata', message: 'bad xmp' });
    S.recordError(s, { path: '/lib/x/y', stage: 'read', message: 'nope' });
    expect(S.countErrors(s)).toBe(4);
    expect(S.listErrors(s).map((e) => [e.path, e.stage, e.message])).toEqual([
      ['/lib/x/y', 'read', 'nope'],
      ['/a', 'metadata', 'bad xmp'],
      ['/a', 'decode', 'still broken'],
      ['/b', 'read', 'gone'],
    ]);
    expect(S.listErrors(s, { limit: 1, offset: 1 })[0]?.stage).toBe('metadata');
    expect(S.listErrors(s)[2]?.code).toBeNull();
    expect(S.clearErrors(s, '/a', 'decode')).toBe(1);
    expect(S.clearErrorsUnder(s, '/lib')).toBe(1);
    expect(S.clearErrors(s, '/a')).toBe(1);
    expect(S.countErrors(s)).toBe(1);
  });

  it('settings: get/set/delete, JSON helpers', () => {
    const s = library();
    expect(S.getSetting(s, 'k')).toBeUndefined();
    S.setSetting(s, 'k', 'v');
    S.setSetting(s, 'k', 'w');
    expect(S.getSetting(s, 'k')).toBe('w');
    S.setSetting(s, 'k', null);
    expect(S.getSetting(s, 'k')).toBeUndefined();
    S.setJsonSetting(s, 'j', { a: [1, 2] });
    expect(S.getJsonSetting(s, 'j', null)).toEqual({ a: [1, 2] });
    S.setSetting(s, 'bad', '{');
    expect(S.getJsonSetting(s, 'bad', 7)).toBe(7);
  });

  it('status counts items by kind, files, errors, jobs and embeddings per model', () => {
    const s = library();
    seed(s);
    S.recordError(s, { path: '/x', stage: 'read', message: 'm' });
    S.enqueueJob(s, 'ingest', '/q1');
    S.enqueueJob(s, 'ingest', '/q2');
    S.claimNextJob(s);
    expect(S.statusCounts(s)).toEqual({
      folders: 1,
      files: 2,
      photos: 1,
      noteChunks: 2,
      captions: 1,
      errors: 1,
      queuedJobs: 1,
      runningJobs: 1,
      failedJobs: 0,
      embeddings: { clip: 4 },
    });
  });
});
