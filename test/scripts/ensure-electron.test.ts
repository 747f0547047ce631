import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ELECTRON = resolve('node_modules/electron');
const INSTALLED = existsSync(join(ELECTRON, 'path.txt')) && existsSync(join(ELECTRON, 'dist'));

describe('scripts/ensure-electron.mjs (run before `npm run dev` and `npm start`)', () => {
  it.skipIf(INSTALLED)(
    'says what to do, with the exact command, when the binary cannot be downloaded',
    () => {
      const cache = mkdtempSync(join(tmpdir(), 'glint-electron-cache-'));
      try {
        // NOTE: a mirror on a closed loopback port: the download is refused at once, as offline.
        const r = spawnSync(process.execPath, ['scripts/ensure-electron.mjs'], {
          encoding: 'utf8',
          env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: cache },
          timeout: 60_000,
        });
        expect(r.status).toBe(3);
        expect(r.stderr).toMatch(/could not be downloaded/);
        expect(r.stderr).toContain('npx install-electron');
        expect(r.stderr).toMatch(/glint serve/);
        expect(existsSync(join(ELECTRON, 'path.txt'))).toBe(false);
      } finally {
        rmSync(cache, { recursive: true, force: true });
      }
    },
  );

  it.skipIf(!INSTALLED)('does nothing when the binary is there', () => {
    const r = spawnSync(process.execPath, ['scripts/ensure-electron.mjs'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
  });
});
