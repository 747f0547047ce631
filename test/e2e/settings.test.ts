/**
 * Settings that apply, in Debian's Chromium against a real `glint serve` (tiny stand-in models, 8 of the shared
 * photos with a note each): saving 16 bits re-hashes the library while the card says so, then the heads and
 * search use 16-bit codes; a models folder that does not exist is refused with the reason and nothing is saved;
 * a copy of the models folder is used at once. Screenshots in both themes go to test-results/screenshots/.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, HeadView, SearchResponse, Settings } from '../../src/contract/api.ts';
import { Engine } from '../../src/engine/engine.ts';
import { cudaProviderLibrary, cudaSupport } from '../../src/engine/onnx/runtime.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../helpers/shared-data.ts';
import { tinyModels } from '../helpers/standin-models.ts';
import { CHROMIUM, HAS_CHROMIUM, buildRenderer, launchBrowser, startServer, type Server } from './harness.ts';

const IN_CI = Boolean(process.env['CI']);
const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
if (!HAS_CHROMIUM && !IN_CI) console.warn(`e2e settings: skipped, Chromium is not installed at ${CHROMIUM}`);

describe.skipIf((!HAS_CHROMIUM && !IN_CI) || !HAS_SHARED_DATA)('Settings that apply, in Chromium', () => {
  let tmp = '';
  let models = '';
  let server: Server | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  /** Calls the API the page uses, over the same HTTP endpoint and token. */
  async function api<T>(method: string, request?: unknown): Promise<T> {
    const url = new URL(server!.url);
    const res = await fetch(`${url.origin}/api/${method}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${url.searchParams.get('token')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(request ?? null),
    });
    const result = (await res.json()) as ApiResult<T>;
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value;
  }

  /** Saves the current screen in the light and the dark theme. */
  async function shoot(name: string): Promise<void> {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  const toast = (message: string) =>
    page.locator('.toast').filter({ has: page.locator('.msg', { hasText: message }) });
  const folderField = () => page.locator('[aria-label="Search settings"] input.input');
  const save = () => page.click('[aria-label="Search settings"] button:has-text("Save changes")');
  /** Saves and waits for the host's answer (a CUDA session can take seconds to try). */
  const saveAndWait = async (): Promise<void> => {
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/setSettings')),
      save(),
    ]);
    expect(await res.json()).toMatchObject({ ok: true });
  };

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'glint-e2e-settings-'));
    mkdirSync(SHOTS, { recursive: true });
    const photos = join(tmp, 'photos');
    mkdirSync(photos);
    for (const p of photoManifest().slice(0, 8)) {
      copyFileSync(join(PHOTOS_DIR, p.file), join(photos, p.file));
      writeFileSync(join(photos, p.file.replace(/\.jpe?g$/i, '.txt')), p.captions.join('\n\n'));
    }
    [, models] = await Promise.all([buildRenderer(join(tmp, 'ui')), tinyModels(join(tmp, 'models'))]);
    const engine = await Engine.open({ libraryDir: join(tmp, 'library'), modelsDir: models, bits: 64 });
    await engine.ingest.index([photos]);
    await engine.close();
    server = await startServer({ library: join(tmp, 'library'), models, ui: join(tmp, 'ui') });
    ({ context, page } = await launchBrowser(join(tmp, 'profile')));
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.setDefaultTimeout(30_000);
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('saving 16 bits re-hashes the library with progress, then the heads and search use 16-bit codes', async () => {
    expect((await api<Settings>('getSettings')).bits).toBe(64);
    await page.goto(server!.url);
    await page.click('nav [data-view="settings"]');
    await page.waitForSelector('main[data-view="settings"] [data-testid="models-state"]');
    // Records what the card says while it saves: the save is over before a screenshot could catch it.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { rehashSeen: string[] }).rehashSeen = seen;
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="rehash-progress"]');
        if (el?.textContent) seen.push(el.textContent.replace(/\s+/g, ' ').trim());
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.click('[aria-labelledby="code-len"] [role="radio"]:has-text("16 bits")');
    await save();
    await page.waitForSelector('[data-testid="settings-outcome"]:has-text("Search now uses 16-bit codes.")');
    await toast(
      'Search now uses 16-bit codes (a new untrained head; retrain to teach it your tags).',
    ).waitFor();
    const seen = await page.evaluate(() => (window as unknown as { rehashSeen: string[] }).rehashSeen);
    expect(seen.length).toBeGreaterThan(0);
    for (const line of seen)
      expect(line).toMatch(/^Re-hashing the library for 16-bit codes(…|: (\d+) of (\d+) items)$/);
    await page.waitForSelector(
      '[aria-labelledby="code-len"] [role="radio"][aria-checked="true"]:has-text("16 bits")',
    );
    await shoot('15-settings-16-bits');

    const heads = await api<HeadView[]>('listHeads');
    expect(heads.filter((h) => h.active)).toMatchObject([{ kind: 'default', bits: 16 }]);
    // The 64-bit head is kept, to switch back to.
    expect(heads.some((h) => !h.active && h.bits === 64)).toBe(true);

    await page.click('nav [data-view="search"]');
    await page.fill('#search-input', 'a photo');
    await page.keyboard.press('Enter');
    await page.locator('[aria-label="Photo results"] [role="option"]').first().waitFor();
    const found = await api<SearchResponse>('search', { text: 'a photo', limit: 8 });
    expect(found.bits).toBe(16);
    expect(found.photos.length).toBeGreaterThan(0);
    expect(found.photos.every((p) => p.distance <= 16)).toBe(true);
  });

  it('refuses a models folder that does not exist with the reason, and saves nothing', async () => {
    await page.click('nav [data-view="settings"]');
    const nowhere = join(tmp, 'no-such-models');
    await folderField().fill(nowhere);
    await page.click('[aria-labelledby="code-len"] [role="radio"]:has-text("32 bits")');
    await save();
    const error = page.locator('[data-testid="settings-error"]');
    await error.waitFor();
    expect((await error.textContent())?.replace(/\s+/g, ' ')).toContain(
      `Nothing was changed. There is no folder ${nowhere}.`,
    );
    // The edits stay for the user to correct; the host kept everything as it was.
    expect(await folderField().inputValue()).toBe(nowhere);
    expect(await api<Settings>('getSettings')).toMatchObject({ bits: 16, modelsDir: models });
    await shoot('16-settings-models-refused');
  });

  it('uses a copy of the models folder at once, with no restart', async () => {
    const moved = join(tmp, 'moved-models');
    cpSync(models, moved, { recursive: true });
    await folderField().fill(moved);
    await page.click('[aria-labelledby="code-len"] [role="radio"]:has-text("16 bits")');
    await save();
    await page.waitForSelector(
      `[data-testid="settings-outcome"]:has-text("The models in ${moved} are in use.")`,
    );
    expect(await page.locator('[data-testid="settings-error"]').count()).toBe(0);
    await page.waitForSelector(`[aria-label="Models"] .path:text-is("${moved}")`);
    expect(await api<Settings>('getSettings')).toMatchObject({ bits: 16, modelsDir: moved });
    expect(await page.locator('.toast .msg', { hasText: /restart/i }).count()).toBe(0);
    expect((await api<SearchResponse>('search', { text: 'a dog', limit: 2 })).photos).toHaveLength(2);
  });

  it('uses the chosen device; without CUDA the card says the CPU is used instead', async () => {
    await page.click('[aria-labelledby="device"] [role="radio"]:has-text("GPU (CUDA)")');
    await saveAndWait();
    expect((await api<Settings>('getSettings')).device).toBe('cuda');
    if (!cudaSupport().compiled || !cudaProviderLibrary()?.present) {
      const notice = page.locator('[data-testid="device-notice"]');
      await notice.waitFor();
      expect((await notice.textContent())?.trim()).toMatch(
        /^CUDA is not available on this computer; using the CPU \(/,
      );
      await toast('CUDA is not available on this computer; using the CPU').first().waitFor();
      await shoot('17-settings-cuda-fallback');
    }
    await page.click('[aria-labelledby="device"] [role="radio"]:has-text("CPU")');
    await saveAndWait();
    await page.locator('[data-testid="device-notice"]').waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });
});
