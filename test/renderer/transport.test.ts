import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApi } from '../../src/renderer/src/api/http-api.ts';
import { readToken } from '../../src/renderer/src/api/token.ts';
import { bytesToBase64, toWireJson } from '../../src/renderer/src/api/wire.ts';

describe('wire format', () => {
  it('encodes bytes as the same base64 as Node, across the 32 KiB chunk boundary', () => {
    const bytes = new Uint8Array(100_003).map((_, i) => (i * 7919) & 0xff);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(bytesToBase64(new Uint8Array())).toBe('');
  });

  it('puts base64 strings where Uint8Arrays were and sends {} for no argument', () => {
    const json = toWireJson({ query: { bytes: new Uint8Array([1, 2, 255]), name: 'a.jpg' }, limit: 5 });
    expect(JSON.parse(json)).toEqual({ query: { bytes: 'AQL/', name: 'a.jpg' }, limit: 5 });
    expect(toWireJson(undefined)).toBe('{}');
  });
});

describe('readToken', () => {
  function storage(): Storage {
    const m = new Map<string, string>();
    return {
      getItem: (k: string) => m.get(k) ?? null,
      setItem: (k: string, v: string) => void m.set(k, v),
    } as Storage;
  }

  it('takes the token from the URL, keeps it for reloads and drops it from the address', () => {
    const s = storage();
    let dropped = false;
    expect(readToken({ search: '?token=abc%2Bdef', storage: s, dropFromUrl: () => (dropped = true) })).toBe(
      'abc+def',
    );
    expect(dropped).toBe(true);
    expect(readToken({ search: '', storage: s })).toBe('abc+def');
    expect(readToken({ search: '', storage: storage() })).toBeNull();
  });
});

describe('createHttpApi against a real HTTP server', () => {
  let server: Server;
  let base = '';
  const seen: Array<{ url: string; auth: string | undefined; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', auth: req.headers.authorization, body });
        if (req.headers.authorization !== 'Bearer t0k') {
          res.writeHead(401, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ ok: false, error: { code: 'unauthorized', message: 'no' } }));
        }
        if (req.url === '/api/status') {
          res.writeHead(500, { 'content-type': 'text/plain' });
          return res.end('boom');
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
    expect(last.url).toBe('/api/search');
    expect(last.auth).toBe('Bearer t0k');
  });

  it('turns a bad token, a non-JSON answer and an unreachable server into ApiResult errors', async () => {
    const bad = await createHttpApi({ base, token: 'nope', fetch }).listFolders();
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/token/);

    const broken = await createHttpApi({ base, token: 't0k', fetch }).status();
    expect(broken).toEqual({
      ok: false,
      error: { code: 'transport', message: 'Glint answered 500 Internal Server Error to status.' },
    });

    const gone = await createHttpApi({ base: 'http://127.0.0.1:1', token: 't0k', fetch }).status();
    expect(gone.ok).toBe(false);
    if (!gone.ok) expect(gone.error.message).toMatch(/not reachable/);
  });

  it('builds media URLs from ids only, with the token for <img>', () => {
    const api = createHttpApi({ base: '', token: 'a b', fetch });
    expect(api.mediaUrl('thumb', 42.9)).toBe('/media/thumb/42?token=a%20b');
    expect(api.mediaUrl('original', 7)).toBe('/media/original/7?token=a%20b');
  });
});
