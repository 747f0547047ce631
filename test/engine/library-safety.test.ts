/**
 * The situations that used to lose a user's library, each through the real `glint` command (real
 * processes, real SQLite, real photos): absence is not deletion, user tags outlive their file, a library
 * is one relocatable folder, one writer at a time, a file rewritten while it is read, a damaged
 * database, a full disk.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/engine/store/index.ts';
import { giveToOther, glint, glintBackground, json, type GlintRun } from '../helpers/glint-cli.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR } from '../helpers/shared-data.ts';
import { tinyModels } from '../helpers/standin-models.ts';

interface IndexJson {
  ok: boolean;
  seen: number;
  queued: number;
  removed: number;
  kept: number;
  unavailable: Array<{ path: string; state: string; stateReason: string }>;
  photos: number;
}

/** Whether this machine lets the tests mount a tmpfs (root in a container that allows it). */
function canMount(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'glint-mnt-probe-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
  if (r.status === 0) spawnSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
  return r.status === 0;
}

const MOUNT = HAS_SHARED_DATA && canMount();

/** Item ids of the photos under `dir`, by path: unchanged ids mean nothing was re-encoded. */
function photoItems(library: string, dir: string): Map<string, number> {
  const store = openStore(join(library, 'glint.db'), { readonly: true });
  try {
    const rows = store.db
      .prepare(
        "SELECT f.path, i.id FROM items i JOIN files f ON f.id = i.file_id WHERE i.kind = 'photo' AND f.path LIKE ?",
      )
      .all(`${dir}/%`) as Array<{ path: string; id: number }>;
    return new Map(rows.map((r) => [r.path, r.id]));
  } finally {
    store.close();
  }
}

/** The user tags of the photo at `path`. */
function userTags(library: string, path: string): string[] {
  const store = openStore(join(library, 'glint.db'), { readonly: true });
  try {
    return store.db
      .prepare(
        `SELECT t.name FROM item_tags it JOIN tags t ON t.id = it.tag_id JOIN items i ON i.id = it.item_id
         JOIN files f ON f.id = i.file_id WHERE f.path = ? AND it.source = 'user' ORDER BY t.name`,
      )
      .pluck()
      .all(path) as string[];
  } finally {
    store.close();
  }
}

function expectOk(run: GlintRun): GlintRun {
  expect(run.signal, run.stderr).toBeNull();
  expect(run.code, run.stderr).toBe(0);
  return run;
}

