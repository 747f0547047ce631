/**
 * createHttpApi: the browser UI's GlintApi over `glint serve`. Against a plain loopback server (what
 * each answer becomes), a stand-in EventSource (one shared stream), and the real `glint serve`
 * server over a fake host (the client and the server agree on paths, token, bytes, media and events).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, GlintEvent } from '../../../src/contract/api.ts';
import type { ApiHost } from '../../../src/engine/host/api-host.ts';
import { startHttpServer, type RunningServer } from '../../../src/engine/host/http-server.ts';
import { createHttpApi } from '../../../src/renderer/src/api/http-api.ts';

describe('createHttpApi against a plain HTTP server', () => {
  let server: Server;
  let base = '';
  const seen: Array<{
    method: string | undefined;
    url: string;
    auth: string | undefined;
    type: string | undefined;
    body: string;
  }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({
          method: req.method,
          url: req.url ?? '',
          auth: req.headers.authorization,
          type: req.headers['content-type'],
          body,
        });
        if (req.headers.authorization !== 'Bearer t0k') {
          res.writeHead(401, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ ok: false, error: { code: 'unauthorized', message: 'no' } }));
        }
        if (req.url === '/api/status') {
          res.writeHead(500, { 'content-type': 'text/plain' });
          return res.end('boom');
        }
        if (req.url === '/api/listTags') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify([1, 2]));
        }
        if (req.url === '/api/item') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ ok: false, error: { code: 'not-found', message: 'No item 9.' } }));
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, value: { echo: JSON.parse(body || 'null') } }));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('POSTs JSON with the bearer token to /api/<method> and returns the ApiResult', async () => {
    const api = createHttpApi({ base, token: 't0k', fetch });
    const res = await api.search({ images: [{ bytes: new Uint8Array([0, 1]), name: 'x.png' }] });
    expect(res).toEqual({ ok: true, value: { echo: { images: [{ bytes: 'AAE=', name: 'x.png' }] } } });
    const last = seen[seen.length - 1]!;
    expect(last).toMatchObject({
      method: 'POST',
      url: '/api/search',
      auth: 'Bearer t0k',
      type: 'application/json',
    });
    expect(await api.reindex()).toEqual({ ok: true, value: { echo: {} } });
    expect(seen.at(-1)?.body).toBe('{}');
  });

  it('passes an expected failure through as it came', async () => {
    const api = createHttpApi({ base, token: 't0k', fetch });
    expect(await api.item({ id: 9 })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No item 9.' },
    });
  });

  it('turns a bad token, a non-JSON or non-result answer and an unreachable server into ApiResult errors', async () => {
    const bad = await createHttpApi({ base, token: 'nope', fetch }).listFolders();
    expect(bad).toEqual({
      ok: false,
      error: {
        code: 'link-expired',
        message: 'This link has expired: open the address that `glint serve` printed.',
      },
    });

    const broken = await createHttpApi({ base, token: 't0k', fetch }).status();
    expect(broken).toEqual({
      ok: false,
      error: { code: 'transport', message: 'Glint answered 500 Internal Server Error to status.' },
    });

    const odd = await createHttpApi({ base, token: 't0k', fetch }).listTags();
    expect(odd).toEqual({
      ok: false,
      error: { code: 'transport', message: 'Glint answered 200 OK to listTags.' },
    });

    const gone = await createHttpApi({ base: 'http://127.0.0.1:1', token: 't0k', fetch }).status();
    expect(gone).toEqual({
      ok: false,
      error: { code: 'offline', message: 'Glint is not reachable. Is `glint serve` still running?' },
    });
  });

  it('builds media URLs from ids only, with the token for <img>', () => {
    const api = createHttpApi({ base: '', token: 'a b', fetch });
    expect(api.mediaUrl('thumb', 42.9)).toBe('/media/thumb/42?token=a%20b');
    expect(api.mediaUrl('original', 7)).toBe('/media/original/7?token=a%20b');
    expect(createHttpApi({ base, token: 't', fetch }).mediaUrl('thumb', 1)).toBe(
      `${base}/media/thumb/1?token=t`,
    );
  });
});

/** A stand-in EventSource: records what was opened and closed, and lets the test push messages. */
class FakeEventSource {
  static opened: FakeEventSource[] = [];
  readonly url: string;
  closed = false;
  onmessage: ((msg: MessageEvent<string>) => void) | null = null;
  constructor(url: string) {
    this.url = url;
    FakeEventSource.opened.push(this);
  }
  close(): void {
    this.closed = true;
  }
  push(data: string): void {
    this.onmessage?.({ data } as MessageEvent<string>);
  }
}

