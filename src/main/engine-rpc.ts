/**
 * The message protocol between the main process and the engine's utility process, with request ids.
 * Main calls API methods and media lookups; the engine process answers, pushes GlintEvents, and asks
 * main for what only Electron can do (reveal, open, the folder dialog). Plain objects only: no
 * Electron here, so both ends are testable under Node.
 */
import type { ApiError, ApiResult, GlintEvent } from '../contract/api.ts';
import { fromApiError, toApiError } from '../engine/errors.ts';

/** What the main process sends to the engine process. */
export type ToEngine =
  | { type: 'call'; id: number; method: string; payload: unknown }
  | { type: 'media'; id: number; kind: string; itemId: number }
  | { type: 'shell-result'; id: number; result: ApiResult<string | null> };

/** A file the media protocol may serve. */
export interface MediaAnswer {
  path: string;
  contentType: string;
}

/** What the engine process sends to main. */
export type FromEngine =
  | { type: 'result'; id: number; result: ApiResult<unknown> }
  | { type: 'media-result'; id: number; media: MediaAnswer | null }
  /** A call that threw in the engine process (a bug): it rejects on main's side too. */
  | { type: 'crash'; id: number; error: ApiError }
  | { type: 'event'; event: GlintEvent }
  | { type: 'shell'; id: number; action: 'reveal' | 'open' | 'pick'; path?: string }
  | { type: 'ready' };

/** The Electron-only actions main performs for the engine process. */
export interface ShellActions {
  reveal(path: string): void | Promise<void>;
  open(path: string): Promise<void>;
  pick(): Promise<string | null>;
}

/** Main's side: calls into the engine process and answers its shell requests. */
export interface EngineClient {
  call(method: string, payload: unknown): Promise<ApiResult<unknown>>;
  media(kind: string, itemId: number): Promise<MediaAnswer | null>;
  /** Feeds one message from the engine process. */
  receive(message: FromEngine): void;
  /** Fails every pending call (the engine process exited). */
  fail(message: string): void;
}

/** Creates main's side over `post` (e.g. a UtilityProcess's postMessage). */
export function createEngineClient(
  post: (message: ToEngine) => void,
  shell: ShellActions,
  onEvent: (event: GlintEvent) => void,
): EngineClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  let failure: string | null = null;

  function request<T>(message: ToEngine): Promise<T> {
    if (failure) return Promise.reject(new Error(failure));
    return new Promise<T>((resolve, reject) => {
      pending.set(message.id, { resolve: resolve as (v: never) => void, reject });
      post(message);
    });
  }

  async function runShell(m: Extract<FromEngine, { type: 'shell' }>): Promise<void> {
    try {
      let value: string | null = null;
      if (m.action === 'pick') value = await shell.pick();
      else if (m.action === 'reveal') await shell.reveal(m.path ?? '');
      else await shell.open(m.path ?? '');
      post({ type: 'shell-result', id: m.id, result: { ok: true, value } });
    } catch (err) {
      post({ type: 'shell-result', id: m.id, result: { ok: false, error: toApiError(err) } });
    }
  }

  return {
    call: (method, payload) => request({ type: 'call', id: nextId++, method, payload }),
    media: (kind, itemId) => request({ type: 'media', id: nextId++, kind, itemId }),
    receive(m) {
      if (m.type === 'event') return onEvent(m.event);
      if (m.type === 'shell') return void runShell(m);
      if (m.type === 'ready') return;
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.type === 'result') p.resolve(m.result as never);
      else if (m.type === 'media-result') p.resolve(m.media as never);
      else p.reject(fromApiError(m.error));
    },
    fail(message) {
      failure = message;
      for (const p of pending.values()) p.reject(new Error(message));
      pending.clear();
    },
  };
}

/** What the engine process serves: the host's call and media lookups. */
export interface EngineServerHost {
  call(method: string, payload: unknown): Promise<ApiResult<unknown>>;
  media(kind: string, id: unknown): MediaAnswer | null;
}

/** The engine process's side: answers main's messages from `host`; `shell` asks main for Electron actions. */
export function createEngineServer(post: (message: FromEngine) => void): {
  serve(host: EngineServerHost, message: ToEngine): void;
  shell: ShellActions;
} {
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: string | null) => void; reject: (e: Error) => void }>();
  const ask = (action: 'reveal' | 'open' | 'pick', path?: string): Promise<string | null> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      post({ type: 'shell', id, action, ...(path === undefined ? {} : { path }) });
    });
  return {
    serve(host, m) {
      if (m.type === 'shell-result') {
        const w = waiting.get(m.id);
        waiting.delete(m.id);
        if (m.result.ok) w?.resolve(m.result.value);
        else w?.reject(fromApiError(m.result.error));
        return;
      }
      if (m.type === 'media') {
        post({ type: 'media-result', id: m.id, media: host.media(m.kind, m.itemId) });
        return;
      }
      host.call(m.method, m.payload).then(
        (result) => post({ type: 'result', id: m.id, result }),
        (err: unknown) => {
          // The stack stays in this process's log; main gets the one error shape.
          console.error(err);
          post({ type: 'crash', id: m.id, error: { code: 'internal', message: toApiError(err).message } });
        },
      );
    },
    shell: {
      reveal: async (path) => void (await ask('reveal', path)),
      open: async (path) => void (await ask('open', path)),
      pick: () => ask('pick'),
    },
  };
}
