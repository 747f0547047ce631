/**
 * `npm run bench:ingest`: the ingest pipeline on a 20,000-file library, against the code before the
 * one-pipeline rewrite (commit BASELINE, extracted with `git archive` into bench/.cache and imported in
 * the same process, on its own copy of the same library):
 *   1. re-scan of an unchanged library (target ≤ 2 s);
 *   2. removals (target: linear, 20,000 in ≤ 2 s; the old code costs a table scan per removal, so it
 *      is measured at smaller counts, with the time per removal shown);
 *   3. one photo written into a watched folder until a search finds it (target ≤ 3 s after the write
 *      settles; both versions wait the watcher's 2 s for a write to settle first).
 * Medians over interleaved runs. Flags: --files N (default 20000), --runs N (default 3).
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeStandinClip } from '../src/engine/clip/standin.ts';
import { loadVersion } from './ingest-versions.ts';

/** The commit before this pipeline (issue 8). */
const BASELINE = 'a43e4dd';

const { values } = parseArgs({
  options: { files: { type: 'string', default: '20000' }, runs: { type: 'string', default: '3' } },
});
const FILES = Number(values.files);
const RUNS = Number(values.runs);
const shared = resolve(process.cwd(), '../shared/data');
const photo = join(
  shared,
  'photos',
  readdirSync(join(shared, 'photos')).find((f) => f.endsWith('.jpg')) as string,
);

const cache = resolve('bench/.cache');
const baselineDir = join(cache, `baseline-${BASELINE}`);
if (!existsSync(join(baselineDir, 'src/engine/engine.ts'))) {
  console.log(`extracting the baseline (${BASELINE}) into ${baselineDir} …`);
  mkdirSync(baselineDir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${BASELINE} src | tar -x -C "${baselineDir}"`]);
}
const modelsDir = join(cache, 'standin-tiny');
if (!existsSync(join(modelsDir, 'onnx', 'text_model.onnx')))
  await writeStandinClip(modelsDir, 'tiny', { seed: 1 });
for (const name of readdirSync(join(shared, 'clip-tokenizer'))) {
  if (/\.(json|txt)$/.test(name)) copyFileSync(join(shared, 'clip-tokenizer', name), join(modelsDir, name));
}

const versions = {
  baseline: await loadVersion(join(baselineDir, 'src/engine'), 'baseline'),
  current: await loadVersion(resolve('src/engine'), 'current'),
};
type Name = keyof typeof versions;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const root = mkdtempSync(join(tmpdir(), 'glint-bench-ingest-'));

/** A folder of `n` one-byte "photos" (the scan only stats them) plus, when asked, nothing else. */
function fileTree(dir: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  // NOTE: 200 subfolders of 100 files, the shape of a camera-roll library.
  for (let i = 0; i < n; i++) {
    const sub = join(dir, `d${String(Math.floor(i / 100)).padStart(3, '0')}`);
    if (i % 100 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `p${String(i).padStart(6, '0')}.jpg`), 'x');
  }
}

console.log(`building two ${FILES.toLocaleString()}-file libraries (baseline ${BASELINE} and current) …`);
const photos = join(root, 'photos');
fileTree(photos, FILES);
const libraries = {} as Record<Name, string>;
for (const name of Object.keys(versions) as Name[]) {
  libraries[name] = join(root, `library-${name}`);
  await versions[name].populate(libraries[name], modelsDir, photos);
}
console.log(
  `  (one populated library: ${(statSync(join(libraries.current, 'glint.db')).size / 1e6).toFixed(0)} MB)`,
);

// 1. re-scan of the unchanged library.
const scans: Record<Name, number[]> = { baseline: [], current: [] };
for (let r = 0; r < RUNS; r++) {
  for (const name of Object.keys(versions) as Name[]) {
    const { ms, queued } = await versions[name].rescan(libraries[name], photos);
    if (queued !== 0) throw new Error(`${name}: an unchanged re-scan queued ${queued} files`);
    scans[name].push(ms);
  }
}

// 2. removals (each on a fresh copy of the populated library).
const removalCounts = [...new Set([2_000, 4_000, FILES])].filter((n) => n <= FILES);
const removals: Record<Name, Map<number, number>> = { baseline: new Map(), current: new Map() };
for (const n of removalCounts) {
  for (const name of Object.keys(versions) as Name[]) {
    // NOTE: the old drain is quadratic (about 35 s at 8,000); past 4,000 it is not run.
    if (name === 'baseline' && n > 4_000) continue;
    const copy = join(root, `removals-${name}-${n}`);
    execFileSync('cp', ['-r', libraries[name], copy]);
    removals[name].set(n, await versions[name].drainRemovals(copy, modelsDir, photos, n));
    rmSync(copy, { recursive: true, force: true });
  }
}

// 3. one photo written into a watched folder until searchable.
const watched: Record<Name, number[]> = { baseline: [], current: [] };
for (let r = 0; r < RUNS; r++) {
  for (const name of Object.keys(versions) as Name[]) {
    watched[name].push(await versions[name].watchToSearchable(libraries[name], modelsDir, photos, photo, r));
  }
}
rmSync(root, { recursive: true, force: true });

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}×`;
console.log(
  `\n${FILES.toLocaleString()}-file library, ${RUNS} interleaved runs, median; baseline = commit ${BASELINE}`,
);
const rescanB = median(scans.baseline);
const rescanC = median(scans.current);
console.log(
  `re-scan, nothing changed           baseline ${s(rescanB)}   current ${s(rescanC)}   ${ratio(rescanB, rescanC)} faster   (target ≤ 2 s)`,
);
for (const n of removalCounts) {
  const b = removals.baseline.get(n);
  const c = removals.current.get(n) as number;
  console.log(
    `${`${n.toLocaleString()} removals`.padEnd(34)} baseline ${b === undefined ? '  (not run)' : s(b)}   current ${s(c)}` +
      (b === undefined ? '' : `   ${ratio(b, c)} faster`) +
      (n === FILES ? '   (target ≤ 2 s)' : ''),
  );
}
const perRemoval = (m: Map<number, number>): string =>
  [...m].map(([n, ms]) => `${((ms / n) * 1000).toFixed(0)} µs at ${n.toLocaleString()}`).join(', ');
console.log(
  `time per removal                   baseline ${perRemoval(removals.baseline)}; current ${perRemoval(removals.current)}`,
);
const watchB = median(watched.baseline);
const watchC = median(watched.current);
console.log(
  `photo written → searchable          baseline ${s(watchB)}   current ${s(watchC)}   ${ratio(watchB, watchC)} faster   (target ≤ 3 s after the write settles; both include the watcher's 2 s settle wait)`,
);
