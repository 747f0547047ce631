import { photosFor } from '../../helpers/search.ts';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../../helpers/shared-data.ts';
import { tinyModels } from '../../helpers/standin-models.ts';
import { linearConfig } from './trainer-fixtures.ts';
import { createModel } from './trainer-linear-model.ts';

/** The linear JS test model with a learning rate suited to CLIP-scale inputs. */
const baseConfig = (p: { bits: number; dims: { image: number; text: number }; classes: number }) => ({
  ...linearConfig(p.bits, p.dims, p.classes),
  lrHash: 0.02,
});

/**
 * Registers the suite's library: `manifest`'s photos copied to a temp folder and indexed with the tiny
 * stand-in CLIP before the suite, everything closed and removed after it.
 */
function indexedLibrary(
  prefix: string,
  manifest: ReturnType<typeof photoManifest>,
): { root: string; photos: string; engine: () => Engine } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const photos = join(root, 'photos');
  let engine: Engine | undefined;
  beforeAll(async () => {
    mkdirSync(photos);
    for (const p of manifest) copyFileSync(join(PHOTOS_DIR, p.file), join(photos, p.file));
    const modelsDir = await tinyModels(join(root, 'models'));
    engine = await Engine.open({ libraryDir: join(root, 'library'), modelsDir, bits: 64 });
    await engine.ingest.index([photos]);
  });
  afterAll(async () => {
    await engine?.close();
    rmSync(root, { recursive: true, force: true });
  });
  return {
    root,
    photos,
    engine: () => {
      if (!engine) throw new Error('the library is opened in beforeAll');
      return engine;
    },
  };
}

