/**
 * Settings that apply, in Debian's Chromium against a real `glint serve` (tiny stand-in models, 8 of the shared
 * photos with a note each): saving 16 bits re-hashes the library while the card says so, then the heads and
 * search use 16-bit codes; a models folder that does not exist is refused with the reason and nothing is saved;
 * a copy of the models folder is used at once. Screenshots in both themes go to test-results/screenshots/.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, HeadView, SearchResponse, Settings } from '../../src/contract/api.ts';
import { cudaProviderLibrary, cudaSupport } from '../../src/engine/onnx/runtime.ts';
import { SKIP_E2E, copySharedPhotos, indexPhotos, shootBothThemes, startApp, type App } from './harness.ts';

describe.skipIf(SKIP_E2E)('Settings that apply, in Chromium', () => {
  let app: App | undefined;
  let tmp = '';
  let models = '';
  let page: Page;

  /** Calls the API the page uses, over the same HTTP endpoint and token. */
  async function api<T>(method: string, request?: unknown): Promise<T> {
    const url = new URL(app!.server.url);
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
    app = await startApp('settings', async (dirs) => {
      copySharedPhotos(dirs.photos, { count: 8, notesDir: dirs.photos });
      await indexPhotos(dirs);
    });
    ({ page } = app);
    ({ tmp, models } = app.dirs);
  }, 240_000);

  afterAll(() => app?.close());

  it('saving 16 bits re-hashes the library with progress, then the heads and search use 16-bit codes', async () => {
    expect((await api<Settings>('getSettings')).bits).toBe(64);
    await page.goto(app!.server.url);
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
    await shootBothThemes(page, '15-settings-16-bits');

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
    await shootBothThemes(page, '16-settings-models-refused');
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
      await shootBothThemes(page, '17-settings-cuda-fallback');
    }
    await page.click('[aria-labelledby="device"] [role="radio"]:has-text("CPU")');
    await saveAndWait();
    await page.locator('[data-testid="device-notice"]').waitFor({ state: 'detached' });
    expect(app!.pageErrors).toEqual([]);
  });
});
