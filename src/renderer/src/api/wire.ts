/** JSON wire format of the HTTP transport: bytes travel as base64 strings inside the JSON body. */

// NOTE: 32 KiB chunks keep String.fromCharCode's argument count far below engines' limits.
const CHUNK = 0x8000;

/** Base64 of raw bytes (btoa works on "binary strings", one char per byte). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** A request body as JSON, with every Uint8Array replaced by its base64 string. */
export function toWireJson(value: unknown): string {
  return JSON.stringify(value ?? {}, (_key, v: unknown) => (v instanceof Uint8Array ? bytesToBase64(v) : v));
}
