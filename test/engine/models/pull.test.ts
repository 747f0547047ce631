import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GlintError } from '../../../src/engine/errors.ts';
import { parseManifest, type ModelManifest } from '../../../src/engine/models/manifest.ts';
import { DEFAULT_MODEL_SET } from '../../../src/engine/models/paths.ts';
import { defaultSetPuller, pullModels, type PullProgress } from '../../../src/engine/models/pull.ts';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Content served by the test server, by name. */
const blobs: Record<string, Buffer> = {
  'onnx/model.onnx': randomBytes(1024 * 1024 + 123),
  'config.json': Buffer.from(JSON.stringify({ hidden_size: 512, note: 'x'.repeat(5000) })),
  'big.bin': randomBytes(2 * 1024 * 1024),
};

interface Hit {
  url: string;
  range: string | undefined;
}

/**
 * A real HTTP server on 127.0.0.1 with one behaviour per URL prefix:
 * /ok/ honours Range (206), /norange/ ignores it (200), /drop/ cuts the first transfer of each
 * file halfway (then behaves like /ok/), /corrupt/ serves different bytes of the right length,
 * /html/ serves an HTML error page with status 200, anything else is 404.
 */
let server: Server;
let base: string;
const hits: Hit[] = [];
const dropped = new Set<string>();

function serve(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  hits.push({ url, range: req.headers.range });
  const m = /^\/(ok|norange|drop|corrupt|html)\/(.+)$/.exec(url);
  const body = m === null ? undefined : blobs[m[2] as string];
  if (m === null || body === undefined) {
    res.writeHead(404, 'Not Found').end('no such file');
    return;
  }
  const mode = m[1] as string;
  if (mode === 'html') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Rate limited</html>');
    return;
  }
  if (mode === 'corrupt') {
    const bad = Buffer.from(body);
    bad[bad.length >> 1] = (bad[bad.length >> 1] as number) ^ 0xff;
    res.writeHead(200, { 'content-length': bad.length }).end(bad);
    return;
  }
  if (mode === 'drop' && !dropped.has(url)) {
    dropped.add(url);
    res.writeHead(200, { 'content-length': body.length });
    res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => res.socket?.destroy(), 30));
    return;
  }
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (range !== null && mode !== 'norange') {
    const start = Number(range[1]);
    if (start >= body.length) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    res.writeHead(206, {
      'content-length': body.length - start,
      'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
    });
    res.end(body.subarray(start));
    return;
  }
  res.writeHead(200, { 'content-length': body.length }).end(body);
}

beforeAll(async () => {
  server = createServer(serve);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'glint-pull-'));
  hits.length = 0;
  dropped.clear();
  return () => rmSync(dir, { recursive: true, force: true });
});

/** A manifest of one set whose files come from `mode` on the test server. */
function manifest(
  mode: string,
  names: string[],
  verify: Record<string, 'sha256' | 'size-only' | 'size-unknown'> = {},
): ModelManifest {
  return parseManifest({
    schema: 1,
    sets: [
      {
        id: 'test-set',
        description: 'test',
        license: 'test',
        files: names.map((name) => {
          const v = verify[name] ?? 'sha256';
          const b = blobs[name] as Buffer;
          return {
            path: name,
            url: `${base}/${mode}/${name}`,
            size: v === 'size-unknown' ? null : b.length,
            sha256: v === 'sha256' ? sha(b) : null,
            verify: v,
          };
        }),
      },
    ],
  });
}

const target = (name: string): string => join(dir, 'test-set', name);

async function failure(p: Promise<unknown>): Promise<GlintError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GlintError);
  return err as GlintError;
}

