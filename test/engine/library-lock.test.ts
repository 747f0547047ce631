import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLibraryLock, lockFilePath, lockHolder } from '../../src/engine/library-lock.ts';
import { GlintError } from '../../src/engine/errors.ts';

describe('library lock', () => {
  const root = mkdtempSync(`${tmpdir()}/glint-lock-`);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('names its holder, refuses a second writer with library-busy, and is free again after release', () => {
    const lock = acquireLibraryLock(root, '`glint serve`');
    expect(JSON.parse(readFileSync(lockFilePath(root), 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
      command: '`glint serve`',
    });
    expect(lockHolder(root)?.pid).toBe(process.pid);
    let refused: unknown;
    try {
      acquireLibraryLock(root, '`glint index`');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(GlintError);
    expect(refused).toMatchObject({
      code: 'library-busy',
      message: expect.stringContaining('`glint serve` (process'),
    });
    lock.release();
    lock.release();
    expect(existsSync(lockFilePath(root))).toBe(false);
    expect(lockHolder(root)).toBeUndefined();
    acquireLibraryLock(root, 'again').release();
  });

  it('takes over at once from a holder that died (kill -9), never from a live one', () => {
    // A real process that has exited: its pid is free.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(dead.stdout);
    writeFileSync(
      lockFilePath(root),
      JSON.stringify({ pid: deadPid, host: hostname(), command: '`glint index`', since: 1 }),
    );
    expect(lockHolder(root)).toBeUndefined();
    const lock = acquireLibraryLock(root, 'after a crash');
    expect(lockHolder(root)?.command).toBe('after a crash');
    lock.release();

    // The parent of this test process is alive: its lock is respected.
    writeFileSync(
      lockFilePath(root),
      JSON.stringify({ pid: process.ppid, host: hostname(), command: 'the Glint app', since: 2 }),
    );
    expect(() => acquireLibraryLock(root, 'intruder')).toThrow(/the Glint app/);
    rmSync(lockFilePath(root));
  });
});
