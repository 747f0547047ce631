/**
 * `glint serve`'s HTTP transport of the API: loopback only, one random token per launch, the built UI
 * with a strict CSP, `POST /api/<method>` (JSON in, ApiResult out; image bytes as base64 strings),
 * `GET /api/events` (server-sent events), and `GET /media/{thumb,original}/<id>` by item id only.
 */
import { BROWSER_CSP } from '../../contract/csp.ts';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { GlintError } from '../errors.ts';
import type { ApiHost } from './api-host.ts';

// NOTE: a 50 MB image is ~66.7 MB as base64; 72 MB leaves room for the JSON around it.
/** Largest request body accepted (bytes). */
export const MAX_BODY_BYTES = 72 * 1024 * 1024;
// NOTE: proxies and browsers drop idle streams after about a minute; a comment every 15 s keeps SSE open.
const HEARTBEAT_MS = 15_000;

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.webp': 'image/webp',
};

/** How to serve. */
export interface HttpServerOptions {
  host: ApiHost;
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  /** TCP port; 0 picks a free one. */
  port?: number;
  /** Address to bind: loopback only (default 127.0.0.1). */
  hostname?: string;
  /** The access token (default: 32 random bytes, base64url). */
  token?: string;
  maxBodyBytes?: number;
}

/** A running server. */
export interface RunningServer {
  /** The URL to open, with the token. */
  url: string;
  port: number;
  /** The bound address, e.g. 127.0.0.1. */
  address: string;
  token: string;
  /** Stops accepting, ends event streams and closes every connection. */
  close(): Promise<void>;
}

/** Whether an address is loopback (127.0.0.0/8, ::1 or localhost), the only ones `glint serve` binds. */
export function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost') return true;
  if (isIP(hostname) === 4) return hostname.startsWith('127.');
  return hostname === '::1';
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): void {
  sendJson(res, status, { ok: false, error: { code, message } }, headers);
}

/** Reads a request body up to `limit` bytes; GlintError('too-large') beyond it. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new GlintError('too-large', `The request is larger than ${limit} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new GlintError('too-large', `The request is larger than ${limit} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Starts the server; resolves once it listens. GlintError('usage') for a non-loopback address. */
export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const hostname = opts.hostname ?? '127.0.0.1';
  if (!isLoopback(hostname))
    throw new GlintError(
      'usage',
      `glint serve only listens on this machine (127.0.0.1, ::1 or localhost), not on ${hostname}: use an SSH tunnel to reach it from elsewhere.`,
    );
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const tokenDigest = digest(token);
  const rendererDir = resolve(opts.rendererDir);
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const streams = new Set<ServerResponse>();
  let allowedHosts = new Set<string>();

  const authorized = (req: IncomingMessage, url: URL): boolean => {
    const header = req.headers.authorization;
    const given = header?.startsWith('Bearer ') ? header.slice(7) : url.searchParams.get('token');
    return given !== null && timingSafeEqual(digest(given), tokenDigest);
  };

  async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return sendError(res, 400, 'bad-path', 'Malformed path.');
    }
    if (rel.includes('\0') || rel.split(/[\\/]/).includes('..'))
      return sendError(res, 404, 'not-found', 'Not found.');
    // The page's own routes (no file extension) all load the app, which routes on the client.
    if (rel === '/' || rel === '' || !extname(rel)) rel = '/index.html';
    const file = resolve(rendererDir, `.${rel}`);
    if (file !== rendererDir && !file.startsWith(rendererDir + sep))
      return sendError(res, 404, 'not-found', 'Not found.');
    const st = await stat(file).catch(() => null);
    if (!st?.isFile()) {
      if (rel === '/index.html') {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(
          `The Glint UI is not built yet (no ${join(rendererDir, 'index.html')}): run \`npm run build\`, then start \`glint serve\` again.\n`,
        );
        return;
      }
      return sendError(res, 404, 'not-found', 'Not found.');
    }
    res.writeHead(200, {
      'content-type': STATIC_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': st.size,
      'content-security-policy': BROWSER_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      // Hashed asset names never change content; the page itself is re-checked every time.
      'cache-control': rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    createReadStream(file).pipe(res);
  }

  async function serveMedia(
    req: IncomingMessage,
    res: ServerResponse,
    kind: string,
    id: string,
  ): Promise<void> {
    const media = opts.host.media(kind, id);
    const st = media && (await stat(media.path).catch(() => null));
    if (!media || !st?.isFile()) return sendError(res, 404, 'not-found', 'No such photo.');
    res.writeHead(200, {
      'content-type': media.contentType,
      'content-length': st.size,
      'x-content-type-options': 'nosniff',
      // NOTE: an item id always names the same content (a changed file gets new item ids), so an hour is safe.
      'cache-control': 'private, max-age=3600',
      'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(media.path)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  function serveEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\n\n');
    streams.add(res);
    const off = opts.host.onEvent((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    beat.unref();
    const end = (): void => {
      clearInterval(beat);
      off();
      streams.delete(res);
    };
    req.on('close', end);
    res.on('close', end);
  }

  async function serveApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST')
      return sendError(res, 405, 'method-not-allowed', 'Use POST.', { allow: 'POST' });
    let payload: unknown;
    try {
      const body = await readBody(req, maxBody);
      payload = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
    } catch (err) {
      if (err instanceof GlintError) return sendError(res, 413, err.code, err.message);
      return sendError(res, 400, 'bad-json', 'The request body is not valid JSON.');
    }
    const result = await opts.host.call(method, payload);
    sendJson(res, !result.ok && result.error.code === 'unknown-method' ? 404 : 200, result);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A page on another site must not reach this server through a DNS name pointed at 127.0.0.1.
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase()))
      return sendError(res, 421, 'wrong-host', 'Open Glint at the address `glint serve` printed.');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const parts = url.pathname.split('/');
    if (parts[1] === 'api' || parts[1] === 'media') {
      if (!authorized(req, url))
        return sendError(
          res,
          401,
          'unauthorized',
          'Missing or wrong token: open the URL `glint serve` printed.',
        );
      if (parts[1] === 'media') {
        if (req.method !== 'GET' && req.method !== 'HEAD')
          return sendError(res, 405, 'method-not-allowed', 'Use GET.', { allow: 'GET, HEAD' });
        if (parts.length !== 4) return sendError(res, 404, 'not-found', 'No such photo.');
        return serveMedia(req, res, parts[2]!, parts[3]!);
      }
      if (parts.length !== 3 || !parts[2]) return sendError(res, 404, 'not-found', 'No such API method.');
      if (parts[2] === 'events') {
        if (req.method !== 'GET')
          return sendError(res, 405, 'method-not-allowed', 'Use GET.', { allow: 'GET' });
        return serveEvents(req, res);
      }
      return serveApi(req, res, parts[2]);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendError(res, 405, 'method-not-allowed', 'Use GET.', { allow: 'GET, HEAD' });
    return serveStatic(res, url.pathname);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendError(res, 500, 'internal', `Internal error: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, hostname, () => resolveListen());
  });
  const info = server.address();
  if (!info || typeof info === 'string') throw new Error('the server has no TCP address');
  const port = info.port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${hostname}:${port}`]);
  const shown = info.family === 'IPv6' ? `[${info.address}]` : info.address;
  return {
    url: `http://${shown}:${port}/?token=${encodeURIComponent(token)}`,
    port,
    address: info.address,
    token,
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const s of streams) s.end();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