describe('createHttpApi events', () => {
  const make = () =>
    createHttpApi({
      base: 'http://h:1',
      token: 't&k',
      fetch,
      EventSource: FakeEventSource as unknown as typeof EventSource,
    });

  it('opens one stream for every listener on the first subscription and closes it after the last', () => {
    FakeEventSource.opened = [];
    const api = make();
    const a: GlintEvent[] = [];
    const b: GlintEvent[] = [];
    const offA = api.onEvent((e) => a.push(e));
    const offB = api.onEvent((e) => b.push(e));
    expect(FakeEventSource.opened.map((s) => s.url)).toEqual(['http://h:1/api/events?token=t%26k']);
    const stream = FakeEventSource.opened[0]!;
    stream.push('{"type":"index-idle"}');
    offA();
    expect(stream.closed).toBe(false);
    stream.push('{"type":"library-changed"}');
    offB();
    expect(stream.closed).toBe(true);
    expect(a).toEqual([{ type: 'index-idle' }]);
    expect(b).toEqual([{ type: 'index-idle' }, { type: 'library-changed' }]);

    api.onEvent(() => {});
    expect(FakeEventSource.opened).toHaveLength(2);
    expect(FakeEventSource.opened[1]!.closed).toBe(false);
  });

  it('skips a message that is not JSON instead of breaking the stream', () => {
    FakeEventSource.opened = [];
    const got: GlintEvent[] = [];
    make().onEvent((e) => got.push(e));
    const stream = FakeEventSource.opened[0]!;
    stream.push('not json');
    stream.push('{"type":"notice","message":"hi"}');
    expect(got).toEqual([{ type: 'notice', message: 'hi' }]);
  });

  it('has no stream where the page has no EventSource, and unsubscribing still works', () => {
    const off = createHttpApi({ base: '', token: 't', fetch }).onEvent(() => {});
    expect(() => off()).not.toThrow();
  });
});

/** Just enough of EventSource over fetch for the real server's stream (Node 22 has none). */
class FetchEventSource {
  onmessage: ((msg: MessageEvent<string>) => void) | null = null;
  readonly #abort = new AbortController();
  constructor(url: string) {
    void fetch(url, { signal: this.#abort.signal })
      .then(async (res) => {
        let buffer = '';
        for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (frame.startsWith('data: '))
              this.onmessage?.({ data: frame.slice(6) } as MessageEvent<string>);
          }
        }
      })
      .catch(() => {});
  }
  close(): void {
    this.#abort.abort();
  }
}

describe('createHttpApi against the real glint serve server', () => {
  let server: RunningServer;
  let base = '';
  let ui = '';
  const received: Array<[string, unknown]> = [];
  const listeners = new Set<(e: GlintEvent) => void>();

  beforeAll(async () => {
    ui = mkdtempSync(join(tmpdir(), 'glint-http-api-'));
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Glint</title>');
    writeFileSync(join(ui, 'thumb.webp'), 'RIFF0000WEBP');
    const host = {
      handlers: {},
      call: async (method: string, payload: unknown): Promise<ApiResult<unknown>> => {
        received.push([method, payload]);
        return { ok: true, value: { method } };
      },
      media: (kind: string, id: unknown) =>
        kind === 'thumb' && id === '5' ? { path: join(ui, 'thumb.webp'), contentType: 'image/webp' } : null,
      onEvent: (l: (e: GlintEvent) => void) => {
        listeners.add(l);
        return () => void listeners.delete(l);
      },
      reindexAll: () => {},
      idle: async () => {},
      close: async () => {},
    } as unknown as ApiHost;
    server = await startHttpServer({ host, rendererDir: ui, port: 0, token: 'sekrit/+=' });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.close();
    rmSync(ui, { recursive: true, force: true });
  });

  it('calls a method with its payload, bytes as the base64 the host’s schemas decode', async () => {
    const api = createHttpApi({ base, token: 'sekrit/+=', fetch });
    expect(
      await api.search({ images: [{ bytes: new Uint8Array([255, 0, 7]), name: 'q.jpg' }], limit: 3 }),
    ).toEqual({
      ok: true,
      value: { method: 'search' },
    });
    expect(received.at(-1)).toEqual(['search', { images: [{ bytes: '/wAH', name: 'q.jpg' }], limit: 3 }]);
    expect(Buffer.from('/wAH', 'base64')).toEqual(Buffer.from([255, 0, 7]));
  });

  it('says the token is stale when the server refuses it, before the host is asked', async () => {
    const before = received.length;
    const res = await createHttpApi({ base, token: 'old', fetch }).status();
    expect(res.ok).toBe(false);
    if (!res.ok)
      expect(res.error).toMatchObject({
        code: 'link-expired',
        message: expect.stringMatching(/link has expired/),
      });
    expect(received.length).toBe(before);
  });

  it('builds media URLs the server serves (token in the query), and only for known ids', async () => {
    const api = createHttpApi({ base, token: 'sekrit/+=', fetch });
    const res = await fetch(api.mediaUrl('thumb', 5));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(await res.text()).toBe('RIFF0000WEBP');
    expect((await fetch(api.mediaUrl('thumb', 6))).status).toBe(404);
    expect((await fetch(createHttpApi({ base, token: 'x', fetch }).mediaUrl('thumb', 5))).status).toBe(401);
  });

  it('receives the host’s events over the server’s event stream', async () => {
    const api = createHttpApi({
      base,
      token: 'sekrit/+=',
      fetch,
      EventSource: FetchEventSource as unknown as typeof EventSource,
    });
    const got: GlintEvent[] = [];
    const off = api.onEvent((e) => got.push(e));
    const deadline = Date.now() + 10_000;
    while (listeners.size === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const l of listeners) l({ type: 'ingest-state', state: 'paused' });
    while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    off();
    expect(got).toEqual([{ type: 'ingest-state', state: 'paused' }]);
  });
});
