import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activeHeadOf, type ActiveHead } from '../../../src/engine/hash/active-head.ts';
import {
  commitNote,
  commitPhoto,
  commitPhotoMetadata,
  removeIndexedPaths,
  type FileFacts,
  type PhotoCommit,
} from '../../../src/engine/ingest/item-writes.ts';
import type { PhotoMetadata } from '../../../src/engine/ingest/metadata.ts';
import * as S from '../../../src/engine/store/index.ts';
import type { CodeSink, CodeWords, Modality } from '../../../src/engine/types.ts';
import { open, tempDir, ticking } from '../store/helpers.ts';

/** A sink that records what the indexes were told, in order. */
class RecordingSink implements CodeSink {
  readonly events: Array<['upsert', Modality, number, CodeWords] | ['remove', number[]]> = [];
  upsert(modality: Modality, itemId: number, words: CodeWords): void {
    this.events.push(['upsert', modality, itemId, words]);
  }
  remove(itemIds: readonly number[]): void {
    this.events.push(['remove', [...itemIds]]);
  }
  redated(): void {}
}

/** A library with folder /lib and an active 16-bit head `h16` for model `m`. */
function setup(): { s: S.Store; head: ActiveHead; folder: S.Folder } {
  const s = open(join(tempDir(), 'library.db'), { now: ticking() });
  const folder = S.addFolder(s, '/lib');
  S.putHead(s, { id: 'h16', kind: 'default', bits: 16, modelId: 'm', dir: 'heads/h16' });
  S.activateHead(s, 'h16');
  return { s, head: activeHeadOf(s, 'm') as ActiveHead, folder };
}

/** A 16-value continuous code whose positive entries are at `setBits`. */
function code(...setBits: number[]): Float32Array {
  const c = new Float32Array(16).fill(-0.5);
  for (const b of setBits) c[b] = 0.5;
  return c;
}

const facts = (path: string, hash: string): FileFacts => ({ path, size: 100, mtimeMs: 7, hash, dev: 3 });

function meta(keywords: PhotoMetadata['keywords'] = []): PhotoMetadata {
  return { takenAt: 1_600_000_000_000, lat: 48.85, lon: 2.35, keywords, warnings: [] };
}

function photoCommit(
  head: ActiveHead,
  sink: CodeSink,
  path: string,
  hash: string,
  extra: { caption?: string; keywords?: PhotoMetadata['keywords'] } = {},
) {
  return {
    file: facts(path, hash),
    meta: meta(extra.keywords),
    width: 640,
    height: 480,
    embedding: Float32Array.of(1, 2, 3),
    code: code(0, 2, 3),
    caption:
      extra.caption === undefined
        ? undefined
        : { text: extra.caption, embedding: Float32Array.of(4, 5, 6), code: code(15) },
    modelId: 'm',
    head,
    sink,
  };
}

