/** commitPhoto gives every photo a date with its source: metadata, else the file name, else the mtime. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitPhoto, type PhotoCommit } from '../../../src/engine/ingest/item-writes.ts';
import type { PhotoMetadata } from '../../../src/engine/ingest/metadata.ts';
import * as S from '../../../src/engine/store/index.ts';
import { open, tempDir } from '../store/helpers.ts';

const MTIME = Date.UTC(2024, 4, 6, 7, 8, 9);

function commit(s: S.Store, path: string, meta: Partial<PhotoMetadata>): S.ItemRecord | undefined {
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
    sink: { upsert: () => {}, remove: () => {} },
  };
  commitPhoto(s, c);
  const file = S.getFileByPath(s, path);
  return file && S.listFileItems(s, file.id).find((i) => i.kind === 'photo');
}

describe('commitPhoto dates', () => {
  it('stores the date and where it came from', () => {
    const s = open(join(tempDir(), 'library.db'));
    S.putHead(s, { id: 'h', kind: 'default', bits: 64, modelId: 'clip', dir: 'heads/h' });
    expect(commit(s, '/p/a.jpg', { takenAt: 7, takenSource: 'xmp' })).toMatchObject({
      takenAt: 7,
      takenSource: 'xmp',
    });
    expect(commit(s, '/p/IMG-20190714-WA0001.jpg', {})).toMatchObject({
      takenAt: new Date(2019, 6, 14).getTime(),
      takenSource: 'filename',
    });
    expect(commit(s, '/p/000000062554.jpg', {})).toMatchObject({ takenAt: MTIME, takenSource: 'mtime' });
  });
});
