import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GlintError } from '../../../src/engine/errors.ts';
import { readFileOnce, sha256File, statFile } from '../../../src/engine/ingest/file-hash.ts';

const dir = mkdtempSync(join(tmpdir(), 'glint-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GlintError);
  return (err as GlintError).code;
}

describe('sha256File', () => {
  it('matches a one-shot hash, across many stream chunks', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) & 0xff;
    const path = join(dir, 'big.bin');
    writeFileSync(path, data);
    expect(await sha256File(path)).toBe(createHash('sha256').update(data).digest('hex'));
  });
  it('hashes an empty file to the SHA-256 of nothing', async () => {
    const path = join(dir, 'empty');
    writeFileSync(path, '');
    expect(await sha256File(path)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
  it('gives readable errors for a vanished file, a folder and a link loop', async () => {
    expect(await codeOf(sha256File(join(dir, 'nope.jpg')))).toBe('file-vanished');
    mkdirSync(join(dir, 'sub'));
    expect(await codeOf(sha256File(join(dir, 'sub')))).toBe('file-is-directory');
    symlinkSync('loop', join(dir, 'loop'));
    expect(await codeOf(sha256File(join(dir, 'loop')))).toBe('file-symlink-loop');
    const err = await sha256File(join(dir, 'nope.jpg')).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/nope\.jpg is gone/);
  });
});

describe('statFile', () => {
  it('returns size and mtime', async () => {
    const path = join(dir, 'a.txt');
    writeFileSync(path, 'hello');
    const s = await statFile(path);
    expect(s.size).toBe(5);
    expect(Math.abs(s.mtimeMs - Date.now())).toBeLessThan(60_000);
  });
  it('rejects folders, vanished files and link loops with their own codes', async () => {
    expect(await codeOf(statFile(dir))).toBe('file-is-directory');
    expect(await codeOf(statFile(join(dir, 'gone')))).toBe('file-vanished');
    symlinkSync('loop2', join(dir, 'loop2'));
    expect(await codeOf(statFile(join(dir, 'loop2')))).toBe('file-symlink-loop');
  });
});

describe('readFileOnce', () => {
  it('reads the bytes once and hashes exactly them, with the stat they belong to', async () => {
    const path = join(dir, 'once.jpg');
    const bytes = Buffer.from('the whole photo');
    writeFileSync(path, bytes);
    const read = await readFileOnce(path);
    expect(read.bytes.equals(bytes)).toBe(true);
    expect(read.hash).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(read.size).toBe(bytes.length);
    expect(typeof read.dev).toBe('number');
  });

  it('refuses a file over the cap before reading it, and names a vanished file', async () => {
    const path = join(dir, 'huge.tif');
    writeFileSync(path, Buffer.alloc(2048));
    await expect(readFileOnce(path, 1024)).rejects.toMatchObject({ code: 'file-too-large' });
    await expect(readFileOnce(join(dir, 'nope.jpg'))).rejects.toMatchObject({ code: 'file-vanished' });
  });
});
