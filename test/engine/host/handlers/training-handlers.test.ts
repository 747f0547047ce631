/**
 * The retraining handlers on a real library (tiny stand-in CLIP, 6 shared photos): trainingInfo serves the
 * kept last run with its heads as they are now, and listHeads carries each head's measured quality.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlintEvent } from '../../../../src/contract/api.ts';
import type { HostContext } from '../../../../src/engine/host/handlers/host-context.ts';
import { trainingHandlers } from '../../../../src/engine/host/handlers/training-handlers.ts';
import * as S from '../../../../src/engine/store/index.ts';
import { saveLastRun, type LastRunRecord } from '../../../../src/engine/train/last-run.ts';
import { HAS_SHARED_DATA } from '../../../helpers/shared-data.ts';
import { openHostFixture, type HostFixture } from '../host-fixture.ts';

describe.skipIf(!HAS_SHARED_DATA)('training handlers', () => {
  let fx: HostFixture;
  let store: S.Store;
  let h: ReturnType<typeof trainingHandlers>;
  const record: LastRunRecord = {
    finishedAt: 1_767_000_000_000,
    epochs: 2,
    photos: 40,
    heldOut: 8,
    quick: { headId: 'triplet-64-a', activated: true, before: 0.57, after: 0.7 },
    final: { headId: 'dghdgh-64-b', activated: false, before: 0.7, after: 0.68 },
  };

  beforeAll(async () => {
    fx = await openHostFixture(6);
    // A second connection to the same library file plants what two finished training stages leave behind.
    store = S.openStore(fx.engine.paths.db);
    const head = (id: string, stage: string, map: number, createdAt: number): S.HeadInput => ({
      id,
      kind: 'dghdgh',
      bits: 64,
      modelId: fx.engine.modelId,
      dir: join(fx.engine.paths.heads, id),
      createdAt,
      metrics: { stage, validation: { trained: { map }, active: { map: 0.5 } } },
    });
    S.putHead(store, head('triplet-64-a', 'quick', 0.7, 1_766_999_000_000));
    S.putHead(store, head('dghdgh-64-b', 'dghdgh', 0.68, 1_767_000_000_000));
    const events: GlintEvent[] = [];
    const ctx = { engine: fx.engine, emit: (e: GlintEvent) => events.push(e) } as unknown as HostContext;
    h = trainingHandlers(ctx);
  }, 120_000);
  afterAll(async () => {
    store?.close();
    await fx?.cleanup();
  });

  it('lists each head with the quality its run measured, and none for the default head', async () => {
    const heads = await h.listHeads(undefined);
    const byId = new Map(heads.map((x) => [x.id, x]));
    expect(byId.get('triplet-64-a')?.quality).toBe(0.7);
    expect(byId.get('dghdgh-64-b')?.quality).toBe(0.68);
    const defaults = heads.filter((x) => x.id !== 'triplet-64-a' && x.id !== 'dghdgh-64-b');
    expect(defaults.length).toBeGreaterThan(0);
    for (const d of defaults) expect(d.quality).toBeUndefined();
  });

  it('has no last run before one finished, then serves the kept one with its heads as they are now', async () => {
    expect((await h.trainingInfo(undefined)).lastRun).toBeUndefined();
    saveLastRun(store, record);
    const info = await h.trainingInfo(undefined);
    expect(info.lastRun).toMatchObject({
      finishedAt: record.finishedAt,
      epochs: 2,
      photos: 40,
      heldOut: 8,
      quick: { activated: true, before: 0.57, after: 0.7, head: { id: 'triplet-64-a', quality: 0.7 } },
      final: { activated: false, before: 0.7, after: 0.68, head: { id: 'dghdgh-64-b', active: false } },
    });
  });

  it('leaves out a kept run whose head is not in this library’s list (another model’s, say)', async () => {
    saveLastRun(store, { ...record, final: { ...record.final, headId: 'gone' } });
    expect((await h.trainingInfo(undefined)).lastRun).toBeUndefined();
  });
});