describe('commitPhoto', () => {
  it('stores the photo and caption items, embeddings, codes and metadata tags, and tells the sink', () => {
    const { s, head, folder } = setup();
    const sink = new RecordingSink();
    commitPhoto(
      s,
      photoCommit(head, sink, '/lib/a.jpg', 'ha', {
        caption: 'A dog on a beach',
        keywords: [
          { name: 'Dog', source: 'xmp' },
          { name: 'Paris', source: 'iptc' },
        ],
      }),
    );
    const file = S.getFileByPath(s, '/lib/a.jpg')!;
    expect(file).toMatchObject({
      kind: 'photo',
      folderId: folder.id,
      size: 100,
      mtimeMs: 7,
      hash: 'ha',
      dev: 3,
    });
    const [photo, caption] = S.listFileItems(s, file.id).sort((a, b) => a.id - b.id);
    expect(photo).toMatchObject({
      kind: 'photo',
      modality: 'image',
      takenAt: 1_600_000_000_000,
      lat: 48.85,
      lon: 2.35,
      width: 640,
      height: 480,
    });
    expect(caption).toMatchObject({
      kind: 'caption',
      modality: 'text',
      text: 'A dog on a beach',
      charStart: 0,
      charEnd: 16,
    });
    expect(S.getEmbedding(s, photo!.id, 'm')).toEqual(Float32Array.of(1, 2, 3));
    expect(S.getEmbedding(s, caption!.id, 'm')).toEqual(Float32Array.of(4, 5, 6));
    // bits 0, 2, 3 → 0b1101 = 13; bit 15 → 32768
    expect(S.readCodes(s, 'h16', 'image', 1)).toEqual({
      itemIds: [photo!.id],
      words: BigInt64Array.of(13n),
      wordsPerCode: 1,
    });
    expect([...S.readCodes(s, 'h16', 'text', 1).words]).toEqual([32768n]);
    expect(S.listItemTags(s, photo!.id)).toEqual([
      { name: 'Dog', source: 'xmp' },
      { name: 'Paris', source: 'iptc' },
    ]);
    expect(sink.events).toEqual([
      ['remove', []],
      ['upsert', 'image', photo!.id, [13n]],
      ['upsert', 'text', caption!.id, [32768n]],
    ]);
  });

  it('on re-index keeps the user’s tags, replaces metadata tags and retires the old items in the sink', () => {
    const { s, head } = setup();
    const sink = new RecordingSink();
    commitPhoto(
      s,
      photoCommit(head, sink, '/lib/a.jpg', 'ha', {
        caption: 'c',
        keywords: [{ name: 'Old', source: 'xmp' }],
      }),
    );
    const before = S.listFileItems(s, S.getFileByPath(s, '/lib/a.jpg')!.id).map((i) => i.id);
    const photoId = before.find((id) => S.getItem(s, id)?.kind === 'photo')!;
    S.addItemTag(s, photoId, 'Max', 'user');
    sink.events.length = 0;
    commitPhoto(
      s,
      photoCommit(head, sink, '/lib/a.jpg', 'hb', { keywords: [{ name: 'New', source: 'xmp' }] }),
    );
    const [now] = S.listFileItems(s, S.getFileByPath(s, '/lib/a.jpg')!.id);
    expect(now!.id).toBeGreaterThan(Math.max(...before));
    expect(S.listItemTags(s, now!.id)).toEqual([
      { name: 'Max', source: 'user' },
      { name: 'New', source: 'xmp' },
    ]);
    expect(S.getFileByPath(s, '/lib/a.jpg')?.hash).toBe('hb');
    expect(sink.events[0]).toEqual(['remove', before]);
    expect(sink.events.slice(1)).toEqual([['upsert', 'image', now!.id, [13n]]]);
  });

  it('gives a photo that comes back (same content, new path) the user tags it had when it left', () => {
    const { s, head } = setup();
    const sink = new RecordingSink();
    commitPhoto(s, photoCommit(head, sink, '/lib/a.jpg', 'same'));
    const [item] = S.listFileItems(s, S.getFileByPath(s, '/lib/a.jpg')!.id);
    S.addItemTag(s, item!.id, 'Max', 'user');
    expect(removeIndexedPaths(s, ['/lib/a.jpg'], sink)).toBe(1);
    expect(S.keptTagCounts(s).tags).toBe(1);
    commitPhoto(s, photoCommit(head, sink, '/elsewhere/a-copy.jpg', 'same'));
    const back = S.getFileByPath(s, '/elsewhere/a-copy.jpg')!;
    expect(back.folderId).toBeNull();
    const [backItem] = S.listFileItems(s, back.id);
    expect(S.listItemTags(s, backItem!.id)).toEqual([{ name: 'Max', source: 'user' }]);
    expect(S.keptTagCounts(s).tags).toBe(0);
  });
});

