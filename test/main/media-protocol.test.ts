/** `glint-media://thumb|original/<id>`: photos by item id only, everything else a 404 before the engine. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MEDIA_SCHEME,
  MEDIA_SCHEME_PRIVILEGES,
  mediaHandler,
  parseMediaUrl,
  registerMediaProtocol,
} from '../../src/main/media-protocol.ts';

describe('glint-media protocol', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glint-media-'));
  const file = join(dir, 'a.webp');
  writeFileSync(file, Buffer.from('RIFF0000WEBP'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const asked: Array<[string, number]> = [];
  const handler = mediaHandler(
    async (kind, id) => {
      asked.push([kind, id]);
      if (id === 9) return { path: join(dir, 'gone.webp'), contentType: 'image/webp' };
      return id === 7 ? { path: file, contentType: 'image/webp' } : null;
    },
    async (path) => new Response(await readFile(path)),
  );

  it('serves a known id with its content type, privately cached and never sniffed', async () => {
    const res = await handler(new Request('glint-media://thumb/7'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(res.headers.get('cache-control')).toBe('private, max-age=3600');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('RIFF0000WEBP');
    expect(asked.at(-1)).toEqual(['thumb', 7]);
  });

  it('refuses unknown ids, traversal, encoded traversal and non-numeric ids', async () => {
    expect((await handler(new Request('glint-media://thumb/8'))).status).toBe(404);
    asked.length = 0;
    for (const url of [
      'glint-media://thumb/../../etc/passwd',
      'glint-media://thumb/..%2F..%2Fetc%2Fpasswd',
      'glint-media://thumb/%2e%2e',
      'glint-media://thumb/7.0',
      'glint-media://thumb/07',
      'glint-media://thumb/-7',
      'glint-media://thumb/abc',
      'glint-media://thumb/7?x=1',
      'glint-media://file/7',
      'glint-media:///etc/passwd',
    ]) {
      expect(parseMediaUrl(url), url).toBeNull();
      expect((await handler(new Request(url))).status, url).toBe(404);
    }
    expect(asked).toEqual([]);
    // A dot segment is refused in the raw URL (Chromium would normalise it to the plain id before the handler).
    expect(parseMediaUrl('glint-media://original/7/../7')).toBeNull();
    expect(parseMediaUrl('glint-media://original/12')).toEqual({ kind: 'original', id: 12 });
    expect(parseMediaUrl('https://thumb/12')).toBeNull();
  });

  it('answers only GET', async () => {
    asked.length = 0;
    const res = await handler(new Request('glint-media://thumb/7', { method: 'POST', body: 'x' }));
    expect(res.status).toBe(404);
    expect(asked).toEqual([]);
  });

  it('is a 404, not a crash, when the engine knows the id but the file cannot be read', async () => {
    expect((await handler(new Request('glint-media://original/9'))).status).toBe(404);
    const notOk = mediaHandler(
      async () => ({ path: file, contentType: 'image/webp' }),
      async () => new Response('denied', { status: 403 }),
    );
    expect((await notOk(new Request('glint-media://thumb/7'))).status).toBe(404);
  });

  it('registers as a standard, secure, fetchable, streaming scheme under its one name', () => {
    expect(MEDIA_SCHEME_PRIVILEGES).toEqual({
      scheme: 'glint-media',
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
    });
    const registered: Array<[string, unknown]> = [];
    registerMediaProtocol(
      { handle: (scheme: string, h: unknown) => void registered.push([scheme, h]) } as never,
      handler,
    );
    expect(registered).toEqual([[MEDIA_SCHEME, handler]]);
  });
});
