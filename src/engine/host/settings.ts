/** The app's user settings, kept in the library's settings table, each falling back to its default. */
import type { Settings } from '../../contract/api.ts';
import { REQUEST_SCHEMAS } from './schemas.ts';

/** Where settings live: a JSON key/value store (the engine's library settings table). */
export interface SettingsStore {
  get<T>(key: string, fallback: T): T;
  set(key: string, value: unknown): void;
}

/** The settings table key of the app's settings. */
export const SETTINGS_KEY = 'app.settings';

/** The stored settings over `defaults`; a stored value that is no longer valid falls back to its default. */
export function readSettings(store: SettingsStore, defaults: Settings): Settings {
  const stored = store.get<unknown>(SETTINGS_KEY, {});
  const out: Settings = { ...defaults };
  if (!stored || typeof stored !== 'object') return out;
  for (const [key, value] of Object.entries(stored)) {
    if (!(key in defaults)) continue;
    const one = REQUEST_SCHEMAS.setSettings.safeParse({ [key]: value });
    if (one.success) Object.assign(out, one.data);
  }
  return out;
}

/** Applies a validated change, stores only what differs from the defaults, and returns the result. */
export function writeSettings(store: SettingsStore, defaults: Settings, patch: Partial<Settings>): Settings {
  const next = { ...readSettings(store, defaults), ...patch };
  const stored: Partial<Settings> = {};
  for (const key of Object.keys(next) as Array<keyof Settings>) {
    if (next[key] !== defaults[key]) Object.assign(stored, { [key]: next[key] });
  }
  store.set(SETTINGS_KEY, stored);
  return next;
}
