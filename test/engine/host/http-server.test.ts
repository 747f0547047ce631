import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHost, type ApiHost } from '../../../src/engine/host/api-host.ts';
import { startHttpServer, type RunningServer } from '../../../src/engine/host/http-server.ts';
import type { GlintEvent, SearchResponse } from '../../../src/contract/api.ts';
import { HAS_SHARED_DATA } from '../../helpers/shared-data.ts';
import { openHostFixture, type HostFixture } from './host-fixture.ts';

/** A raw GET whose path is sent exactly as written (fetch would normalise `..` away). */
function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!HAS_SHARED_DATA)('glint serve HTTP transport (real engine, tiny stand-ins)', () => {
  let fx: HostFixture;
  let host: ApiHost;
  let server: RunningServer;
  let ui: string;
  let base: string;
  let auth: Record<string, string>;

  beforeAll(async () => {
    fx = await openHostFixture(4);
    ui = mkdtempSync(join(tmpdir(), 'glint-ui-'));
    mkdirSync(join(ui, 'assets'));
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Glint</title>');
    writeFileSync(join(ui, 'assets', 'app.js'), 'console.log(1)');
    host = createApiHost(fx.engine, { shell: 'browser' });
    server = await startHttpServer({ host, rendererDir: ui, port: 0 });
    base = `http://127.0.0.1:${server.port}`;
    auth = { authorization: `Bearer ${server.token}` };
  });

  afterAll(async () => {
    await server?.close();
    await host?.close();
    await fx?.cleanup();
    rmSync(ui, { recursive: true, force: true });
  });

  const post = (method: string, body: string, headers = auth): Promise<Response> =>
    fetch(`${base}/api/${method}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });

  it('binds 127.0.0.1 only and prints a URL with the token', async () => {
    expect(server.address).toBe('127.0.0.1');
    expect(server.url).toBe(`${base}/?token=${encodeURIComponent(server.token)}`);
    expect(server.token.length).toBeGreaterThanOrEqual(40);
    await expect(startHttpServer({ host, rendererDir: ui, port: 0, hostname: '0.0.0.0' })).rejects.toThrow(
      /only listens/,
    );
    await expect(
      startHttpServer({ host, rendererDir: ui, port: 0, hostname: '192.168.1.2' }),
    ).rejects.toThrow(/only listens/);
  });

  it('answers 401 without or with a wrong token, on the API, events and media', async () => {
    expect((await post('status', '{}', {})).status).toBe(401);
    expect((await post('status', '{}', { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await fetch(`${base}/api/events?token=wrong`)).status).toBe(401);
    expect((await fetch(`${base}/media/thumb/1`)).status).toBe(401);
    const body = (await (await post('status', '{}', {})).json()) as { ok: boolean };
    expect(body.ok).toBe(false);
  });

  it('runs a search end to end, with the token in the header', async () => {
    const res = await post('search', JSON.stringify({ text: 'a dog', limit: 3 }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: true; value: SearchResponse };
    expect(body.ok).toBe(true);
    expect(body.value.photos).toHaveLength(3);
    const thumb = await fetch(`${base}/media/thumb/${body.value.photos[0]!.id}?token=${server.token}`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(thumb.headers.get('cache-control')).toMatch(/max-age/);
    expect((await thumb.arrayBuffer()).byteLength).toBeGreaterThan(100);
    const original = await fetch(`${base}/media/original/${body.value.photos[0]!.id}`, { headers: auth });
    expect(original.headers.get('content-type')).toBe('image/jpeg');
  });

  it('answers 400 for malformed JSON, ok:false for invalid requests, 404/405 for wrong routes, 413 when too big', async () => {
    expect((await post('search', '{"text": ')).status).toBe(400);
    const invalid = (await (await post('search', '{"text": 1}')).json()) as {
      ok: boolean;
      error: { code: string };
    };
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect((await post('noSuchMethod', '{}')).status).toBe(404);
    expect((await post('__proto__', '{}')).status).toBe(404);
    expect((await fetch(`${base}/api/search`, { headers: auth })).status).toBe(405);
    expect((await fetch(`${base}/media/thumb/1`, { method: 'DELETE', headers: auth })).status).toBe(405);
    const small = await startHttpServer({ host, rendererDir: ui, port: 0, maxBodyBytes: 1_000 });
    const big = await fetch(`http://127.0.0.1:${small.port}/api/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${small.token}` },
      body: JSON.stringify({ text: 'x'.repeat(2_000) }),
    });
    expect(big.status).toBe(413);
    await small.close();
  });

  it('serves media by id only: 404 for unknown ids, traversal and non-numeric ids', async () => {
    const t = `?token=${server.token}`;
    expect((await fetch(`${base}/media/thumb/999999${t}`)).status).toBe(404);
    for (const path of [
      '/media/thumb/..%2F..%2F..%2Fetc%2Fpasswd',
      '/media/original/%2e%2e',
      '/media/thumb/1.0',
      '/media/thumb/0x1',
      '/media/thumb/-1',
      '/media/thumb/abc',
      '/media/file/1',
    ]) {
      expect(await rawGet(server.port, `${path}${t}`), path).toBe(404);
    }
    // Dot segments are resolved before routing: this reaches the app page (a client route), never the file.
    const dots = await fetch(`${base}/media/original/../../etc/passwd${t}`);
    expect(await dots.text()).not.toMatch(/root:/);
  });

  it('serves the built UI with a strict CSP, and refuses traversal and foreign Host headers', async () => {
    const page = await fetch(`${base}/?token=x`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'.*object-src 'none'/);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect((await fetch(`${base}/assets/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect(await (await fetch(`${base}/library`)).text()).toMatch(/<title>Glint/);
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect(await rawGet(server.port, '/../package.json')).toBe(404);
    expect(await rawGet(server.port, '/%2e%2e/%2e%2e/package.json')).toBe(404);
    expect(await rawGet(server.port, '/assets/..%2f..%2fpackage.json')).toBe(404);
    expect(await rawGet(server.port, '/', { host: 'evil.example:80' })).toBe(421);
    const bare = await startHttpServer({ host, rendererDir: join(ui, 'missing'), port: 0 });
    const res = await fetch(`http://127.0.0.1:${bare.port}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build/);
    await bare.close();
  });

  it('streams index progress over server-sent events', async () => {
    const abort = new AbortController();
    const res = await fetch(`${base}/api/events?token=${server.token}`, { signal: abort.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const events: GlintEvent[] = [];
    const reading = (async () => {
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += value;
        let at: number;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const chunk = buf.slice(0, at);
          buf = buf.slice(at + 2);
          if (chunk.startsWith('data: ')) events.push(JSON.parse(chunk.slice(6)) as GlintEvent);
        }
        if (events.some((e) => e.type === 'index-idle')) return;
      }
    })();
    const added = await post('addFolder', JSON.stringify({ path: fx.more }));
    expect(((await added.json()) as { ok: boolean }).ok).toBe(true);
    await reading;
    abort.abort();
    const progress = events.find((e) => e.type === 'index-progress');
    expect(progress).toMatchObject({ type: 'index-progress', progress: { total: 4 } });
    expect(events.findLast((e) => e.type === 'index-progress')).toMatchObject({ progress: { done: 4 } });
  });
});
