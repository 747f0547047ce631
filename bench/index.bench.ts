/**
 * `npm run bench:index`: photos per second through decode + CLIP preprocessing + the ViT-B/32-shaped
 * stand-in image encoder, against the encoder alone on pre-decoded tensors (the ceiling), and the whole
 * engine index pass (thumbnails, metadata, SQLite) for context. Medians over repeated runs.
 *
 * Flags: --photos N (default: all 51 shared photos), --runs N (default 5), --batch N (default 8).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ClipEncoders } from '../src/engine/clip/encoders.ts';
import { resolveModelFolder } from '../src/engine/clip/model-folder.ts';
import { loadPreprocessConfig } from '../src/engine/clip/preprocess-config.ts';
import { writeStandinClip } from '../src/engine/clip/standin.ts';
import { Engine } from '../src/engine/engine.ts';
import { preprocessForClip } from '../src/engine/image/sharp-image.ts';

const { values } = parseArgs({
  options: {
    photos: { type: 'string' },
    runs: { type: 'string', default: '5' },
    batch: { type: 'string', default: '8' },
  },
});
const runs = Number(values.runs);
const batch = Number(values.batch);
const shared = resolve(process.cwd(), '../shared/data');
const photosDir = join(shared, 'photos');
if (!existsSync(photosDir)) {
  console.error(`bench:index needs the shared photos at ${photosDir}`);
  process.exit(2);
}
const photos = readdirSync(photosDir)
  .filter((f) => f.endsWith('.jpg'))
  .slice(0, values.photos ? Number(values.photos) : undefined)
  .map((f) => join(photosDir, f));

const modelsDir = resolve('bench/.cache/standin-vit-b-32');
if (!existsSync(join(modelsDir, 'onnx', 'text_model.onnx'))) {
  console.log('writing the ViT-B/32-shaped stand-in models (once, cached in bench/.cache) …');
  await writeStandinClip(modelsDir, 'vit-b-32', { seed: 1 });
}
for (const name of readdirSync(join(shared, 'clip-tokenizer'))) {
  if (/\.(json|txt)$/.test(name)) copyFileSync(join(shared, 'clip-tokenizer', name), join(modelsDir, name));
}

const folder = resolveModelFolder(modelsDir);
const encoders = await ClipEncoders.load(folder);
const config = await loadPreprocessConfig(modelsDir);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

async function pipeline(): Promise<void> {
  for (let i = 0; i < photos.length; i += batch) {
    const group = photos.slice(i, i + batch);
    const tensors = await Promise.all(group.map((p) => preprocessForClip(p, config)));
    const pixels = new Float32Array(tensors.reduce((n, t) => n + t.length, 0));
    tensors.reduce((offset, t) => (pixels.set(t, offset), offset + t.length), 0);
    await encoders.encodePixels(pixels, group.length);
  }
}

const decoded = await Promise.all(photos.map((p) => preprocessForClip(p, config)));
async function encoderOnly(): Promise<void> {
  for (let i = 0; i < decoded.length; i += batch) {
    const group = decoded.slice(i, i + batch);
    const pixels = new Float32Array(group.reduce((n, t) => n + t.length, 0));
    group.reduce((offset, t) => (pixels.set(t, offset), offset + t.length), 0);
    await encoders.encodePixels(pixels, group.length);
  }
}

// The engine stays open across runs (models loaded once, as in the app); each run indexes the folder
// from scratch: the folder is removed and purged for good after each run.
const lib = mkdtempSync(join(tmpdir(), 'glint-bench-'));
const folderCopy = join(lib, 'photos');
mkdirSync(folderCopy);
for (const p of photos) copyFileSync(p, join(folderCopy, p.split('/').pop() as string));
const engine = await Engine.open({ libraryDir: join(lib, 'library'), modelsDir });
async function engineIndex(): Promise<void> {
  await engine.ingest.index([folderCopy]);
  await engine.folders.remove(folderCopy);
  await engine.folders.purgeRemoved();
}

await encoderOnly(); // warm-up: session creation and first-run allocations
await pipeline();
await engineIndex();
// NOTE: runs are interleaved (A B C A B C …) so that load from other processes hits every path alike.
const paths = [
  ['encoder alone (pre-decoded tensors, ceiling)', () => timed(encoderOnly)],
  ['decode + preprocess + encoder', () => timed(pipeline)],
  ['engine index pass (+ thumbnails, metadata, SQLite, hashing)', () => timed(engineIndex)],
] as const;
const times: number[][] = paths.map(() => []);
for (let r = 0; r < runs; r++) {
  for (const [i, [, fn]] of paths.entries()) times[i]?.push(await fn());
}
const rows: Array<[string, number]> = paths.map(([label], i) => [
  label,
  photos.length / median(times[i] ?? []),
]);

await engine.close();
rmSync(lib, { recursive: true, force: true });

const ceiling = rows[0]?.[1] ?? 1;
console.log(
  `\n${photos.length} photos (~640×480 JPEG), batch ${batch}, ${runs} runs, median; ViT-B/32-shaped stand-in, CPU`,
);
console.log(`${'path'.padEnd(62)} ${'photos/s'.padStart(9)} ${'vs ceiling'.padStart(11)}`);
for (const [label, rate] of rows) {
  console.log(
    `${label.padEnd(62)} ${rate.toFixed(2).padStart(9)} ${`${((rate / ceiling) * 100).toFixed(0)}%`.padStart(11)}`,
  );
}