describe.skipIf(!HAS_SHARED_DATA)(
  'library training (tiny stand-in CLIP, 40 real photos tagged with COCO labels)',
  () => {
    const manifest = photoManifest().slice(0, 40);
    const lib = indexedLibrary('glint-libtrain-', manifest);
    const { root, photos } = lib;
    let engine: Engine;
    beforeAll(() => {
      engine = lib.engine();
    });

    it('refuses to train with too few tagged photos and says how to tag', async () => {
      for (const p of manifest.slice(0, 3))
        engine.tags.add([engine.search.photoIdAt(join(photos, p.file))], p.labels[0]!);
      await expect(engine.heads.train({ createModel, baseConfig })).rejects.toMatchObject({
        code: 'train-too-few-tags',
        message: expect.stringMatching(
          /at least 20 indexed photos with tags[^]*this library has \d+ tagged photos?[^]*glint tag add/,
        ),
      });
    });

    it('trains on user tags, activates a head that beats the active one, keeps one that does not, rolls back', async () => {
      for (const p of manifest)
        for (const label of p.labels) engine.tags.add([engine.search.photoIdAt(join(photos, p.file))], label);
      const before = engine.status().head;
      const events: number[] = [];
      const stages: string[] = [];
      const activations: string[] = [];
      const first = await engine.heads.train({
        createModel,
        baseConfig,
        epochs: 6,
        batchSize: 16,
        seed: 3,
        validationFraction: 0.3,
        onProgress: (p) => p.kind === 'epoch' && events.push(p.epoch),
        onStage: (o) => stages.push(o.stage),
        onActivate: (h) => activations.push(h.id),
      });
      // Two stages: the quick plain-triplet head, then DGHDGH from it (6 epochs each).
      expect(events).toEqual([1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6]);
      expect(first.dataset.photos).toBe(40);
      expect(first.dataset.phrased).toBe(40);
      expect(first.validation.rows).toBe(12);
      expect(first.previous.id).toBe(before.id);
      expect(existsSync(join(first.head.dir, 'head.json'))).toBe(true);
      expect(first.head.dir.startsWith(join(root, 'library', 'heads'))).toBe(true);
      expect(first.head.kind).toBe('dghdgh');
      const quick = first.quick!;
      expect(quick.head.id).toMatch(/^triplet-64-/);
      const metrics = quick.head.metrics as {
        stage: string;
        validation: { trained: { map: number }; active: { map: number; id: string } };
      };
      expect(metrics.stage).toBe('quick');
      expect(metrics.validation.active.id).toBe(before.id);
      // The decision rule, whichever way it went: activate iff the new head's validation mAP is higher.
      expect(quick.activated).toBe(quick.validation.trained.map > quick.validation.active.map);
      // Text rows are tag phrases, so labels are learnable: the quick head must beat the untrained default.
      expect(quick.activated).toBe(true);
      expect(stages).toEqual(['quick', 'dghdgh']);
      expect(activations).toEqual([quick.head.id]);
      // The test model ignores ablations, so the second stage trains the same head again: equal, not better,
      // so it does not replace the quick head (it is compared with the quick head, now active).
      expect(first.validation.active.id).toBe(quick.head.id);
      expect(first.validation.trained.map).toBe(first.validation.active.map);
      expect(first.activated).toBe(false);
      expect(first.active.id).toBe(quick.head.id);
      expect(engine.status().head.id).toBe(quick.head.id);
      const hits = await photosFor(engine, 'a photo of dog', 5);
      expect(hits).toHaveLength(5);

      // Same data and seed again: identical heads, equal (not better) validation mAP → neither activated.
      const second = await engine.heads.train({
        createModel,
        baseConfig,
        epochs: 6,
        batchSize: 16,
        seed: 3,
        validationFraction: 0.3,
      });
      expect(second.quick?.activated).toBe(false);
      expect(second.validation.trained.map).toBe(second.validation.active.map);
      expect(second.activated).toBe(false);
      expect(engine.status().head.id).toBe(quick.head.id);
      expect(engine.heads.list().map((h) => h.id)).toEqual(
        expect.arrayContaining([quick.head.id, first.head.id, second.head.id, before.id]),
      );

      // activateHead any one; rollback returns to the one before.
      await engine.heads.activate(second.head.id);
      expect(engine.status().head.id).toBe(second.head.id);
      expect((await engine.heads.rollback()).id).toBe(quick.head.id);
      expect((await engine.heads.rollback()).id).toBe(before.id);
      expect(engine.heads.list().find((h) => h.active)?.id).toBe(before.id);
      await expect(engine.heads.rollback()).rejects.toMatchObject({ code: 'not-found' });
      expect(await photosFor(engine, 'a photo of dog', 3)).toHaveLength(3);
    });

    it('says each phase from the first moment to the last re-hash, and keeps the run’s outcome in the library', async () => {
      const seen: string[] = [];
      const r = await engine.heads.train({
        createModel,
        baseConfig,
        epochs: 2,
        batchSize: 16,
        seed: 5,
        validationFraction: 0.3,
        onPhase: (p) => seen.push(`${p.stage ?? '-'} ${p.phase}`),
        onProgress: (p) => seen.push(`${p.kind} ${p.epoch}`),
      });
      // Preparing comes first (before any step), each stage compiles before its first step, and a stage
      // that was activated says its re-hash: no silent wait between the last step and the result.
      expect(seen[0]).toBe('- reading');
      expect(seen.indexOf('- splitting')).toBeLessThan(seen.indexOf('step 1'));
      expect(seen.filter((x) => x.endsWith(' compiling')).map((x) => x.split(' ')[0])).toEqual(
        expect.arrayContaining(['quick', 'dghdgh']),
      );
      expect(seen.indexOf('quick compiling')).toBeLessThan(seen.indexOf('step 1'));
      const afterSteps = seen.slice(seen.lastIndexOf('epoch 2'));
      expect(afterSteps).toEqual(expect.arrayContaining(['dghdgh saving', 'dghdgh comparing']));
      if (r.quick?.activated) expect(seen).toContain('quick rehashing');
      const last = engine.heads.lastRun();
      expect(last).toMatchObject({
        epochs: 2,
        photos: 40,
        heldOut: r.validation.rows,
        final: {
          headId: r.head.id,
          activated: r.activated,
          before: r.validation.active.map,
          after: r.validation.trained.map,
        },
        quick: { headId: r.quick!.head.id, activated: r.quick!.activated },
      });
    });

    it('refuses epochs that are not a whole number from 1 to 500, before reading anything, and keeps the last run', async () => {
      const kept = engine.heads.lastRun();
      for (const epochs of [0, -5, 2.5, 501, Number.NaN]) {
        const phases: string[] = [];
        await expect(
          engine.heads.train({ createModel, baseConfig, epochs, onPhase: (p) => phases.push(p.phase) }),
        ).rejects.toMatchObject({
          code: 'usage',
          message: expect.stringMatching(/^Epochs must be a whole number from 1 to 500 .*; you gave /),
        });
        expect(phases).toEqual([]);
      }
      expect(engine.heads.lastRun()).toEqual(kept);
    });
  },
);

