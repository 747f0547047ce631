/**
 * The main ↔ engine-process protocol, both ends wired together in memory: calls, media, events, shell
 * requests and their failures, answers matched by id, and an engine that stopped.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ApiResult, GlintEvent } from '../../src/contract/api.ts';
import {
  createEngineClient,
  createEngineServer,
  type EngineServerHost,
  type FromEngine,
  type ShellActions,
  type ToEngine,
} from '../../src/main/engine-rpc.ts';

const noShell: ShellActions = { reveal: () => {}, open: async () => {}, pick: async () => null };

/** Main's client and the engine's server, talking through microtasks (as over a port). */
function wire(host: EngineServerHost, shell: ShellActions = noShell) {
  const events: GlintEvent[] = [];
  const toEngine: ToEngine[] = [];
  const fromEngine: FromEngine[] = [];
  const server = createEngineServer((m) => {
    fromEngine.push(m);
    queueMicrotask(() => client.receive(m));
  });
  const client = createEngineClient(
    (m) => {
      toEngine.push(m);
      queueMicrotask(() => server.serve(host, m));
    },
    shell,
    (e) => events.push(e),
  );
  return { client, server, events, toEngine, fromEngine };
}

describe('engine process RPC', () => {
  it('carries calls, media, events and shell requests between main and the engine process', async () => {
    const picked: string[] = [];
    const fakeHost: EngineServerHost = {
      call: async (method: string, payload: unknown): Promise<ApiResult<unknown>> => {
        if (method === 'pickFolder') return { ok: true, value: { path: await server.shell.pick() } };
        if (method === 'boom') throw new Error('bug');
        return { ok: true, value: payload };
      },
      media: (kind: string, id: unknown) =>
        id === 3 ? { path: `/lib/${kind}`, contentType: 'image/webp' } : null,
    };
    const { client, server, events } = wire(fakeHost, {
      reveal: (p) => void picked.push(`reveal:${p}`),
      open: async (p) => void picked.push(`open:${p}`),
      pick: async () => '/chosen',
    });
    expect(await client.call('search', { text: 'x' })).toEqual({ ok: true, value: { text: 'x' } });
    expect(await client.call('pickFolder', undefined)).toEqual({ ok: true, value: { path: '/chosen' } });
    await server.shell.reveal('/p.jpg');
    await server.shell.open('/q.jpg');
    expect(picked).toEqual(['reveal:/p.jpg', 'open:/q.jpg']);
    expect(await client.media('thumb', 3)).toEqual({ path: '/lib/thumb', contentType: 'image/webp' });
    expect(await client.media('thumb', 4)).toBeNull();
    await expect(client.call('boom', null)).rejects.toThrow('bug');
    client.receive({ type: 'event', event: { type: 'index-idle' } });
    expect(events).toEqual([{ type: 'index-idle' }]);
  });

  it('gives each caller its own answer when answers come back out of order', async () => {
    const gates = new Map<string, () => void>();
    const host: EngineServerHost = {
      call: (method) => new Promise((done) => gates.set(method, () => done({ ok: true, value: method }))),
      media: () => null,
    };
    const { client, toEngine } = wire(host);
    const a = client.call('status', undefined);
    const b = client.call('listTags', undefined);
    const c = client.media('thumb', 1);
    await Promise.resolve();
    await Promise.resolve();
    expect(toEngine.map((m) => m.id)).toEqual([1, 2, 3]);
    gates.get('listTags')!();
    gates.get('status')!();
    expect(await Promise.all([a, b, c])).toEqual([
      { ok: true, value: 'status' },
      { ok: true, value: 'listTags' },
      null,
    ]);
  });

  it('sends a shell action’s failure back to the engine as an error with its message', async () => {
    const { server, toEngine } = wire(
      { call: async () => ({ ok: true, value: null }), media: () => null },
      {
        reveal: () => {
          throw new Error('no file manager');
        },
        open: async () => Promise.reject('plain'),
        pick: async () => null,
      },
    );
    await expect(server.shell.reveal('/x')).rejects.toThrow('no file manager');
    await expect(server.shell.open('/x')).rejects.toThrow('plain');
    expect(await server.shell.pick()).toBeNull();
    expect(toEngine.filter((m) => m.type === 'shell-result')).toEqual([
      {
        type: 'shell-result',
        id: 1,
        result: { ok: false, error: { code: 'internal', message: 'no file manager' } },
      },
      { type: 'shell-result', id: 2, result: { ok: false, error: { code: 'internal', message: 'plain' } } },
      { type: 'shell-result', id: 3, result: { ok: true, value: null } },
    ]);
  });

  it('ignores ready, answers nobody asked for, and shell results it is not waiting on', async () => {
    const { client, server } = wire({ call: async () => ({ ok: true, value: 1 }), media: () => null });
    expect(() => client.receive({ type: 'ready' })).not.toThrow();
    expect(() => client.receive({ type: 'result', id: 99, result: { ok: true, value: 2 } })).not.toThrow();
    const host = { call: async () => ({ ok: true as const, value: null }), media: () => null };
    expect(() =>
      server.serve(host, { type: 'shell-result', id: 42, result: { ok: true, value: null } }),
    ).not.toThrow();
    expect(await client.call('status', undefined)).toEqual({ ok: true, value: 1 });
  });

  it('rejects a refused shell request with its code and words', async () => {
    const posted: FromEngine[] = [];
    const server = createEngineServer((m) => posted.push(m));
    const asking = server.shell.pick();
    expect(posted).toEqual([{ type: 'shell', id: 1, action: 'pick' }]);
    server.serve(
      { call: async () => ({ ok: true, value: null }), media: () => null },
      {
        type: 'shell-result',
        id: 1,
        result: { ok: false, error: { code: 'not-available', message: 'no dialog' } },
      },
    );
    await expect(asking).rejects.toMatchObject({ code: 'not-available', message: 'no dialog' });
  });

  it('carries a call that threw in the engine process as one error shape, rejecting on main’s side', async () => {
    const posted: FromEngine[] = [];
    const server = createEngineServer((m) => posted.push(m));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    server.serve(
      { call: async () => Promise.reject(new TypeError('a bug')), media: () => null },
      { type: 'call', id: 7, method: 'status', payload: undefined },
    );
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    logged.mockRestore();
    expect(posted[0]).toEqual({ type: 'crash', id: 7, error: { code: 'internal', message: 'a bug' } });
    const client = createEngineClient(
      () => undefined,
      noShell,
      () => undefined,
    );
    const call = client.call('status', undefined);
    client.receive({ type: 'crash', id: 1, error: { code: 'internal', message: 'a bug' } });
    await expect(call).rejects.toThrow('a bug');
  });

  it('fails pending and later calls and media once the engine process stopped', async () => {
    const posted: ToEngine[] = [];
    const hanging = createEngineClient(
      (m) => posted.push(m),
      noShell,
      () => {},
    );
    const pending = hanging.call('status', undefined);
    const media = hanging.media('thumb', 1);
    hanging.fail('The Glint engine stopped');
    await expect(pending).rejects.toThrow('stopped');
    await expect(media).rejects.toThrow('stopped');
    await expect(hanging.call('status', undefined)).rejects.toThrow('stopped');
    await expect(hanging.media('thumb', 2)).rejects.toThrow('stopped');
    expect(posted).toHaveLength(2);
  });
});