describe('pullModels', () => {
  it('downloads, verifies and places every file; reports progress; a second pull only re-verifies', async () => {
    const events: PullProgress[] = [];
    const m = manifest('ok', ['onnx/model.onnx', 'config.json'], { 'config.json': 'size-unknown' });
    const result = await pullModels({ manifest: m, dir, onProgress: (p) => events.push(p) });
    expect(result.files.map((f) => [f.file, f.status, f.verified])).toEqual([
      ['onnx/model.onnx', 'downloaded', 'sha256'],
      ['config.json', 'downloaded', 'none'],
    ]);
    expect(readFileSync(target('onnx/model.onnx')).equals(blobs['onnx/model.onnx'] as Buffer)).toBe(true);
    expect(readFileSync(target('config.json')).equals(blobs['config.json'] as Buffer)).toBe(true);
    expect(existsSync(`${target('onnx/model.onnx')}.part`)).toBe(false);
    expect(result.warnings).toEqual([
      'test-set/config.json could not be checksum-verified (the manifest pins no SHA-256 for it); it was checked to parse as JSON.',
    ]);

    const model = events.filter((e) => e.file === 'onnx/model.onnx');
    expect(model.at(-1)).toMatchObject({
      phase: 'done',
      bytes: blobs['onnx/model.onnx']?.length,
      total: blobs['onnx/model.onnx']?.length,
    });
    expect(model.some((e) => e.phase === 'download' && e.rate > 0)).toBe(true);
    const downloads = model.filter((e) => e.phase === 'download').map((e) => e.bytes);
    expect(downloads).toEqual([...downloads].sort((a, b) => a - b));
    // The total of a file with no pinned size comes from Content-Length.
    expect(events.filter((e) => e.file === 'config.json').at(-1)?.total).toBe(blobs['config.json']?.length);

    hits.length = 0;
    const again = await pullModels({ manifest: m, dir });
    expect(again.files.map((f) => f.status)).toEqual(['present', 'present']);
    expect(hits).toEqual([]);
  });

  it('resumes an interrupted transfer with a Range request', async () => {
    const m = manifest('drop', ['big.bin']);
    const err = await failure(pullModels({ manifest: m, dir, retries: 0 }));
    expect(err.code).toBe('download-interrupted');
    expect(err.message).toMatch(/Run the pull again to resume/);
    const partSize = statSync(`${target('big.bin')}.part`).size;
    expect(partSize).toBeGreaterThan(0);
    expect(partSize).toBeLessThan((blobs['big.bin'] as Buffer).length);

    hits.length = 0;
    const result = await pullModels({ manifest: m, dir });
    expect(hits).toEqual([{ url: '/drop/big.bin', range: `bytes=${partSize}-` }]);
    expect(result.files[0]).toMatchObject({
      status: 'downloaded',
      resumedFrom: partSize,
      verified: 'sha256',
    });
    expect(sha(readFileSync(target('big.bin')))).toBe(sha(blobs['big.bin'] as Buffer));
  });

  it('resumes by itself within one pull when the connection drops', async () => {
    const result = await pullModels({ manifest: manifest('drop', ['big.bin']), dir });
    expect(hits.map((h) => h.range === undefined)).toEqual([true, false]);
    expect(result.files[0]?.resumedFrom).toBeGreaterThan(0);
    expect(readFileSync(target('big.bin')).equals(blobs['big.bin'] as Buffer)).toBe(true);
  });

  it('starts over when the server ignores Range and answers 200', async () => {
    const body = blobs['big.bin'] as Buffer;
    mkdirSync(join(dir, 'test-set'), { recursive: true });
    writeFileSync(`${target('big.bin')}.part`, body.subarray(0, 1000));
    const result = await pullModels({ manifest: manifest('norange', ['big.bin']), dir });
    expect(hits).toEqual([{ url: '/norange/big.bin', range: 'bytes=1000-' }]);
    expect(result.files[0]?.resumedFrom).toBeUndefined();
    expect(readFileSync(target('big.bin')).equals(body)).toBe(true); // not 1000 bytes too long
  });

  it('deletes the .part and says so when the checksum does not match', async () => {
    const err = await failure(pullModels({ manifest: manifest('corrupt', ['big.bin']), dir }));
    expect(err.code).toBe('checksum-mismatch');
    expect(err.message).toMatch(/failed its checksum .* the partial file was deleted/);
    expect(existsSync(`${target('big.bin')}.part`)).toBe(false);
    expect(existsSync(target('big.bin'))).toBe(false);
  });

  it('rejects an HTML error page for a JSON file whose hash is not pinned', async () => {
    const err = await failure(
      pullModels({ manifest: manifest('html', ['config.json'], { 'config.json': 'size-unknown' }), dir }),
    );
    expect(err.code).toBe('checksum-mismatch');
    expect(err.message).toMatch(/not valid JSON/);
  });

  it('replaces a present file that fails its checksum', async () => {
    mkdirSync(join(dir, 'test-set'), { recursive: true });
    writeFileSync(target('big.bin'), randomBytes((blobs['big.bin'] as Buffer).length));
    const result = await pullModels({ manifest: manifest('ok', ['big.bin']), dir });
    expect(result.files[0]?.status).toBe('downloaded');
    expect(readFileSync(target('big.bin')).equals(blobs['big.bin'] as Buffer)).toBe(true);
  });

  it("says 'offline' with what to copy by hand when the server cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const m = manifest('ok', ['onnx/model.onnx', 'config.json']);
    const offline = parseManifest({
      ...m,
      sets: m.sets.map((s) => ({
        ...s,
        files: s.files.map((f) => ({ ...f, url: f.url.replace(base, `http://127.0.0.1:${port}`) })),
      })),
    });
    const err = await failure(pullModels({ manifest: offline, dir }));
    expect(err.code).toBe('offline');
    expect(err.message).toContain(`Could not reach 127.0.0.1:${port} (ECONNREFUSED)`);
    expect(err.message).toContain(`copy the model files into ${join(dir, 'test-set')} by hand`);
    expect(err.message).toContain(`onnx/model.onnx  ←  http://127.0.0.1:${port}/ok/onnx/model.onnx`);
    expect(err.message).toContain('config.json');
    // A models folder chosen in Settings is where the files go, and what the message names.
    const chosen = join(dir, 'my', 'clip models');
    const named = await failure(pullModels({ manifest: offline, dir, setDir: chosen }));
    expect(named.message).toContain(`copy the model files into ${chosen} by hand`);
    expect(named.message).not.toContain(join(dir, 'test-set'));
  });

  it('downloads into the chosen set folder (setDir) instead of <dir>/<set id>', async () => {
    const chosen = join(dir, 'chosen');
    await pullModels({ manifest: manifest('ok', ['config.json']), dir, setDir: chosen });
    expect(readFileSync(join(chosen, 'config.json')).equals(blobs['config.json']!)).toBe(true);
    expect(existsSync(target('config.json'))).toBe(false);
  });

  it('the first-run puller downloads the default set from a manifest file into the folder in use', async () => {
    const m = manifest('ok', ['config.json']);
    const file = join(dir, 'manifest.json');
    writeFileSync(file, JSON.stringify({ ...m, sets: m.sets.map((s) => ({ ...s, id: DEFAULT_MODEL_SET })) }));
    const into = join(dir, 'in use');
    const seen: string[] = [];
    await defaultSetPuller(file)((p) => seen.push(p.file), into);
    expect(readFileSync(join(into, 'config.json')).equals(blobs['config.json']!)).toBe(true);
    expect(seen).toContain('config.json');
  });

  it("reports an HTTP error as 'download-failed'", async () => {
    const m = manifest('ok', ['big.bin']);
    const missing = parseManifest({
      ...m,
      sets: m.sets.map((s) => ({
        ...s,
        files: s.files.map((f) => ({ ...f, url: `${base}/nowhere/big.bin` })),
      })),
    });
    const err = await failure(pullModels({ manifest: missing, dir }));
    expect(err.code).toBe('download-failed');
    expect(err.message).toMatch(/HTTP 404/);
  });

  it('checks size-only files by size and says they were not checksum-verified', async () => {
    const result = await pullModels({
      manifest: manifest('ok', ['big.bin'], { 'big.bin': 'size-only' }),
      dir,
    });
    expect(result.files[0]?.verified).toBe('size');
    expect(result.warnings).toEqual([
      'test-set/big.bin could not be checksum-verified (the manifest pins no SHA-256 for it); its size was checked.',
    ]);
  });

  it('refuses a set id that the manifest does not have', async () => {
    const err = await failure(pullModels({ manifest: manifest('ok', ['big.bin']), dir, sets: ['nope'] }));
    expect(err.code).toBe('unknown-model-set');
  });
});
