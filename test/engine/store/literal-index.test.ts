import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { literalMatches, phraseQuery } from '../../../src/engine/store/literal-index.ts';
import * as S from '../../../src/engine/store/index.ts';
import { tagPhotos, untagPhotos } from '../../../src/engine/store/bulk-tags.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function library() {
  const dir = mkdtempSync(join(tmpdir(), 'glint-literal-'));
  dirs.push(dir);
  const store = S.openStore(join(dir, 'library.db'));
  const folder = S.addFolder(store, '/photos/Lisboa 2019');
  const photo = (path: string, text: string | null = null) => {
    const fileId = S.upsertFile(store, {
      path,
      folderId: folder.id,
      kind: 'photo',
      size: 1,
      mtimeMs: 1,
      hash: path,
    });
    return S.replaceFileItems(store, fileId, [{ kind: 'photo', modality: 'image', text }])[0]!;
  };
  return { store, folder, photo };
}

describe('literal matches (FTS5)', () => {
  it('finds file names, folder names, tags and caption text as exact phrases, folding case and accents', () => {
    const { store, photo } = library();
    const img = photo('/photos/Lisboa 2019/IMG_2041.jpg');
    const tram = photo('/photos/Lisboa 2019/trams/tram 28.jpg', 'The yellow tram at Alfama');
    const other = photo('/photos/Lisboa 2019/beach.jpg');
    expect(literalMatches(store, 'IMG_2041', ['photo'], 10)).toEqual([img]);
    expect(literalMatches(store, 'lisboa', ['photo'], 10).sort()).toEqual([img, tram, other].sort());
    expect(literalMatches(store, 'yellow tram', ['photo'], 10)).toEqual([tram]);
    expect(literalMatches(store, 'tram yellow', ['photo'], 10)).toEqual([]);
    expect(literalMatches(store, 'ALFAMA', ['photo'], 10)).toEqual([tram]);
    tagPhotos(store, [other], 'Praia do Guincho');
    expect(literalMatches(store, 'praia do guincho', ['photo'], 10)).toEqual([other]);
    untagPhotos(store, [other], 'Praia do Guincho');
    expect(literalMatches(store, 'praia do guincho', ['photo'], 10)).toEqual([]);
    expect(literalMatches(store, 'lisboa', ['photo'], 10, new Set([tram]))).toEqual([tram]);
    expect(literalMatches(store, 'lisboa', ['note_chunk'], 10)).toEqual([]);
    store.close();
  });

  it('follows a moved file, forgets a deleted one, and lets no query syntax through', () => {
    const { store, photo } = library();
    const id = photo('/photos/Lisboa 2019/old name.jpg');
    expect(literalMatches(store, 'old name', ['photo'], 10)).toEqual([id]);
    store.db.prepare("UPDATE files SET path = '/photos/Lisboa 2019/new name.jpg'").run();
    expect(literalMatches(store, 'old name', ['photo'], 10)).toEqual([]);
    expect(literalMatches(store, 'new name', ['photo'], 10)).toEqual([id]);
    expect(literalMatches(store, 'name" OR "x', ['photo'], 10)).toEqual([]);
    expect(literalMatches(store, 'NEAR(new name)', ['photo'], 10)).toEqual([]);
    store.db.prepare('DELETE FROM items').run();
    expect(store.db.prepare('SELECT count(*) AS n FROM items_fts').get()).toEqual({ n: 0 });
    store.close();
  });

  it('quotes a phrase and ignores ones too short to mean anything literally', () => {
    expect(phraseQuery(' a "b" c ')).toBe('"a ""b"" c"');
    expect(phraseQuery('ab')).toBeUndefined();
  });
});
