/**
 * `glint-media://thumb/<id>` and `glint-media://original/<id>`: photos by item id only. The id is the
 * whole path (digits, no dots or slashes); the engine maps it to a file; anything else is a 404.
 */
import type { Protocol } from 'electron';
import { parseMediaId } from '../engine/host/media-types.ts';
import type { MediaAnswer } from './engine-rpc.ts';

/** The scheme's name. */
export const MEDIA_SCHEME = 'glint-media';

/** The scheme's privileges; register before the app is ready (`protocol.registerSchemesAsPrivileged`). */
export const MEDIA_SCHEME_PRIVILEGES = {
  scheme: MEDIA_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
};

/** Parses a media URL into its kind and item id; null for anything that is not exactly kind/id. */
export function parseMediaUrl(raw: string): { kind: 'thumb' | 'original'; id: number } | null {
  // NOTE: matched on the raw string, not a parsed URL: parsing would resolve `..` segments first.
  const m = /^glint-media:\/\/(thumb|original)\/([^/?#]+)$/.exec(raw);
  if (!m) return null;
  const id = parseMediaId(m[2]!);
  return id === null ? null : { kind: m[1] as 'thumb' | 'original', id };
}

/** The protocol handler: resolves ids through the engine, reads the file with `fetchFile`. */
export function mediaHandler(
  resolveMedia: (kind: 'thumb' | 'original', id: number) => Promise<MediaAnswer | null>,
  fetchFile: (path: string) => Promise<Response>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const parsed = request.method === 'GET' ? parseMediaUrl(request.url) : null;
    const media = parsed && (await resolveMedia(parsed.kind, parsed.id));
    if (!media) return new Response('Not found', { status: 404 });
    const file = await fetchFile(media.path).catch(() => null);
    if (!file?.ok || !file.body) return new Response('Not found', { status: 404 });
    return new Response(file.body, {
      status: 200,
      headers: {
        'content-type': media.contentType,
        'cache-control': 'private, max-age=3600',
        'x-content-type-options': 'nosniff',
      },
    });
  };
}

/** Registers the handler on the session's protocol module (after app ready). */
export function registerMediaProtocol(
  protocol: Pick<Protocol, 'handle'>,
  handler: (r: Request) => Promise<Response>,
): void {
  protocol.handle(MEDIA_SCHEME, handler);
}
