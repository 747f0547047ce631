/** The per-launch token of `glint serve`: read once from the page URL, then kept for this tab only. */

const KEY = 'glint.token';

/** Where the token comes from and where it is kept (the page's location, history and sessionStorage). */
export interface TokenSources {
  search: string;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** Removes the token from the visible URL so it is not copied or bookmarked by accident. */
  dropFromUrl?: () => void;
}

/** The token from `?token=` (saved for reloads) or from this tab's storage; null when there is none. */
export function readToken(src: TokenSources): string | null {
  const fromUrl = new URLSearchParams(src.search).get('token');
  if (fromUrl) {
    src.storage.setItem(KEY, fromUrl);
    src.dropFromUrl?.();
    return fromUrl;
  }
  return src.storage.getItem(KEY);
}
