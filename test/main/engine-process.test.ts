/**
 * The engine's utility-process entry, run in this process with a stand-in parent port: messages that
 * arrive while the engine opens are answered after it, `ready` is posted, a library that cannot open
 * is served by the offline host (saying why), and a real one answers calls, asks main for the folder
 * dialog, and closes on SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MODEL_SET } from '../../src/engine/models/paths.ts';
import type { FromEngine, ToEngine } from '../../src/main/engine-rpc.ts';
import { HAS_SHARED_DATA } from '../helpers/shared-data.ts';
import { tinyModels } from '../helpers/standin-models.ts';

const ENTRY = '../../src/main/engine-process.ts';
/** Plays Electron's `process.parentPort` (undefined: not a utility process). */
const setParentPort = (port: unknown): void =>
  void Object.defineProperty(process, 'parentPort', { value: port, configurable: true, writable: true });

/** A parent port: what the entry posts, and `send` to play main. */
function fakePort(onListen?: (send: (m: ToEngine) => void) => void) {
  const posted: FromEngine[] = [];
  let listener: ((e: { data: ToEngine }) => void) | undefined;
  const send = (m: ToEngine): void => listener?.({ data: m });
  const port = {
    on: (_event: 'message', l: (e: { data: ToEngine }) => void) => {
      listener = l;
      onListen?.(send);
    },
    postMessage: (m: FromEngine) => void posted.push(m),
  };
  return { port, posted, send };
}

/** Waits until the entry posted a message matching `pick`. */
async function posted<T extends FromEngine>(list: FromEngine[], pick: (m: FromEngine) => m is T): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = list.find(pick);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`not posted; got ${JSON.stringify(list)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const resultOf =
  (id: number) =>
  (m: FromEngine): m is Extract<FromEngine, { type: 'result' }> =>
    m.type === 'result' && m.id === id;

describe('engine-process', () => {
  let root: string;
  const KEYS = ['GLINT_LIBRARY', 'GLINT_MODELS_DIR', 'GLINT_APP_VERSION'] as const;
  const saved = KEYS.map((k) => process.env[k]);
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'glint-engine-process-'));
    process.env['GLINT_LIBRARY'] = join(root, 'library');
    process.env['GLINT_MODELS_DIR'] = join(root, 'models');
    process.env['GLINT_APP_VERSION'] = '7.7.7';
    vi.resetModules();
  });
  afterEach(() => {
    Reflect.deleteProperty(process, 'parentPort');
    KEYS.forEach((k, i) => {
      if (saved[i] === undefined) delete process.env[k];
      else process.env[k] = saved[i];
    });
    vi.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses to run outside an Electron utility process', async () => {
    await expect(import(ENTRY)).rejects.toThrow('engine-process must run as an Electron utility process');
  });

  it('serves the offline host when the library cannot open, answering early messages after it', async () => {
    const {
      port,
      posted: out,
      send,
    } = fakePort((s) =>
      queueMicrotask(() => s({ type: 'call', id: 1, method: 'appInfo', payload: undefined })),
    );
    setParentPort(port);
    await import(ENTRY);
    expect(out.some((m) => m.type === 'ready')).toBe(true);
    const info = await posted(out, resultOf(1));
    expect(info.result).toMatchObject({ ok: true, value: { shell: 'electron', version: '7.7.7' } });

    send({ type: 'call', id: 2, method: 'status', payload: undefined });
    const status = await posted(out, resultOf(2));
    expect(status.result.ok).toBe(false);
    if (!status.result.ok) {
      expect(status.result.error.code).toMatch(/^models-/);
      expect(status.result.error.message.length).toBeGreaterThan(0);
    }

    send({ type: 'call', id: 3, method: 'modelsStatus', payload: undefined });
    const models = await posted(out, resultOf(3));
    expect(models.result).toMatchObject({
      ok: true,
      value: { dir: join(root, 'models', DEFAULT_MODEL_SET), state: 'absent' },
    });

    send({ type: 'media', id: 4, kind: 'thumb', itemId: 1 });
    expect(await posted(out, (m): m is FromEngine => m.type === 'media-result')).toEqual({
      type: 'media-result',
      id: 4,
      media: null,
    });
  });

  it.skipIf(!HAS_SHARED_DATA)(
    'serves a real library: answers calls, asks main for the folder dialog, closes on SIGTERM',
    async () => {
      await tinyModels(join(root, 'models', DEFAULT_MODEL_SET));
      const { port, posted: out, send } = fakePort();
      setParentPort(port);
      const before = process.listeners('SIGTERM');
      await import(ENTRY);
      const [onTerm] = process.listeners('SIGTERM').filter((l) => !before.includes(l));
      expect(onTerm).toBeDefined();
      process.removeListener('SIGTERM', onTerm!);
      expect(out.some((m) => m.type === 'ready')).toBe(true);

      send({ type: 'call', id: 1, method: 'status', payload: undefined });
      expect((await posted(out, resultOf(1))).result).toMatchObject({
        ok: true,
        value: { library: join(root, 'library'), photos: 0 },
      });

      send({ type: 'call', id: 2, method: 'pickFolder', payload: undefined });
      const ask = await posted(out, (m): m is Extract<FromEngine, { type: 'shell' }> => m.type === 'shell');
      expect(ask.action).toBe('pick');
      send({ type: 'shell-result', id: ask.id, result: { ok: true, value: '/picked/folder' } });
      expect((await posted(out, resultOf(2))).result).toEqual({
        ok: true,
        value: { path: '/picked/folder' },
      });

      let exited: unknown;
      const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
        exited = code;
      }) as never);
      (onTerm as () => void)();
      const deadline = Date.now() + 30_000;
      while (exited === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(exit).toHaveBeenCalledWith(0);
    },
  );
});