describe.skipIf(!HAS_SHARED_DATA)(
  'library training with the real DGHDGH model (tiny stand-in CLIP, all 51 photos tagged with their COCO categories)',
  () => {
    const manifest = photoManifest();
    const lib = indexedLibrary('glint-libtrain-dghdgh-', manifest);
    let engine: Engine;
    beforeAll(() => {
      engine = lib.engine();
      for (const p of manifest)
        for (const label of p.labels)
          engine.tags.add([engine.search.photoIdAt(join(lib.photos, p.file))], label);
    });

    it('trains the quick head and then DGHDGH from it end to end; each replaces the active head only when better', async () => {
      const before = engine.status().head;
      const epochs: number[] = [];
      let activeDuringDghdgh: string | undefined;
      const r = await engine.heads.train({
        epochs: 30,
        batchSize: 16,
        seed: 0,
        onProgress: (p) => p.kind === 'epoch' && epochs.push(p.epoch),
        onStage: (o) => {
          if (o.stage === 'quick') activeDuringDghdgh = engine.status().head.id;
        },
      });
      expect(r.dataset.photos).toBe(51);
      expect(r.dataset.tags.length).toBeGreaterThan(20);
      expect(epochs.filter((e) => e === 30)).toHaveLength(2);
      const quick = r.quick!;
      const pc = (x: number) => (100 * x).toFixed(1);
      console.info(
        `library (51 photos): quick head ${pc(quick.validation.trained.map)} vs default ${pc(quick.validation.active.map)} ` +
          `(${quick.msPerEpoch.toFixed(0)} ms/epoch, activated ${quick.activated}); DGHDGH ${pc(r.validation.trained.map)} vs ` +
          `${pc(r.validation.active.map)} (${r.msPerEpoch.toFixed(0)} ms/epoch, activated ${r.activated})`,
      );
      expect((quick.head.metrics as { config: { ablation: { dgs: boolean } } }).config.ablation.dgs).toBe(
        false,
      );
      expect(r.head.kind).toBe('dghdgh');
      expect((r.head.metrics as { config: { ablation: { rgp: boolean } } }).config.ablation.rgp).toBe(true);
      expect((r.head.metrics as { training: { initialisedFrom?: string } }).training.initialisedFrom).toMatch(
        /quick head/,
      );
      // Tag phrases make the labels learnable; the untrained default head (fit to the library's means) is
      // clearly beaten by the quick head, which is active (searchable) while DGHDGH trains.
      expect(quick.activated).toBe(true);
      expect(quick.validation.trained.map).toBeGreaterThan(quick.validation.active.map + 0.05);
      expect(activeDuringDghdgh).toBe(quick.head.id);
      // DGHDGH is compared with the quick head and replaces it only when better.
      expect(r.validation.active.id).toBe(quick.head.id);
      expect(r.activated).toBe(r.validation.trained.map > r.validation.active.map);
      expect(engine.status().head.id).toBe(r.activated ? r.head.id : quick.head.id);
      expect(r.previous.id).toBe(before.id);
      const hits = await photosFor(engine, 'a photo of dog', 5);
      expect(hits).toHaveLength(5);
      await engine.heads.rollback();
      if (r.activated) await engine.heads.rollback();
      expect(engine.status().head.id).toBe(before.id);
    }, 300_000);
  },
);