describe('commitPhotoMetadata', () => {
  it('replaces the caption and metadata tags in place; the photo item, its user tags and suggestions stay', () => {
    const { s, head } = setup();
    const sink = new RecordingSink();
    commitPhoto(
      s,
      photoCommit(head, sink, '/lib/a.jpg', 'ha', {
        caption: 'Grandma&#39;s kitchen',
        keywords: [{ name: 'R&amp;D', source: 'xmp' }],
      }),
    );
    const file = S.getFileByPath(s, '/lib/a.jpg')!;
    const [photo, oldCaption] = S.listFileItems(s, file.id).sort((a, b) => a.id - b.id);
    S.addItemTag(s, photo!.id, 'Grandma', 'user');
    const tagId = s.db.prepare("SELECT id FROM tags WHERE name = 'Grandma'").pluck().get() as number;
    s.db
      .prepare(
        "INSERT INTO tag_suggestions(item_id, tag_id, score, status, head_id) VALUES (?, ?, 0.9, 'rejected', 'h16')",
      )
      .run(photo!.id, tagId);
    s.db.prepare('UPDATE files SET reread = 1 WHERE id = ?').run(file.id);
    sink.events.length = 0;

    const stored = commitPhotoMetadata(s, {
      file: { ...facts('/lib/a.jpg', 'ha'), mtimeMs: 8 },
      meta: { ...meta([{ name: 'R&D', source: 'xmp' }]), description: 'Grandma’s kitchen' },
      caption: { text: 'Grandma’s kitchen', embedding: Float32Array.of(7, 8, 9), code: code(1) },
      modelId: 'm',
      head,
      sink,
    });
    expect(stored).toBe(true);
    const items = S.listFileItems(s, file.id).sort((a, b) => a.id - b.id);
    expect(items.map((i) => [i.kind, i.text])).toEqual([
      ['photo', null],
      ['caption', 'Grandma’s kitchen'],
    ]);
    const [samePhoto, caption] = items;
    expect(samePhoto!.id).toBe(photo!.id);
    expect(caption!.id).not.toBe(oldCaption!.id);
    expect(S.getEmbedding(s, photo!.id, 'm')).toEqual(Float32Array.of(1, 2, 3));
    expect(S.getEmbedding(s, caption!.id, 'm')).toEqual(Float32Array.of(7, 8, 9));
    expect(S.getEmbedding(s, oldCaption!.id, 'm')).toBeUndefined();
    expect(S.listItemTags(s, photo!.id)).toEqual([
      { name: 'Grandma', source: 'user' },
      { name: 'R&D', source: 'xmp' },
    ]);
    expect(
      s.db.prepare('SELECT status FROM tag_suggestions WHERE item_id = ?').pluck().all(photo!.id),
    ).toEqual(['rejected']);
    expect(S.getFileByPath(s, '/lib/a.jpg')).toMatchObject({ id: file.id, mtimeMs: 8 });
    expect(s.db.prepare('SELECT reread FROM files WHERE id = ?').pluck().get(file.id)).toBe(0);
    // bit 1 → 2
    expect(sink.events).toEqual([
      ['remove', [oldCaption!.id]],
      ['upsert', 'text', caption!.id, [2n]],
    ]);
  });

  it('drops a caption the metadata no longer gives, and refuses a file with no photo item', () => {
    const { s, head } = setup();
    const sink = new RecordingSink();
    commitPhoto(s, photoCommit(head, sink, '/lib/a.jpg', 'ha', { caption: 'AppleMark' }));
    const file = S.getFileByPath(s, '/lib/a.jpg')!;
    const commit = { meta: meta(), caption: undefined, modelId: 'm', head, sink };
    expect(commitPhotoMetadata(s, { ...commit, file: facts('/lib/a.jpg', 'ha') })).toBe(true);
    expect(S.listFileItems(s, file.id).map((i) => i.kind)).toEqual(['photo']);
    expect(commitPhotoMetadata(s, { ...commit, file: facts('/lib/unknown.jpg', 'hu') })).toBe(false);
    expect(S.getFileByPath(s, '/lib/unknown.jpg')).toBeUndefined();
  });
});

describe('commitNote', () => {
  it('stores one text item per chunk with its range, its own embedding row and its own code row', () => {
    const { s, head, folder } = setup();
    const sink = new RecordingSink();
    commitNote(s, {
      file: facts('/lib/n.md', 'hn'),
      chunks: [
        { text: 'first', start: 0, end: 5 },
        { text: 'second', start: 7, end: 13 },
      ],
      embeddings: Float32Array.of(1, 2, 3, 4),
      codes: Float32Array.of(...code(1), ...code(0, 15)),
      modelId: 'm',
      head,
      sink,
    });
    const file = S.getFileByPath(s, '/lib/n.md')!;
    expect(file).toMatchObject({ kind: 'note', folderId: folder.id });
    const items = S.listFileItems(s, file.id);
    expect(items.map((i) => [i.kind, i.modality, i.text, i.charStart, i.charEnd])).toEqual([
      ['note_chunk', 'text', 'first', 0, 5],
      ['note_chunk', 'text', 'second', 7, 13],
    ]);
    expect(S.readEmbeddings(s, 'm', 'text')).toEqual({
      itemIds: items.map((i) => i.id),
      vectors: Float32Array.of(1, 2, 3, 4),
      dim: 2,
    });
    expect([...S.readCodes(s, 'h16', 'text', 1).words]).toEqual([2n, 32769n]);
    expect(sink.events).toEqual([
      ['remove', []],
      ['upsert', 'text', items[0]!.id, [2n]],
      ['upsert', 'text', items[1]!.id, [32769n]],
    ]);
  });

  it('a note that no longer has any text keeps its file record with no items', () => {
    const { s, head } = setup();
    const sink = new RecordingSink();
    const base = { file: facts('/lib/n.md', 'h1'), modelId: 'm', head, sink };
    commitNote(s, {
      ...base,
      chunks: [{ text: 'x', start: 0, end: 1 }],
      embeddings: Float32Array.of(1),
      codes: code(3),
    });
    const old = S.listFileItems(s, S.getFileByPath(s, '/lib/n.md')!.id).map((i) => i.id);
    commitNote(s, { ...base, chunks: [], embeddings: new Float32Array(0), codes: new Float32Array(0) });
    expect(S.listFileItems(s, S.getFileByPath(s, '/lib/n.md')!.id)).toEqual([]);
    expect(sink.events.at(-1)).toEqual(['remove', old]);
  });
});

