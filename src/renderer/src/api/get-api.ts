import type { GlintApi } from '../../../contract/api.ts';
import { createHttpApi } from './http-api.ts';
import { readToken } from './token.ts';

/** Why the UI cannot reach an engine (a browser page opened without the token). */
export class NoApiError extends Error {}

/**
 * The one place that knows the transport: `window.glint` from Electron's preload, else `glint serve`
 * over HTTP on this page's origin with the token from the URL or this tab's storage.
 */
export function getApi(): GlintApi {
  const bridged = (window as unknown as { glint?: GlintApi }).glint;
  if (bridged) return bridged;
  const token = readToken({
    search: location.search,
    storage: sessionStorage,
    dropFromUrl: () => history.replaceState(null, '', location.pathname + location.hash),
  });
  if (!token) {
    throw new NoApiError('This page needs its access token. Open the full URL that `glint serve` printed.');
  }
  return createHttpApi({ base: '', token, fetch: fetch.bind(window), EventSource });
}
