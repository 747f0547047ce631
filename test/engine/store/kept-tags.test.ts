import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { open, tempDir } from './helpers.ts';

const DAY = 86_400_000;

/** A photo file with hash `hash` and the given user and xmp tags; returns its file id. */
function photo(s: S.Store, path: string, hash: string | null, user: string[], xmp: string[] = []): number {
  const file = S.upsertFile(s, { path, kind: 'photo', hash });
  const [item] = S.replaceFileItems(s, file, [{ kind: 'photo', modality: 'image' }]) as [number];
  for (const t of user) S.addItemTag(s, item, t, 'user');
  for (const t of xmp) S.addItemTag(s, item, t, 'xmp');
  return file;
}

describe('store/kept-tags', () => {
  it('keeps only the user tags of photos with a known hash, one row per (hash, tag)', () => {
    const now = { t: 5 };
    const s = open(join(tempDir(), 'glint.db'), { now: () => now.t });
    const a = photo(s, '/a.jpg', 'ha', ['Max', 'Dog'], ['beach']);
    const copy = photo(s, '/copy.jpg', 'ha', ['max']);
    const nohash = photo(s, '/n.jpg', null, ['Lost']);
    const note = S.upsertFile(s, { path: '/n.md', kind: 'note', hash: 'hn' });
    const [chunk] = S.replaceFileItems(s, note, [
      { kind: 'note_chunk', modality: 'text', text: 'x', charStart: 0 },
    ]) as [number];
    S.addItemTag(s, chunk, 'NoteTag', 'user');
    expect(S.keepUserTags(s, [a, copy, nohash, note])).toBe(2);
    expect(S.keptTagCounts(s)).toEqual({ tags: 2, photos: 1, oldest: 5 });
    expect(S.keepUserTags(s, [])).toBe(0);
    expect(S.takeKeptTags(s, 'ha').sort()).toEqual(['Dog', 'Max']);
    expect(S.takeKeptTags(s, 'hn')).toEqual([]);
    expect(S.keptTagCounts(s)).toEqual({ tags: 0, photos: 0, oldest: null });
  });

  it('keeping again refreshes the time, so the retention period restarts', () => {
    const now = { t: 0 };
    const s = open(join(tempDir(), 'glint.db'), { now: () => now.t });
    const a = photo(s, '/a.jpg', 'ha', ['Max']);
    S.keepUserTags(s, [a]);
    now.t = 100 * DAY;
    S.keepUserTags(s, [a]);
    expect(S.keptTagCounts(s).oldest).toBe(100 * DAY);
    now.t = 250 * DAY;
    expect(S.pruneKeptTags(s, S.DEFAULT_KEEP_TAGS_DAYS)).toBe(0);
    now.t = 281 * DAY;
    expect(S.pruneKeptTags(s, S.DEFAULT_KEEP_TAGS_DAYS)).toBe(1);
  });

  it('forgets kept tags after the retention period only', () => {
    const now = { t: 0 };
    const s = open(join(tempDir(), 'glint.db'), { now: () => now.t });
    const a = photo(s, '/photos/a.jpg', 'h-a', ['Max', 'Dog']);
    S.keepUserTags(s, [a]);
    now.t = 179 * DAY;
    expect(S.pruneKeptTags(s, 180)).toBe(0);
    now.t = 180 * DAY;
    expect(S.pruneKeptTags(s, 180)).toBe(0); // exactly 180 days old is still kept
    now.t = 181 * DAY;
    expect(S.pruneKeptTags(s, 180)).toBe(2);
    expect(S.DEFAULT_KEEP_TAGS_DAYS).toBe(180);
  });
});
