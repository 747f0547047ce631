/** The last finished run, kept in a real library's settings table. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LAST_RUN_KEY,
  readLastRun,
  saveLastRun,
  type LastRunRecord,
} from '../../../src/engine/train/last-run.ts';
import { openStore, setSetting, type Store } from '../../../src/engine/store/index.ts';

const record: LastRunRecord = {
  finishedAt: 1_767_000_000_000,
  epochs: 2,
  photos: 51,
  heldOut: 10,
  quick: { headId: 'triplet-64-x', activated: true, before: 0.57, after: 0.7 },
  final: { headId: 'dghdgh-64-x', activated: false, before: 0.7, after: 0.68 },
};

describe('last run', () => {
  let dir = '';
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'glint-lastrun-'));
    store = openStore(join(dir, 'glint.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is absent in a new library, then reads back what was saved, also after the library is reopened', () => {
    expect(readLastRun(store)).toBeUndefined();
    saveLastRun(store, record);
    store.close();
    store = openStore(join(dir, 'glint.db'));
    expect(readLastRun(store)).toEqual(record);
    const { quick: _q, ...withoutQuick } = record;
    saveLastRun(store, withoutQuick);
    expect(readLastRun(store)).toEqual(withoutQuick);
  });

  it('reads a damaged or foreign value as no last run (and leaves it in place)', () => {
    for (const bad of [
      'not json',
      'null',
      '{"final":{}}',
      JSON.stringify({ ...record, epochs: 'two' }),
      JSON.stringify({ ...record, quick: { headId: 1 } }),
    ]) {
      setSetting(store, LAST_RUN_KEY, bad);
      expect(readLastRun(store)).toBeUndefined();
    }
  });
});
