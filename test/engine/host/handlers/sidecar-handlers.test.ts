/**
 * The sidecar handlers through a handler table over a real engine and real photos: the status counts the
 * user-tagged photos, writing is refused in words while write-back is off, and once it is on every tagged
 * photo's sidecar is written with progress events, read back by exiftool.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../../../src/contract/api.ts';
import type { EngineEvent } from '../../../../src/engine/engine.ts';
import { GlintError } from '../../../../src/engine/errors.ts';
import { HandlerTable } from '../../../../src/engine/host/handlers/handler-table.ts';
import type { HostContext } from '../../../../src/engine/host/handlers/host-context.ts';
import { registerSidecars } from '../../../../src/engine/host/handlers/sidecar-handlers.ts';
import { exifSubjects, RUN_EXIFTOOL_TESTS } from '../../../helpers/exiftool.ts';
import { HAS_SHARED_DATA } from '../../../helpers/shared-data.ts';
import { openHostFixture, type HostFixture } from '../host-fixture.ts';

function value<T>(r: ApiResult<unknown>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe.runIf(HAS_SHARED_DATA && RUN_EXIFTOOL_TESTS)('sidecar handlers (real engine, real photos)', () => {
  let fx: HostFixture;
  let table: HandlerTable;
  let paths: string[];
  beforeAll(async () => {
    fx = await openHostFixture(3);
    paths = fx.manifest.map((p) => join(fx.photos, p.file));
    // The host's own mapping: a GlintError is an answer in words, anything else a bug.
    table = new HandlerTable((thrown) =>
      thrown instanceof GlintError ? { code: thrown.code, message: thrown.message } : undefined,
    );
    registerSidecars(table, { engine: fx.engine } as unknown as HostContext);
  }, 120_000);
  afterAll(async () => {
    await fx?.cleanup();
  });

  const call = (method: 'sidecarStatus' | 'writeSidecars', payload?: unknown): Promise<ApiResult<unknown>> =>
    table.handler(method)!(payload);

  it('registers exactly the two sidecar methods, each refusing a payload it does not take', async () => {
    expect(table.handler('sidecarStatus')).toBeDefined();
    expect(table.handler('writeSidecars')).toBeDefined();
    expect(table.handler('getSettings')).toBeUndefined();
    expect(await call('sidecarStatus', { all: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
  });

  it('while write-back is off: the status says so and writing is refused in words, writing nothing', async () => {
    const ids = paths.map((p) => fx.engine.search.photoIdAt(p));
    fx.engine.tags.add([ids[0]!, ids[1]!], 'Family/Max');
    fx.engine.tags.add([ids[1]!], 'beach');
    await fx.engine.sidecars.idle();
    expect(value(await call('sidecarStatus'))).toEqual({ mode: 'off', photos: 2 });
    expect(await call('writeSidecars')).toEqual({
      ok: false,
      error: {
        code: 'sidecars-off',
        message: 'Writing tags to sidecars is off: choose a sidecar style first.',
      },
    });
    expect(paths.some((p) => existsSync(`${p}.xmp`))).toBe(false);
  });

  it('once on, writes every tagged photo with progress; exiftool reads the tags back', async () => {
    fx.engine.sidecars.setMode('photo.jpg.xmp');
    expect(value(await call('sidecarStatus'))).toEqual({ mode: 'photo.jpg.xmp', photos: 2 });
    const events: EngineEvent[] = [];
    const off = fx.engine.on((e) => events.push(e));
    try {
      expect(value(await call('writeSidecars'))).toEqual({ total: 2, written: 2, unchanged: 0, failed: 0 });
    } finally {
      off();
    }
    expect(events.filter((e) => e.type === 'sidecar-progress')).toEqual([
      { type: 'sidecar-progress', done: 1, total: 2, failed: 0 },
      { type: 'sidecar-progress', done: 2, total: 2, failed: 0 },
    ]);
    expect(exifSubjects(`${paths[0]}.xmp`)).toEqual({ subjects: ['Max'], hierarchical: ['Family|Max'] });
    expect(exifSubjects(`${paths[1]}.xmp`)).toEqual({
      subjects: ['beach', 'Max'],
      hierarchical: ['Family|Max'],
    });
    expect(existsSync(`${paths[2]}.xmp`)).toBe(false);
    // A second pass finds them written.
    expect(value(await call('writeSidecars'))).toEqual({ total: 2, written: 0, unchanged: 2, failed: 0 });
  });
});
