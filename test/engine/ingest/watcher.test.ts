import {
  appendFileSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GlintError } from '../../../src/engine/errors.ts';
import { watchFolders } from '../../../src/engine/ingest/watcher.ts';

const root = mkdtempSync(join(tmpdir(), 'glint-watch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Seen {
  event: 'add' | 'change' | 'unlink';
  path: string;
  kind: string;
  at: number;
  size?: number;
}

describe('watchFolders', () => {
  it('reports adds (after a slow chunked write finishes), changes, unlinks, renames and sidecar changes; ignores the rest', async () => {
    // Files that exist before watching starts: not reported as adds.
    const w = (p: string, data: string | Buffer = 'x'): void => {
      mkdirSync(join(root, p, '..'), { recursive: true });
      writeFileSync(join(root, p), data);
    };
    w('notes/today.md', '# Today\n');
    w('old.jpg');
    w('a.jpg', 'aaaa');
    w('IMG_1.jpg');
    w('IMG_2.jpg');
    w('IMG_2.jpg.xmp', '<x:xmpmeta/>');
    symlinkSync(root, join(root, 'notes/loop')); // a link loop: must not hang the watcher

    const seen: Seen[] = [];
    const errors: GlintError[] = [];
    const t0 = Date.now();
    const record =
      (event: Seen['event']) =>
      (path: string, kind: string): void => {
        let size: number | undefined;
        try {
          size = statSync(path).size;
        } catch {
          size = undefined;
        }
        seen.push({
          event,
          path: relative(root, path),
          kind,
          at: Date.now() - t0,
          ...(size !== undefined ? { size } : {}),
        });
      };
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    const watcher = watchFolders([root], {
      onAdd: record('add'),
      onChange: record('change'),
      onUnlink: record('unlink'),
      onError: (e) => errors.push(e),
      onReady: () => ready(),
    });
    try {
      await isReady;

      // A large file copied slowly: 6 chunks of 64 KiB over ~1 s.
      const chunk = Buffer.alloc(64 * 1024, 7);
      const slowCopy = (async () => {
        const fd = openSync(join(root, 'big.jpg'), 'w');
        for (let i = 0; i < 6; i++) {
          writeSync(fd, chunk);
          await sleep(200);
        }
        closeSync(fd);
        return Date.now() - t0;
      })();

      appendFileSync(join(root, 'notes/today.md'), 'walked the dog\n');
      unlinkSync(join(root, 'old.jpg'));
      renameSync(join(root, 'a.jpg'), join(root, 'b.jpg'));
      writeFileSync(join(root, 'IMG_1.xmp'), '<x:xmpmeta/>'); // new sidecar, stem form
      appendFileSync(join(root, 'IMG_2.jpg.xmp'), ' '); // changed sidecar, full form
      w('.hidden/secret.jpg');
      w('notes/.draft.md');
      w('report.pdf');
      w('.DS_Store');
      w('Thumbs.db');
      const copyDone = await slowCopy;

      const expected = [
        'add big.jpg',
        'change notes/today.md',
        'unlink old.jpg',
        'unlink a.jpg',
        'add b.jpg',
        'change IMG_1.jpg',
        'change IMG_2.jpg',
      ];
      const deadline = Date.now() + 7000;
      const names = (): string[] => seen.map((s) => `${s.event} ${s.path}`);
      while (Date.now() < deadline && !expected.every((e) => names().includes(e))) await sleep(50);
      await sleep(300); // room for duplicates or stray events to show up

      expect(names().sort()).toEqual([...expected].sort());
      const big = seen.find((s) => s.path === 'big.jpg');
      expect(big?.kind).toBe('photo');
      expect(big?.size).toBe(6 * 64 * 1024); // complete when reported
      expect(big?.at).toBeGreaterThanOrEqual(copyDone);
      expect(seen.find((s) => s.path === 'IMG_1.jpg')?.kind).toBe('photo');
      expect(seen.find((s) => s.path === 'notes/today.md')?.kind).toBe('note');
      // The ELOOP of the loop link is the only thing allowed in errors.
      expect(errors.every((e) => e.code === 'file-symlink-loop')).toBe(true);
    } finally {
      await watcher.close();
    }
  }, 15_000);

  it('adds and removes roots while running', async () => {
    const a = join(root, 'rootA');
    const b = join(root, 'rootB');
    mkdirSync(a);
    mkdirSync(b);
    const adds: string[] = [];
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    const watcher = watchFolders(
      [a],
      { onAdd: (p) => adds.push(relative(root, p)), onReady: () => ready() },
      { writeFinishMs: 300 },
    );
    try {
      await isReady;
      watcher.add(b);
      await sleep(300);
      writeFileSync(join(b, 'in-b.png'), 'x');
      watcher.remove(a);
      writeFileSync(join(a, 'in-a.png'), 'x');
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline && !adds.includes('rootB/in-b.png')) await sleep(50);
      await sleep(500);
      expect(adds).toEqual(['rootB/in-b.png']);
    } finally {
      await watcher.close();
    }
  });
});
