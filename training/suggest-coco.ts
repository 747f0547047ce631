/**
 * Measures tag-suggestion quality on the 51 shared COCO photos (../shared/data/photos), each tagged with its
 * COCO categories as user tags, through the engine's own path: index with a CLIP model folder, tag, then
 * `engine.suggestions.quality()` — every tagged photo held out in turn (leave-one-out) and scored from the
 * others' codes. Beside it, the same measurement with the tags shuffled among the photos (the codes then
 * carry no information about the tags: what label frequencies alone give) and the share of held-out
 * (photo, tag) pairs that the most common tag would get right.
 * With stand-in encoders (no CLIP weights can be fetched here) the codes come from random networks over
 * pixels, so the figure says how far such codes carry COCO categories, not how well Glint suggests tags
 * with real CLIP: that needs the real model folder (--models).
 * Usage: node training/suggest-coco.ts [--models DIR] [--bits 64] [--json] [--shuffles 20]
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeStandinClip } from '../src/engine/clip/standin.ts';
import { Engine } from '../src/engine/engine.ts';
import { wordCount } from '../src/engine/hash/bits.ts';
import { libraryPaths } from '../src/engine/library-paths.ts';
import { listItemTagPairs, openStore, readCodes } from '../src/engine/store/index.ts';
import {
  calibrateThreshold,
  packPhotoCodes,
  selectCodes,
  type TaggedReference,
} from '../src/engine/suggest/tag-suggester.ts';
import { createRng, shuffleInPlace } from '../src/engine/train/metrics-random.ts';
import { CODE_BITS, type CodeBits } from '../src/engine/types.ts';
import { intArg, printResult, runScript } from './script-args.ts';

const SHARED = resolve(process.cwd(), '../shared/data');

await runScript('suggest:coco', async () => {
  const { values } = parseArgs({
    options: {
      models: { type: 'string' },
      bits: { type: 'string', default: '64' },
      shuffles: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const bits = CODE_BITS.find((b) => b === Number(values.bits)) as CodeBits | undefined;
  if (!bits) throw new Error(`--bits must be one of ${CODE_BITS.join(', ')}`);
  const shuffles = intArg('shuffles', values.shuffles, 20);
  const manifest = JSON.parse(readFileSync(join(SHARED, 'photos', 'manifest.json'), 'utf8')) as {
    items: Array<{ file: string; labels: string[] }>;
  };
  const root = mkdtempSync(join(tmpdir(), 'glint-suggest-coco-'));
  try {
    const photos = join(root, 'photos');
    mkdirSync(photos);
    for (const p of manifest.items) copyFileSync(join(SHARED, 'photos', p.file), join(photos, p.file));
    let models = values.models ? resolve(values.models) : join(root, 'models');
    const standin = !values.models;
    if (standin) {
      await writeStandinClip(models, 'tiny', { seed: 0 });
      for (const name of readdirSync(join(SHARED, 'clip-tokenizer')))
        if (/\.(json|txt)$/.test(name))
          copyFileSync(join(SHARED, 'clip-tokenizer', name), join(models, name));
    } else if (!existsSync(models)) throw new Error(`no model folder at ${models}`);
    const libraryDir = join(root, 'library');
    const engine = await Engine.open({ libraryDir, modelsDir: models, bits });
    let quality;
    let headId: string;
    try {
      await engine.ingest.index([photos]);
      for (const p of manifest.items) {
        const id = engine.search.photoIdAt(join(photos, p.file));
        for (const label of p.labels) engine.tags.add([id], label);
      }
      quality = engine.suggestions.quality();
      headId = engine.heads.active.id;
      models = engine.modelsDir;
    } finally {
      await engine.close();
    }
    // The same held-out measurement with the tags shuffled among the photos: chance for these labels.
    const store = openStore(libraryPaths(libraryDir).db);
    let ref: TaggedReference;
    try {
      const w = wordCount(bits);
      const batch = readCodes(store, headId, 'image', w);
      const codes = packPhotoCodes(batch.itemIds, batch.words, w, bits);
      const tagsOf = new Map<number, number[]>();
      for (const { itemId, tagId } of listItemTagPairs(store))
        tagsOf.set(itemId, [...(tagsOf.get(itemId) ?? []), tagId]);
      const rows = codes.itemIds.flatMap((id, r) => (tagsOf.has(id) ? [r] : []));
      ref = { codes: selectCodes(codes, rows), tags: rows.map((r) => tagsOf.get(codes.itemIds[r]!)!) };
    } finally {
      store.close();
    }
    const chance = Array.from({ length: shuffles }, (_, s) => {
      const order = shuffleInPlace(
        Uint32Array.from({ length: ref.tags.length }, (_, i) => i),
        createRng(s + 1),
      );
      return calibrateThreshold({ codes: ref.codes, tags: [...order].map((i) => ref.tags[i]!) });
    });
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const counts = new Map<number, number>();
    for (const t of ref.tags.flat()) counts.set(t, (counts.get(t) ?? 0) + 1);
    const mostCommon = Math.max(...counts.values()) / ref.tags.length;
    const result = {
      ok: true,
      photos: manifest.items.length,
      tags: counts.size,
      tagsPerPhoto: ref.tags.flat().length / ref.tags.length,
      standin,
      models,
      bits,
      quality,
      shuffledTags: {
        runs: shuffles,
        heldOutPrecision: mean(chance.map((c) => c.heldOutPrecision)),
        heldOutRecall: mean(chance.map((c) => c.heldOutRecall)),
        suggested: mean(chance.map((c) => c.suggested)),
      },
      mostCommonTagPrecision: mostCommon,
    };
    const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
    printResult(values.json, result, () =>
      [
        `${result.photos} COCO photos, ${result.tags} tags (COCO categories), ${result.tagsPerPhoto.toFixed(2)} per photo; ${standin ? 'tiny stand-in CLIP (random networks)' : models}; ${bits}-bit default head`,
        quality.sentence,
        `held out ${quality.heldOut}: threshold ${quality.threshold.toFixed(3)}, precision ${pct(quality.heldOutPrecision)}, recall ${pct(quality.heldOutRecall)}`,
        `tags shuffled among the photos (${shuffles} runs): precision ${pct(result.shuffledTags.heldOutPrecision)}, recall ${pct(result.shuffledTags.heldOutRecall)}, ${result.shuffledTags.suggested.toFixed(1)} suggestions`,
        `the most common tag is on ${pct(mostCommon)} of the photos`,
      ].join('\n'),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
