/**
 * startEngineProcess: forks the engine entry as a utility process (a stand-in child here), routes its
 * messages to main's client, and on exit fails pending calls and tells the user to restart.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { GlintEvent } from '../../src/contract/api.ts';
import type { ToEngine } from '../../src/main/engine-rpc.ts';
import { startEngineProcess, type ForkEngine } from '../../src/main/start-engine-process.ts';

/** A utility process stand-in: records what main posts; `emit('message' | 'exit')` plays the engine. */
class FakeChild extends EventEmitter {
  posted: ToEngine[] = [];
  postMessage(m: ToEngine): void {
    this.posted.push(m);
  }
}

function start() {
  const child = new FakeChild();
  const forks: unknown[][] = [];
  const fork: ForkEngine = (...args) => {
    forks.push(args);
    return child as never;
  };
  const events: GlintEvent[] = [];
  const picks: string[] = [];
  const { client, child: returned } = startEngineProcess(
    fork,
    '/app/out/main/engine-process.js',
    { reveal: () => {}, open: async () => {}, pick: async () => (picks.push('pick'), '/picked') },
    (e) => events.push(e),
    { GLINT_APP_VERSION: '9.9.9' },
  );
  return { child, forks, events, picks, client, returned };
}

describe('startEngineProcess', () => {
  it('forks the entry once as the Glint engine with the given environment', () => {
    const { forks, child, returned } = start();
    expect(forks).toEqual([
      [
        '/app/out/main/engine-process.js',
        [],
        { serviceName: 'Glint engine', env: { GLINT_APP_VERSION: '9.9.9' } },
      ],
    ]);
    expect(returned).toBe(child);
  });

  it('posts calls to the child and resolves them from its answers; forwards its events', async () => {
    const { child, client, events } = start();
    const answer = client.call('status', undefined);
    expect(child.posted).toEqual([{ type: 'call', id: 1, method: 'status', payload: undefined }]);
    child.emit('message', { type: 'result', id: 1, result: { ok: true, value: 'fine' } });
    expect(await answer).toEqual({ ok: true, value: 'fine' });
    child.emit('message', { type: 'event', event: { type: 'index-idle' } });
    expect(events).toEqual([{ type: 'index-idle' }]);
  });

  it('does what the engine asks of the shell and posts the outcome back', async () => {
    const { child, picks } = start();
    child.emit('message', { type: 'shell', id: 5, action: 'pick' });
    await new Promise((r) => setTimeout(r, 0));
    expect(picks).toEqual(['pick']);
    expect(child.posted).toEqual([{ type: 'shell-result', id: 5, result: { ok: true, value: '/picked' } }]);
  });

  it('fails pending and later calls when the engine exits, and says to restart', async () => {
    const { child, client, events } = start();
    const pending = client.call('status', undefined);
    child.emit('exit', 3);
    await expect(pending).rejects.toThrow('The Glint engine stopped (exit code 3): restart Glint.');
    await expect(client.media('thumb', 1)).rejects.toThrow('restart Glint');
    expect(events).toEqual([
      { type: 'notice', message: 'The Glint engine stopped unexpectedly: restart Glint.' },
    ]);
  });
});