describe('removeIndexedPaths', () => {
  it('removes files and whole folders in one go, keeps user tags by hash, and tells the sink', () => {
    const { s, head } = setup();
    const sink = new RecordingSink();
    commitPhoto(s, photoCommit(head, sink, '/lib/a.jpg', 'ha', { caption: 'cap' }));
    commitPhoto(s, photoCommit(head, sink, '/lib/sub/b.jpg', 'hb'));
    commitPhoto(s, photoCommit(head, sink, '/lib2/c.jpg', 'hc'));
    const idsOf = (path: string): number[] =>
      S.listFileItems(s, S.getFileByPath(s, path)!.id).map((i) => i.id);
    const gone = [...idsOf('/lib/a.jpg'), ...idsOf('/lib/sub/b.jpg')];
    const bPhoto = idsOf('/lib/sub/b.jpg')[0]!;
    S.addItemTag(s, bPhoto, 'Kept', 'user');
    sink.events.length = 0;
    expect(removeIndexedPaths(s, ['/lib'], sink)).toBe(2);
    expect(S.listFiles(s).map((f) => f.path)).toEqual(['/lib2/c.jpg']);
    expect(sink.events).toHaveLength(1);
    expect((sink.events[0]![1] as number[]).sort((a, b) => a - b)).toEqual(gone.sort((a, b) => a - b));
    expect(S.takeKeptTags(s, 'hb')).toEqual(['Kept']);
    expect(removeIndexedPaths(s, ['/nothing/here'], sink)).toBe(0);
    expect(sink.events.at(-1)).toEqual(['remove', []]);
  });
});

// commitPhoto gives every photo a date with its source: metadata, else the file name, else the mtime.
const MTIME = Date.UTC(2024, 4, 6, 7, 8, 9);

function commitDated(s: S.Store, path: string, meta: Partial<PhotoMetadata>): S.ItemRecord | undefined {
  const c: PhotoCommit = {
    file: { path, size: 1, mtimeMs: MTIME, hash: `h-${path}` },
    meta: { keywords: [], warnings: [], ...meta },
    width: 4,
    height: 3,
    embedding: new Float32Array(4),
    code: new Float32Array(64),
    caption: undefined,
    modelId: 'clip',
    head: { id: 'h', kind: 'default', bits: 64, dir: 'heads/h' },
    sink: { upsert: () => {}, remove: () => {}, redated: () => {} },
  };
  commitPhoto(s, c);
  const file = S.getFileByPath(s, path);
  return file && S.listFileItems(s, file.id).find((i) => i.kind === 'photo');
}

describe('commitPhoto dates', () => {
  it('stores the date and where it came from', () => {
    const s = open(join(tempDir(), 'library.db'));
    S.putHead(s, { id: 'h', kind: 'default', bits: 64, modelId: 'clip', dir: 'heads/h' });
    expect(commitDated(s, '/p/a.jpg', { takenAt: 7, takenSource: 'xmp' })).toMatchObject({
      takenAt: 7,
      takenSource: 'xmp',
    });
    expect(commitDated(s, '/p/IMG-20190714-WA0001.jpg', {})).toMatchObject({
      takenAt: new Date(2019, 6, 14).getTime(),
      takenSource: 'filename',
    });
    expect(commitDated(s, '/p/000000062554.jpg', {})).toMatchObject({ takenAt: MTIME, takenSource: 'mtime' });
  });
});
