import { describe, expect, it } from 'vitest';
import { GlintError } from '../../../../src/engine/errors.ts';
import { appHandlers, modelsDownload } from '../../../../src/engine/host/handlers/app-handlers.ts';
import { HandlerTable, isMethod } from '../../../../src/engine/host/handlers/handler-table.ts';

const mapGlint = (thrown: unknown) =>
  thrown instanceof GlintError ? { code: thrown.code, message: thrown.message } : undefined;

describe('HandlerTable', () => {
  it('validates each payload against its method’s schema before the implementation runs', async () => {
    const table = new HandlerTable(mapGlint);
    const seen: unknown[] = [];
    table.register({ item: (req) => (seen.push(req), Promise.reject(new GlintError('not-found', 'gone'))) });
    const handler = table.handler('item')!;
    expect(await handler({ id: -1 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await handler({ id: 1, extra: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(seen).toEqual([]);
    expect(await handler({ id: 3 })).toEqual({ ok: false, error: { code: 'not-found', message: 'gone' } });
    expect(seen).toEqual([{ id: 3 }]);
  });

  it('answers values, turns expected failures into values and lets bugs reject', async () => {
    const table = new HandlerTable(mapGlint);
    table.register({
      reindex: () => ({ queued: 2 }),
      listTags: () => {
        throw new TypeError('a bug');
      },
    });
    expect(await table.handler('reindex')!()).toEqual({ ok: true, value: { queued: 2 } });
    await expect(table.handler('listTags')!()).rejects.toThrow('a bug');
  });

  it('refuses a second handler for a method, and names every method left without one', () => {
    const table = new HandlerTable(mapGlint);
    const download = modelsDownload(
      undefined,
      () => undefined,
      () => '/m',
    );
    const app = appHandlers({
      shell: 'browser',
      download,
      modelsStatus: () => ({ dir: '/m', state: 'complete', bytesToDownload: 0 }),
    });
    table.register(app);
    expect(() => table.register({ appInfo: app.appInfo })).toThrow(/appInfo has two handlers/);
    expect(() => table.complete()).toThrow(
      /no handler for status, listFolders, .*rollbackHead, getSettings, setSettings(, |$)/,
    );
    expect(table.handler('status')).toBeUndefined();
  });

  it('knows the contract’s method names and nothing else', () => {
    expect(isMethod('search')).toBe(true);
    expect(isMethod('searchImage')).toBe(false);
    expect(isMethod('constructor')).toBe(false);
  });
});
