import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlintError } from '../../../src/engine/errors.ts';
import { scanFolder, type ScannedFile } from '../../../src/engine/ingest/scan.ts';

const root = mkdtempSync(join(tmpdir(), 'glint-scan-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function scan(
  dir: string,
): Promise<{ files: ScannedFile[]; errors: Array<{ path: string; error: GlintError }> }> {
  const errors: Array<{ path: string; error: GlintError }> = [];
  const files: ScannedFile[] = [];
  for await (const f of scanFolder(dir, { onError: (path, error) => errors.push({ path, error }) }))
    files.push(f);
  return { files, errors };
}

describe('scanFolder', () => {
  beforeAll(() => {
    const w = (p: string, data = 'x'): void => {
      mkdirSync(join(root, p, '..'), { recursive: true });
      writeFileSync(join(root, p), data);
    };
    w('a.jpg', 'abc');
    w('b.md');
    w('b.pdf');
    w('IMG_1.JPG');
    w('IMG_1.xmp');
    w('2023/summer/beach.heic');
    w('2023/summer/deep/er/note.txt');
    w('.hidden/secret.jpg');
    w('2023/.thumbs/t.jpg');
    w('2023/.dot.jpg');
    w('.DS_Store');
    w('2023/Thumbs.db');
    // A loop: 2023/summer/back → 2023 (an ancestor).
    symlinkSync(join(root, '2023'), join(root, '2023/summer/back'));
    // A second link to a folder already walked: not a loop, not walked twice.
    symlinkSync(join(root, '2023/summer'), join(root, 'summer-link'));
    // A dangling link with a photo name: reported, skipped.
    symlinkSync(join(root, 'missing.jpg'), join(root, 'dangling.jpg'));
    // A FIFO with a photo name: must be reported, never opened (opening would block).
    execFileSync('mkfifo', [join(root, 'pipe.jpg')]);
  });

  it('walks nested folders in a stable order, skipping hidden, junk and unsupported files', async () => {
    const { files } = await scan(root);
    // A folder's own files come first, then its subfolders, each in name order.
    expect(files.map((f) => relative(root, f.path))).toEqual([
      'IMG_1.JPG',
      'IMG_1.xmp',
      'a.jpg',
      'b.md',
      '2023/summer/beach.heic',
      '2023/summer/deep/er/note.txt',
    ]);
    expect(files.map((f) => f.kind)).toEqual(['photo', 'sidecar', 'photo', 'note', 'photo', 'note']);
    const a = files.find((f) => f.path.endsWith('a.jpg'));
    expect(a?.size).toBe(3);
    expect(a?.mtimeMs).toBeGreaterThan(0);
  });

  it('reports the symlink loop once, and the dangling link and FIFO, then carries on', async () => {
    const { errors } = await scan(root);
    const byCode = errors.map((e) => [relative(root, e.path), e.error.code]);
    expect(byCode).toEqual(
      expect.arrayContaining([
        ['2023/summer/back', 'file-symlink-loop'],
        ['dangling.jpg', 'file-broken-link'],
        ['pipe.jpg', 'scan-special-file'],
      ]),
    );
    expect(errors).toHaveLength(3);
    expect(errors.find((e) => e.error.code === 'file-symlink-loop')?.error.message).toMatch(/link loop/);
  });

  it('reports a folder that vanishes mid-walk and keeps going', async () => {
    // NOTE: the tests run as root, for whom chmod 000 does not make a folder unreadable; a folder
    // that disappears between being listed and being read exercises the same error path.
    const dir = mkdtempSync(join(tmpdir(), 'glint-scan-vanish-'));
    try {
      mkdirSync(join(dir, 'a'));
      mkdirSync(join(dir, 'b'));
      writeFileSync(join(dir, 'a/1.jpg'), 'x');
      writeFileSync(join(dir, 'b/2.jpg'), 'x');
      const errors: GlintError[] = [];
      const seen: string[] = [];
      for await (const f of scanFolder(dir, { onError: (_p, e) => errors.push(e) })) {
        seen.push(relative(dir, f.path));
        if (seen.length === 1) rmSync(join(dir, 'b'), { recursive: true }); // b is listed but not read yet
      }
      expect(seen).toEqual(['a/1.jpg']);
      expect(errors.map((e) => e.code)).toEqual(['file-vanished']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a missing root or a file as root instead of throwing', async () => {
    const missing = await scan(join(root, 'does-not-exist'));
    expect(missing.files).toEqual([]);
    expect(missing.errors.map((e) => e.error.code)).toEqual(['file-vanished']);
    const file = await scan(join(root, 'a.jpg'));
    expect(file.errors.map((e) => e.error.code)).toEqual(['scan-not-a-folder']);
  });
});