describe.skipIf(!HAS_SHARED_DATA)('a library that loses nothing (real glint processes, real photos)', () => {
  const root = mkdtempSync(join(tmpdir(), 'glint-safety-'));
  const photoFiles = readdirSync(PHOTOS_DIR)
    .filter((f) => f.endsWith('.jpg'))
    .sort();
  let models: string;

  /** A folder of `n` real photos under the test root. */
  function photoFolder(name: string, n: number, from = 0): string {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    for (const f of photoFiles.slice(from, from + n)) copyFileSync(join(PHOTOS_DIR, f), join(dir, f));
    return dir;
  }

  /** The arguments of a glint run on `library` with the test models (JSON output unless `json` is false). */
  const cliArgs =
    (library: string, json = true) =>
    (...args: string[]): string[] => [
      '--library',
      library,
      '--models',
      models,
      ...(json ? ['--json'] : []),
      ...args,
    ];

  beforeAll(async () => {
    chmodSync(root, 0o755);
    models = await tinyModels(join(root, 'models'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('an unreadable folder keeps its photos and tags, and comes back without re-encoding', () => {
    const photos = photoFolder('unreadable-photos', 12);
    const library = join(root, 'unreadable-library');
    const g = cliArgs(library);
    expectOk(glint(g('index', photos)));
    const tagged = join(photos, photoFiles[0] as string);
    expectOk(glint(g('tag', 'add', tagged, 'Max')));
    const before = photoItems(library, photos);
    expect(before.size).toBe(12);

    // As root chmod locks nobody out, so glint runs as another user from here on.
    giveToOther(library);
    giveToOther(photos);
    chmodSync(photos, 0o000);
    try {
      const locked = json<IndexJson>(expectOk(glint(g('index'), { asOther: true })));
      expect(locked).toMatchObject({ removed: 0, kept: 12, photos: 12 });
      expect(locked.unavailable).toEqual([
        expect.objectContaining({
          path: photos,
          state: 'unreadable',
          stateReason: expect.stringMatching(/permission/),
        }),
      ]);
      const search = json<{ results: unknown[] }>(expectOk(glint(g('search', 'a dog'), { asOther: true })));
      expect(search.results).toHaveLength(12);
    } finally {
      chmodSync(photos, 0o755);
    }
    expect(userTags(library, tagged)).toEqual(['Max']);
    const back = json<IndexJson>(expectOk(glint(g('index'), { asOther: true })));
    expect(back).toMatchObject({ queued: 0, removed: 0, kept: 0, unavailable: [], photos: 12 });
    expect(photoItems(library, photos)).toEqual(before);
    expect(userTags(library, tagged)).toEqual(['Max']);
  }, 120_000);

  it('a missing library folder empties nothing, and a photo that left comes back with its tags', () => {
    const photos = photoFolder('missing-photos', 10);
    const library = join(root, 'missing-library');
    const g = cliArgs(library);
    expectOk(glint(g('index', photos)));
    const tagged = join(photos, photoFiles[1] as string);
    expectOk(glint(g('tag', 'add', tagged, 'Lisbon')));
    const before = photoItems(library, photos);

    renameSync(photos, `${photos}-unplugged`);
    const gone = json<IndexJson>(expectOk(glint(g('index'))));
    expect(gone).toMatchObject({ removed: 0, kept: 10, photos: 10 });
    expect(gone.unavailable[0]).toMatchObject({
      state: 'offline',
      stateReason: expect.stringMatching(/plugged in/),
    });
    const folders = json<{ folders: Array<{ state: string; stateSince: number }> }>(
      expectOk(glint(g('folders'))),
    );
    expect(folders.folders[0]?.state).toBe('offline');
    expect(folders.folders[0]?.stateSince).toBeGreaterThan(0);
    renameSync(`${photos}-unplugged`, photos);
    expect(json<IndexJson>(expectOk(glint(g('index'))))).toMatchObject({ queued: 0, removed: 0, kept: 0 });
    expect(photoItems(library, photos)).toEqual(before);

    // A photo really deleted leaves the index, but its user tag is kept by content and comes back.
    const saved = readFileSync(tagged);
    rmSync(tagged);
    expect(json<IndexJson>(expectOk(glint(g('index'))))).toMatchObject({ removed: 1, photos: 9 });
    const status = json<{ keptTags: { tags: number; days: number } }>(expectOk(glint(g('status'))));
    expect(status.keptTags).toMatchObject({ tags: 1, days: 180 });
    const restored = join(photos, 'restored-from-backup.jpg');
    writeFileSync(restored, saved);
    expectOk(glint(g('index')));
    expect(userTags(library, restored)).toEqual(['Lisbon']);
  }, 120_000);

  it.skipIf(!MOUNT)(
    'a drive unmounted under a library folder is offline, and nothing is removed or re-encoded',
    () => {
      const top = photoFolder('mounted-photos', 3);
      const usb = join(top, 'usb');
      mkdirSync(usb);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', usb]);
      try {
        for (const f of photoFiles.slice(3, 7)) copyFileSync(join(PHOTOS_DIR, f), join(usb, f));
        const library = join(root, 'mounted-library');
        const g = cliArgs(library);
        expectOk(glint(g('index', top)));
        const before = photoItems(library, usb);
        expect(before.size).toBe(4);
        execFileSync('umount', [usb]);
        const unplugged = json<IndexJson>(expectOk(glint(g('index'))));
        expect(unplugged).toMatchObject({ removed: 0, kept: 4, photos: 7 });
        expect(unplugged.unavailable[0]).toMatchObject({
          state: 'offline',
          stateReason: expect.stringMatching(/not mounted/),
        });
        // Plugged in again: a new mount (another device number), the same photos copied back.
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', usb]);
        for (const f of photoFiles.slice(3, 7)) copyFileSync(join(PHOTOS_DIR, f), join(usb, f));
        expect(json<IndexJson>(expectOk(glint(g('index'))))).toMatchObject({ removed: 0, unavailable: [] });
        expect(photoItems(library, usb)).toEqual(before);
      } finally {
        spawnSync('umount', [usb]);
      }
    },
    120_000,
  );

  it('a copied library that refits its head leaves the original searchable; a moved library still searches', () => {
    const photos = photoFolder('copy-photos', 20);
    const more = photoFolder('copy-more', 20, 20);
    const original = join(root, 'copy-original');
    const g = (library: string, ...args: string[]): string[] => cliArgs(library)(...args);
    expectOk(glint(g(original, 'index', photos)));
    const copy = join(root, 'copy-copy');
    cpSync(original, copy, { recursive: true });
    // Twice the photos: the copy refits its default head and deletes its old one.
    expectOk(glint(g(copy, 'index', more)));
    const copied = json<{ head: { id: string } }>(expectOk(glint(g(copy, 'status'))));
    const kept = json<{ head: { id: string; dir: string } }>(expectOk(glint(g(original, 'status'))));
    expect(copied.head.id).not.toBe(kept.head.id);
    expect(existsSync(kept.head.dir)).toBe(true);
    expect(
      json<{ results: unknown[] }>(expectOk(glint(g(original, 'search', 'a dog')))).results,
    ).toHaveLength(20);

    const moved = join(root, 'copy-moved');
    renameSync(original, moved);
    const there = json<{ head: { dir: string } }>(expectOk(glint(g(moved, 'status'))));
    expect(there.head.dir.startsWith(moved)).toBe(true);
    expect(json<{ results: unknown[] }>(expectOk(glint(g(moved, 'search', 'a dog')))).results).toHaveLength(
      20,
    );
    expect(json<{ ok: boolean }>(expectOk(glint(g(moved, 'doctor')))).ok).toBe(true);
  }, 180_000);

  it('one writer: a second writer is refused naming the holder; readers work beside it', async () => {
    const photos = photoFolder('writers-photos', 6);
    const library = join(root, 'writers-library');
    const g = cliArgs(library, false);
    expectOk(glint(g('index', photos)));
    const server = glintBackground(g('serve', '--port', '0'));
    try {
      await new Promise<void>((resolve, reject) => {
        let seen = '';
        const timer = setTimeout(() => reject(new Error(`glint serve did not start: ${seen}`)), 60_000);
        server.stdout?.on('data', (d: Buffer) => {
          seen += d.toString();
          if (seen.includes('running at')) {
            clearTimeout(timer);
            resolve();
          }
        });
        server.once('exit', (code) => reject(new Error(`glint serve exited (${code}): ${seen}`)));
      });
      const second = glint(g('--json', 'index'));
      expect(second.code).toBe(4);
      expect(json<{ error: { code: string; message: string } }>(second).error).toMatchObject({
        code: 'library-busy',
        message: expect.stringContaining('glint serve'),
      });
      // NOTE: the refusal comes before any model loads; the rest of the time is Node starting.
      expect(second.ms).toBeLessThan(10_000);
      const tag = glint(g('tag', 'add', join(photos, photoFiles[0] as string), 'Max'));
      expect(tag.code).toBe(4);
      expect(
        json<{ results: unknown[] }>(expectOk(glint(g('--json', 'search', 'a dog')))).results,
      ).toHaveLength(6);
      expect(json<{ photos: number }>(expectOk(glint(g('--json', 'status')))).photos).toBe(6);
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    // The holder is gone: writing works again.
    expectOk(glint(g('tag', 'add', join(photos, photoFiles[0] as string), 'Max')));
  }, 180_000);

  it('a photo rewritten over and over while it is indexed never crashes glint, and the final hash is the final content', async () => {
    const photos = photoFolder('rewrite-photos', 8);
    const library = join(root, 'rewrite-library');
    const g = cliArgs(library);
    const target = join(photos, 'rewritten.jpg');
    // Two large versions (about 6 MB each): a decoder maps a file this size, so a rewrite mid-read is felt.
    const noise = (seed: number): Buffer => {
      const raw = Buffer.alloc(2400 * 1600 * 3);
      let x = seed;
      for (let i = 0; i < raw.length; i++) raw[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
      return raw;
    };
    const versions = await Promise.all(
      [1, 2].map((seed) =>
        sharp(noise(seed), { raw: { width: 2400, height: 1600, channels: 3 } })
          .jpeg({ quality: 95 })
          .toBuffer(),
      ),
    );
    const versionHashes = versions.map((v) => createHash('sha256').update(v).digest('hex'));
    const storedHash = (): unknown => {
      const store = openStore(join(library, 'glint.db'), { readonly: true });
      try {
        return store.db.prepare('SELECT hash FROM files WHERE path = ?').pluck().get(target);
      } finally {
        store.close();
      }
    };
    writeFileSync(target, versions[0] as Buffer);
    // Another process cuts the file short and rewrites it in place, over and over.
    const versionFiles = [join(root, 'rewrite-a.jpg'), join(root, 'rewrite-b.jpg')];
    versions.forEach((v, i) => writeFileSync(versionFiles[i] as string, v));
    const script = `
      const fs = require('node:fs');
      const [target, a, b] = process.argv.slice(1);
      const versions = [fs.readFileSync(a), fs.readFileSync(b)];
      let writes = 0;
      process.on('SIGTERM', () => { console.log(writes); process.exit(0); });
      setInterval(() => {
        const bytes = versions[writes % 2];
        // Cut short, then written whole again: a reader in between sees a truncated file.
        const fd = fs.openSync(target, 'r+');
        fs.ftruncateSync(fd, 1000);
        fs.writeSync(fd, bytes, 0, bytes.length, 0);
        fs.closeSync(fd);
        writes++;
      }, 1);`;
    const writer = spawn(process.execPath, ['-e', script, target, ...versionFiles], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let printed = '';
    writer.stdout.on('data', (d: Buffer) => (printed += d.toString()));
    try {
      for (let run = 0; run < 3; run++) {
        const r = glint(g('index', photos));
        expect(r.signal, r.stderr).toBeNull();
        expect(r.code, r.stderr).toBe(0);
        // What was stored is one whole version, never a mix of two.
        const hash = storedHash();
        if (hash !== undefined) expect(versionHashes).toContain(hash);
      }
    } finally {
      writer.kill('SIGTERM');
      await new Promise((resolve) => writer.once('exit', resolve));
    }
    const writes = Number(printed.trim());
    expect(writes).toBeGreaterThan(10);
    expectOk(glint(g('index', photos)));
    expect(storedHash()).toBe(createHash('sha256').update(readFileSync(target)).digest('hex'));
  }, 180_000);

  it('damage in the middle of the database is db-corrupt with advice, never a stack trace', () => {
    const photos = photoFolder('corrupt-photos', 12);
    const library = join(root, 'corrupt-library');
    const g = cliArgs(library);
    expectOk(glint(g('index', photos)));
    const db = join(library, 'glint.db');
    const size = statSync(db).size;
    const fd = openSync(db, 'r+');
    // Every page but the first: the schema survives, the tables do not.
    const junk = Buffer.alloc(size - 8192, 0xa5);
    writeSync(fd, junk, 0, junk.length, 4096);
    closeSync(fd);
    for (const cmd of [['doctor'], ['search', 'a dog'], ['index']]) {
      const r = glint(g(...cmd));
      expect(r.code, `${cmd.join(' ')}: ${r.stderr}`).toBe(4);
      expect(json<{ error: { code: string; message: string } }>(r).error).toMatchObject({
        code: 'db-corrupt',
        message: expect.stringMatching(/damaged.*Nothing was/),
      });
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  }, 120_000);

  it.skipIf(!MOUNT)(
    'a full disk is named as a full disk, not as a photo that could not be decoded',
    () => {
      const photos = photoFolder('full-photos', 24);
      const library = join(root, 'full-library');
      mkdirSync(library);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=400k', 'tmpfs', library]);
      try {
        const r = glint(cliArgs(library)('index', photos));
        expect(r.signal).toBeNull();
        expect(`${r.stdout}${r.stderr}`).not.toMatch(/could not be decoded/);
        if (r.code === 0) {
          const status = json<{ recentErrors: Array<{ stage: string; code: string; message: string }> }>(
            expectOk(glint(cliArgs(library)('status'))),
          );
          expect(status.recentErrors.length).toBeGreaterThan(0);
          for (const e of status.recentErrors) expect(e).toMatchObject({ stage: 'store', code: 'disk-full' });
        } else {
          expect(r.code).toBe(4);
          expect(json<{ error: { code: string } }>(r).error.code).toBe('disk-full');
        }
      } finally {
        spawnSync('umount', [library]);
      }
    },
    120_000,
  );
});
