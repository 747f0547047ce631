import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/engine/store/index.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../helpers/shared-data.ts';
import { tinyModels } from '../helpers/standin-models.ts';

const GLINT = resolve('bin/glint');

function glint(
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(GLINT, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!HAS_SHARED_DATA)('glint CLI (tiny stand-in CLIP, the 51 shared photos)', () => {
  const root = mkdtempSync(join(tmpdir(), 'glint-cli-'));
  const photos = join(root, 'photos');
  const notes = join(root, 'notes');
  const library = join(root, 'library');
  let models: string;
  const base = (): string[] => ['--library', library, '--models', models];

  beforeAll(async () => {
    mkdirSync(photos);
    mkdirSync(notes);
    for (const p of photoManifest()) {
      copyFileSync(join(PHOTOS_DIR, p.file), join(photos, p.file));
      writeFileSync(join(notes, p.file.replace('.jpg', '.txt')), p.captions.join('\n'));
    }
    models = await tinyModels(join(root, 'models'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('an indexer killed with SIGKILL mid-run resumes and finishes with no duplicate items', async () => {
    const child = spawn(GLINT, [...base(), 'index', photos], { stdio: 'ignore' });
    // Kill it once some photos are in, well before all 51 are.
    const deadline = Date.now() + 60_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      let photosIn = 0;
      try {
        const store = openStore(join(library, 'glint.db'));
        photosIn = (
          store.db.prepare("SELECT count(*) AS n FROM items WHERE kind = 'photo'").get() as { n: number }
        ).n;
        store.close();
      } catch {
        // the database may not exist yet
      }
      if (photosIn >= 5 || Date.now() > deadline) break;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const store = openStore(join(library, 'glint.db'));
    const partial = (
      store.db.prepare("SELECT count(*) AS n FROM items WHERE kind = 'photo'").get() as { n: number }
    ).n;
    store.close();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(51);

    const resumed = glint([...base(), '--json', 'index', photos, notes]);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as { photos: number; failed: number };
    expect(summary.photos).toBe(51);
    expect(summary.failed).toBe(0);
    const check = openStore(join(library, 'glint.db'));
    const dupes = check.db
      .prepare(
        "SELECT count(*) AS n FROM (SELECT file_id FROM items WHERE kind = 'photo' GROUP BY file_id HAVING count(*) > 1)",
      )
      .get() as { n: number };
    const files = check.db.prepare('SELECT count(*) AS n, count(DISTINCT path) AS d FROM files').get() as {
      n: number;
      d: number;
    };
    check.close();
    expect(dupes.n).toBe(0);
    expect(files.n).toBe(files.d);
  }, 180_000);

  it('timeline --json lists photos by date with where each date came from', () => {
    const r = glint([...base(), 'timeline', '--json', '-k', '5']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      total: number;
      undated: number;
      months: Array<{ count: number }>;
      photos: Array<{ path: string; takenAt: number; takenSource: string }>;
    };
    expect(out.total).toBe(51);
    expect(out.months.reduce((n, m) => n + m.count, 0)).toBe(51);
    expect(out.photos).toHaveLength(5);
    // The shared photos have no capture date and numeric names: their dates are their files' mtimes.
    expect(new Set(out.photos.map((p) => p.takenSource))).toEqual(new Set(['mtime']));
    const times = out.photos.map((p) => p.takenAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(glint([...base(), 'timeline', '-k', '0']).code).toBe(2);
  });

  it('search --json returns ranked photos with paths and distances', () => {
    const r = glint([...base(), 'search', 'a dog', '--json', '-k', '10', '--all']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      results: Array<{ rank: number; path: string; distance: number; kind: string }>;
    };
    expect(out.ok).toBe(true);
    expect(out.results).toHaveLength(10);
    expect(out.results.map((x) => x.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(
      out.results.every(
        (x) => x.kind === 'photo' && x.path.startsWith(photos) && Number.isInteger(x.distance),
      ),
    ).toBe(true);
  });

  it('search --order newest lists the first k of every match by date, saying how many there are', () => {
    const args = [...base(), 'search', 'a dog', '--radius', '64', '--order', 'newest', '-k', '5'];
    const out = JSON.parse(glint([...args, '--json']).stdout) as {
      total: number;
      results: Array<{ takenAt: number }>;
    };
    // Every photo is within 64 bits; the first five of all 51 by date, not of the nearest five.
    expect(out.total).toBe(51);
    expect(out.results).toHaveLength(5);
    const times = out.results.map((x) => x.takenAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const newest = JSON.parse(glint([...base(), 'timeline', '--json', '-k', '5']).stdout) as {
      photos: Array<{ takenAt: number }>;
    };
    expect(times).toEqual(newest.photos.map((p) => p.takenAt));
    expect(glint(args).stdout).toMatch(/^5 of 51 close matches \(distance ≤ 64\) by date/);
  });

  it('search combines a phrase, --like and --not, and keeps to a radius', () => {
    const photo = join(photos, photoManifest()[0]!.file);
    const args = [
      ...base(),
      '--json',
      'search',
      'a dog',
      '--like',
      photo,
      '--not',
      'a city street',
      '-k',
      '51',
    ];
    const wide = JSON.parse(glint([...args, '--radius', '64']).stdout) as {
      radius: number;
      nearestOnly: boolean;
      query: unknown[];
      results: Array<{ path: string; distance: number }>;
    };
    expect(wide.query).toEqual([
      { text: 'a dog', weight: 1 },
      { image: photo, weight: 1 },
      { text: 'a city street', weight: -1 },
    ]);
    expect(wide.radius).toBe(64);
    // Every photo but the query photo itself (an indexed image term is left out of its own results).
    expect(wide.results).toHaveLength(50);
    expect(wide.results.some((r) => r.path === photo)).toBe(false);
    const near = JSON.parse(glint([...args, '--radius', '0']).stdout) as typeof wide;
    expect(near.radius).toBe(0);
    expect(near.nearestOnly || near.results.every((r) => r.distance === 0)).toBe(true);
    expect(near.results.length).toBeLessThanOrEqual(20);
    expect(glint([...args, '--radius', 'x']).code).toBe(2);
  });

  it('similar returns note items for a photo', () => {
    const photo = join(photos, photoManifest()[0]!.file);
    const r = glint([...base(), '--json', 'similar', photo]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { notes: Array<{ kind: string; text: string; path: string }> };
    expect(out.notes.length).toBeGreaterThan(0);
    expect(
      out.notes.every((n) => n.kind === 'note_chunk' && n.path.startsWith(notes) && n.text.length > 0),
    ).toBe(true);
  });

  it('status lists a corrupt JPEG and indexing carries on past it', () => {
    const good = readFileSync(join(photos, photoManifest()[0]!.file));
    writeFileSync(join(photos, 'broken.jpg'), good.subarray(0, 2000));
    const idx = glint([...base(), '--json', 'index']);
    expect(idx.code).toBe(0);
    const st = JSON.parse(glint([...base(), '--json', 'status']).stdout) as {
      photos: number;
      recentErrors: Array<{ path: string; stage: string; message: string }>;
    };
    expect(st.photos).toBe(51);
    const broken = st.recentErrors.find((e) => e.path.endsWith('broken.jpg'));
    expect(broken?.stage).toBe('decode');
    expect(broken?.message.length).toBeGreaterThan(10);
  });

  it('exit codes: 2 for bad usage, 3 for missing models, 6 for an unknown photo', () => {
    expect(glint(['search']).code).toBe(2);
    const missing = glint(['--library', library, '--models', join(root, 'nope'), '--json', 'search', 'x']);
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, error: { code: 'models-missing' } });
    expect(glint([...base(), 'tag', 'add', join(photos, 'nope.jpg'), 'x']).code).toBe(6);
  });

  it('status reads the library without models; a stand-in without a tokenizer is refused before it is written', () => {
    const r = glint(['--library', library, '--models', join(root, 'nope'), '--json', 'status']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, photos: 51, models: null });
    expect(r.stderr).toMatch(/glint models pull/);
    const standin = join(root, 'no-tokenizer');
    const made = glint(['models', 'make-standin', '--size', 'tiny', standin]);
    expect(made.code).toBe(2);
    expect(made.stderr).toMatch(/--tokenizer DIR/);
    expect(existsSync(standin)).toBe(false);
  });
});
