import type { Session } from 'electron';
import { APP_CSP } from '../contract/csp.ts';

/** Adds the CSP header to every response the session loads, and denies every permission request. */
export function registerCsp(session: Session, csp = APP_CSP): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}
