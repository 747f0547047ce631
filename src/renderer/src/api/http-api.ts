import { createApiClient, type ApiResult, type GlintApi, type GlintEvent } from '../../../contract/api.ts';
import { toWireJson } from './wire.ts';

/** What the HTTP transport needs from its page: where the server is, the token, fetch and EventSource. */
export interface HttpApiOptions {
  /** Origin of `glint serve`, e.g. `http://127.0.0.1:5000` (empty for same-origin). */
  base: string;
  token: string;
  fetch: typeof fetch;
  EventSource?: typeof EventSource;
}

type Listener = (event: GlintEvent) => void;

/** A failed request as an ApiResult error, so the UI shows it like any expected failure. */
function transportError(message: string, code = 'transport'): ApiResult<never> {
  return { ok: false, error: { code, message } };
}

/**
 * `GlintApi` over `glint serve`: `POST /api/<method>` with a JSON body (bytes as base64) answering an
 * `ApiResult`, events over one shared server-sent-events stream, media by id with the token in the URL.
 */
export function createHttpApi(opts: HttpApiOptions): GlintApi {
  const auth = { authorization: `Bearer ${opts.token}` };
  const query = `token=${encodeURIComponent(opts.token)}`;

  async function call(method: string, request: unknown): Promise<ApiResult<unknown>> {
    let res: Response;
    try {
      res = await opts.fetch(`${opts.base}/api/${method}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: toWireJson(request),
      });
    } catch {
      return transportError('Glint is not reachable. Is `glint serve` still running?', 'offline');
    }
    if (res.status === 401) {
      return transportError(
        'This link has expired: open the address that `glint serve` printed.',
        'link-expired',
      );
    }
    const body = (await res.json().catch(() => null)) as ApiResult<unknown> | null;
    if (body && typeof body === 'object' && 'ok' in body) return body;
    return transportError(`Glint answered ${res.status} ${res.statusText} to ${method}.`);
  }

  const listeners = new Set<Listener>();
  let source: EventSource | null = null;

  function connect(): void {
    if (source || !opts.EventSource) return;
    source = new opts.EventSource(`${opts.base}/api/events?${query}`);
    source.onmessage = (msg: MessageEvent<string>) => {
      let event: GlintEvent;
      try {
        event = JSON.parse(msg.data) as GlintEvent;
      } catch {
        return;
      }
      for (const l of listeners) l(event);
    };
  }

  return createApiClient({
    call,
    mediaUrl: (kind: 'thumb' | 'original', id: number) =>
      `${opts.base}/media/${kind}/${Math.trunc(id)}?${query}`,
    onEvent(listener: Listener) {
      listeners.add(listener);
      connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  });
}
