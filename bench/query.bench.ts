/**
 * `npm run bench:query`: keystroke to results through the engine's one search call, over a synthetic
 * library of N photos (default 1,000,000: files, items with capture dates, and the default head's codes,
 * all in SQLite), with the ViT-B/32-shaped stand-in CLIP models and the real tokenizer.
 *
 * Prints median and p90 of: the whole search call for a text query (the UI's first page, matches within
 * the radius, literal matches included); the text encoder alone on the same phrases (measured in the same
 * process, the named alternative: how much of the call is the encoder); and the first date-ordered screen
 * of a 100,000-match result (all within a radius that takes them, newest first).
 *
 *   npm run bench:query [-- --n 1000000 --queries 30]
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ClipEncoders } from '../src/engine/clip/encoders.ts';
import { resolveModelFolder } from '../src/engine/clip/model-folder.ts';
import { writeStandinClip } from '../src/engine/clip/standin.ts';
import { Engine } from '../src/engine/engine.ts';
import { createRng } from '../src/engine/onnx/random.ts';
import { openStore } from '../src/engine/store/index.ts';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '1000000' }, queries: { type: 'string', default: '30' } },
});
const N = Number(values.n);
const Q = Number(values.queries);
const shared = resolve('../shared/data');
const cache = resolve('bench/.cache');
const modelsDir = join(cache, 'standin-vit-b-32');
if (!existsSync(join(modelsDir, 'onnx', 'text_model.onnx'))) {
  console.log('writing the ViT-B/32-shaped stand-in models (once, cached in bench/.cache) …');
  await writeStandinClip(modelsDir, 'vit-b-32', { seed: 1 });
}
for (const name of readdirSync(join(shared, 'clip-tokenizer')))
  if (/\.(json|txt)$/.test(name)) copyFileSync(join(shared, 'clip-tokenizer', name), join(modelsDir, name));

const libraryDir = join(cache, `query-library-${N}`);
const PHRASES = [
  'a dog on the beach',
  'sunset over the sea',
  'my grandmother in the kitchen',
  'a red bus in the street',
  'snow in the mountains',
  'birthday cake with candles',
  'a cat asleep on a sofa',
  'people at a wedding',
];

/** Builds the synthetic library once: a default head from the engine, then rows straight into SQLite. */
async function build(): Promise<void> {
  rmSync(libraryDir, { recursive: true, force: true });
  mkdirSync(libraryDir, { recursive: true });
  const engine = await Engine.open({ libraryDir, modelsDir, bits: 64 });
  const head = engine.heads.active;
  const db = engine.paths.db;
  await engine.close();
  const store = openStore(db);
  const rng = createRng(7, 'bench:query');
  const t0 = performance.now();
  store.tx(() => {
    store.db.prepare("INSERT INTO folders(path, added_at) VALUES ('/photos', 0)").run();
    const file = store.db.prepare(
      "INSERT INTO files(id, path, folder_id, kind, size, mtime_ms, hash, indexed_at) VALUES (?, ?, 1, 'photo', 1, ?, ?, 0)",
    );
    const item = store.db.prepare(
      "INSERT INTO items(id, file_id, kind, modality, taken_at, taken_source, width, height) VALUES (?, ?, 'photo', 'image', ?, 'exif', 4032, 3024)",
    );
    const code = store.db.prepare('INSERT INTO codes(head_id, item_id, w0) VALUES (?, ?, ?)');
    const decade = 10 * 365 * 86_400_000;
    for (let i = 1; i <= N; i++) {
      const taken = 1_400_000_000_000 + Math.floor(rng.next() * decade);
      file.run(i, `/photos/${Math.floor(i / 1000)}/IMG_${i}.jpg`, taken, `h${i}`);
      item.run(i, i, taken);
      const w = (BigInt(Math.floor(rng.next() * 2 ** 32)) << 32n) | BigInt(Math.floor(rng.next() * 2 ** 32));
      code.run(head.id, i, BigInt.asIntN(64, w));
    }
  });
  store.close();
  console.log(`built ${N.toLocaleString()} photos in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const stats = (xs: number[]): { median: number; p90: number } => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    median: s[Math.floor(s.length / 2)] as number,
    p90: s[Math.min(s.length - 1, Math.floor(s.length * 0.9))] as number,
  };
};
const ms = (x: number): string => `${x.toFixed(1)} ms`;

if (!existsSync(join(libraryDir, 'built'))) {
  await build();
  writeFileSync(join(libraryDir, 'built'), `${N}\n`);
}
const engine = await Engine.open({ libraryDir, modelsDir, bits: 64, access: 'read' });
const encoders = await ClipEncoders.load(resolveModelFolder(modelsDir));

// Warm: the first search builds the in-memory Hamming indexes from SQLite and measures the radius.
let t = performance.now();
await engine.search.query({ terms: [{ text: 'warm up' }], photos: 1000, notes: 50, reach: 'matches' });
console.log(`first search (indexes built from SQLite, radius measured): ${ms(performance.now() - t)}`);
await encoders.encodeTexts(['warm up']);

/** The smallest radius within which at least a tenth of uniformly random 64-bit codes fall: Binomial(64, ½). */
const TENTH = ((): number => {
  let cdf = 0;
  let choose = 1;
  for (let r = 0; r <= 64; r++) {
    cdf += choose / 2 ** 64;
    if (cdf >= 0.1) return r;
    choose = (choose * (64 - r)) / (r + 1);
  }
  return 64;
})();
/** Photos in the first screen the UI asks for in date order (as the timeline's page). */
const SCREEN = 500;
let datedTotal = 0;
const whole: number[] = [];
const encoder: number[] = [];
const dated: number[] = [];
let matched = 0;
for (let q = 0; q < Q; q++) {
  const phrase = `${PHRASES[q % PHRASES.length]} ${q}`;
  t = performance.now();
  const found = await engine.search.query({
    terms: [{ text: phrase }],
    photos: 1000,
    notes: 50,
    reach: 'matches',
  });
  whole.push(performance.now() - t);
  matched += found.photos.length;
  t = performance.now();
  await encoders.encodeTexts([phrase]);
  encoder.push(performance.now() - t);
  // The first date-ordered screen of a ~100,000-match result: the page the UI asks for first.
  t = performance.now();
  const screen = await engine.search.query({
    terms: [{ text: phrase }],
    photos: SCREEN,
    notes: 0,
    reach: TENTH,
    order: 'newest',
  });
  dated.push(performance.now() - t);
  datedTotal += screen.total ?? 0;
  if (screen.photos.length !== SCREEN || !screen.months?.length)
    throw new Error(`expected a screen of ${SCREEN} with months, got ${screen.photos.length}`);
}
await engine.close();

const w = stats(whole);
const e = stats(encoder);
const d = stats(dated);
console.log(
  `\n${N.toLocaleString()} photos, 64-bit default head, ViT-B/32-shaped stand-in text encoder, CPU, ${Q} queries`,
);
console.log('| measure | median | p90 |');
console.log('| --- | --- | --- |');
console.log(
  `| whole search call (text query, first page of matches + notes) | ${ms(w.median)} | ${ms(w.p90)} |`,
);
console.log(`| text encoder alone, same phrases | ${ms(e.median)} | ${ms(e.p90)} |`);
console.log(
  `| search call without the encoder (whole − encoder, medians) | ${ms(w.median - e.median)} | — |`,
);
console.log(
  `| first date-ordered screen (${SCREEN} of ${Math.round(datedTotal / Q).toLocaleString()} matches within ${TENTH} bits, newest first, all their months) | ${ms(d.median)} | ${ms(d.p90)} |`,
);
console.log(
  `encoder share of the whole call: ${((100 * e.median) / w.median).toFixed(0)} %; mean matches shown: ${(matched / Q).toFixed(0)}`,
);
