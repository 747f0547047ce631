import type { ApiResult } from '../../../contract/api.ts';
import type { Toasts } from './toasts.svelte.ts';

const CONNECTION_CODES = new Set(['offline', 'link-expired']);

/** The value of a call, or null after showing its error to the user (expected failures are values). */
export async function settle<T>(call: Promise<ApiResult<T>>, toasts: Toasts): Promise<T | null> {
  try {
    const result = await call;
    if (result.ok) return result.value;
    // A host that went away or a link that expired is said once, by the app's banner, not by every call.
    if (CONNECTION_CODES.has(result.error.code)) toasts.onConnection(result.error.code);
    else toasts.show(result.error.message, 'error');
  } catch (err) {
    toasts.show(`Something went wrong: ${err instanceof Error ? err.message : String(err)}`, 'error');
  }
  return null;
}
