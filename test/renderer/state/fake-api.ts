/**
 * A fake Glint host for the renderer's state classes: answers per method, a log of the calls, and
 * events pushed at will, wired through the contract's own `createApiClient` so the real client runs.
 */
import {
  createApiClient,
  type ApiRequest,
  type ApiResult,
  type ApiValue,
  type GlintApi,
  type GlintEvent,
  type MethodName,
} from '../../../src/contract/api.ts';

/** How the fake answers one method: a result (or a promise of one); throwing stands for a crashed call. */
export type Answer<M extends MethodName> = (
  request: ApiRequest<M>,
) => ApiResult<ApiValue<M>> | Promise<ApiResult<ApiValue<M>>>;

/** Answers by method; a method without one fails the test loudly. */
export type Answers = { [M in MethodName]?: Answer<M> };

/** A success. */
export const ok = <T>(value: T): ApiResult<T> => ({ ok: true, value });
/** An expected failure. */
export const fail = (code: string, message: string): ApiResult<never> => ({
  ok: false,
  error: { code, message },
});

/** Lets pending promise chains (the client, settle, the state's awaits) run to their end. */
export const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

/** The fake host: `api` for the state class, `calls` it answered, `answers` to change, `emit` to push events. */
export function fakeApi(initial: Answers = {}): {
  api: GlintApi;
  answers: Answers;
  calls: Array<{ method: MethodName; request: unknown }>;
  emit: (event: GlintEvent) => void;
  listeners: () => number;
} {
  const answers: Answers = { ...initial };
  const calls: Array<{ method: MethodName; request: unknown }> = [];
  const listeners = new Set<(event: GlintEvent) => void>();
  const api = createApiClient({
    call: async (method, request) => {
      calls.push({ method, request });
      const answer = answers[method] as ((req: unknown) => ApiResult<unknown>) | undefined;
      if (!answer) throw new Error(`the fake host has no ${method}`);
      return answer(request);
    },
    mediaUrl: (kind, id) => `/media/${kind}/${id}`,
    onEvent: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  });
  return {
    api,
    answers,
    calls,
    emit: (event) => listeners.forEach((l) => l(event)),
    listeners: () => listeners.size,
  };
}

/** A Storage in memory (localStorage / sessionStorage stand-in). */
export function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k: string) => m.get(k) ?? null,
    key: (i: number) => [...m.keys()][i] ?? null,
    removeItem: (k: string) => void m.delete(k),
    setItem: (k: string, v: string) => void m.set(k, String(v)),
  };
}
