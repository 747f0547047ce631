/**
 * The UI's Content-Security-Policy, defined once: its own files only, inline styles (Svelte
 * transitions), photos from `img-src`. Electron sends it as a header and `glint serve` too; the
 * renderer's index.html carries the same policy in a meta tag for pages loaded from file:// (a test
 * checks the two agree). Constants only.
 */
const BASE = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** In the desktop app: photos come only through the glint-media: protocol (by item id). */
export const APP_CSP = [...BASE, "img-src 'self' data: blob: glint-media:", "frame-ancestors 'none'"].join(
  '; ',
);

/** Under `glint serve`: photos come from this origin's /media/ routes. */
export const BROWSER_CSP = [...BASE, "img-src 'self' data: blob:", "frame-ancestors 'none'"].join('; ');

/** What index.html's meta tag says (a meta policy cannot carry frame-ancestors; the headers do). */
export const META_CSP = [...BASE, "img-src 'self' data: blob: glint-media:"].join('; ');
