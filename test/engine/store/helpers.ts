/** Test helpers: stores on real SQLite files in temp dirs, cleaned up after each test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore } from '../../../src/engine/store/index.ts';
import type { Store, StoreOptions } from '../../../src/engine/store/index.ts';

const dirs: string[] = [];
const stores: Store[] = [];

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp directory, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'glint-store-'));
  dirs.push(d);
  return d;
}

/** Opens a store (closed after the test). */
export function open(file: string, opts?: StoreOptions): Store {
  const s = openStore(file, opts);
  stores.push(s);
  return s;
}

/** A manual clock: starts at `t`, each call advances by 1 ms. */
export function ticking(t = 1_700_000_000_000): () => number {
  return () => t++;
}
