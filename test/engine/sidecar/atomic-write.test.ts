import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/engine/sidecar/atomic-write.ts';
import { makeReadOnly } from '../../helpers/exiftool.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glint-atomic-'));
    dirs.push(dir);
    const file = join(dir, 'a.jpg.xmp');
    writeFileSync(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a.jpg.xmp']);
  });

  it('in a read-only folder throws the system error and leaves the old file as it was', async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'glint-atomic-'));
    dirs.push(dir);
    const file = join(dir, 'a.jpg.xmp');
    writeFileSync(file, 'old');
    const undo = makeReadOnly(dir);
    if (!undo) ctx.skip();
    try {
      await expect(writeFileAtomic(file, 'new')).rejects.toMatchObject({
        code: expect.stringMatching(/EACCES|EPERM/),
      });
    } finally {
      undo?.();
    }
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['a.jpg.xmp']);
  });
});
