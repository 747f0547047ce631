/** The CSP header on every response, permission requests denied, and one policy for header and meta tag. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_CSP, META_CSP } from '../../src/contract/csp.ts';
import { registerCsp } from '../../src/main/csp.ts';

type HeadersListener = (
  details: { responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders: Record<string, string[]> }) => void,
) => void;
type PermissionHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
) => void;

/** A session that records the listeners registerCsp installs. */
function fakeSession() {
  const got: { headers?: HeadersListener; permissions?: PermissionHandler } = {};
  const session = {
    webRequest: { onHeadersReceived: (fn: HeadersListener) => void (got.headers = fn) },
    setPermissionRequestHandler: (fn: PermissionHandler) => void (got.permissions = fn),
  };
  return { session: session as never, got };
}

describe('registerCsp', () => {
  it('sends a strict CSP header on every response, keeping the other headers', () => {
    const { session, got } = fakeSession();
    registerCsp(session);
    let answer: unknown;
    got.headers!({ responseHeaders: { 'X-A': ['1'] } }, (r) => (answer = r));
    expect(answer).toEqual({ responseHeaders: { 'X-A': ['1'], 'Content-Security-Policy': [APP_CSP] } });
    got.headers!({}, (r) => (answer = r));
    expect(answer).toEqual({ responseHeaders: { 'Content-Security-Policy': [APP_CSP] } });
  });

  it('replaces a policy a response brought with it instead of adding a second one', () => {
    const { session, got } = fakeSession();
    registerCsp(session, "default-src 'none'");
    let answer: { responseHeaders: Record<string, string[]> } | undefined;
    got.headers!({ responseHeaders: { 'Content-Security-Policy': ['default-src *'] } }, (r) => (answer = r));
    expect(answer?.responseHeaders['Content-Security-Policy']).toEqual(["default-src 'none'"]);
  });

  it('denies every permission request (camera, notifications, …)', () => {
    const { session, got } = fakeSession();
    registerCsp(session);
    const granted: boolean[] = [];
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read'])
      got.permissions!(null, p, (ok) => granted.push(ok));
    expect(granted).toEqual([false, false, false, false]);
  });

  it('uses a policy with no remote content and no eval', () => {
    expect(APP_CSP).toMatch(/default-src 'self'/);
    expect(APP_CSP).toMatch(/object-src 'none'/);
    expect(APP_CSP).toMatch(/frame-ancestors 'none'/);
    expect(APP_CSP).not.toMatch(/unsafe-eval|https?:|\*/);
  });
});

describe('one Content-Security-Policy', () => {
  it("index.html's meta tag says what the contract's policy says", () => {
    const html = readFileSync('src/renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(META_CSP);
    expect(APP_CSP.startsWith(META_CSP.slice(0, META_CSP.indexOf('img-src')))).toBe(true);
  });
});
