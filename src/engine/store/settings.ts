/** Key/value settings stored in the library. */
import type { Store } from './db.ts';

/** A setting's value, if set. */
export function getSetting(store: Store, key: string): string | undefined {
  const v = store.stmt('SELECT value FROM settings WHERE key = ?').pluck().get(key) as
    string | null | undefined;
  return v ?? undefined;
}

/** Sets a setting (null deletes it). */
export function setSetting(store: Store, key: string, value: string | null): void {
  store.tx(() => {
    if (value === null) store.stmt('DELETE FROM settings WHERE key = ?').run(key);
    else
      store
        .stmt(
          'INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        )
        .run(key, value);
  });
}

/** A JSON setting parsed, or `fallback` when unset or unparsable. */
export function getJsonSetting<T>(store: Store, key: string, fallback: T): T {
  const v = getSetting(store, key);
  if (v === undefined) return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}

/** Stores a value as JSON. */
export function setJsonSetting(store: Store, key: string, value: unknown): void {
  setSetting(store, key, JSON.stringify(value));
}
