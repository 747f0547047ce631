/**
 * XMP write-back in Debian's Chromium against a real `glint serve` (tiny stand-in models, 3 of the shared
 * photos): turning it on in Settings, tagging a photo in the lightbox, exiftool reading the tag from the
 * `photo.jpg.xmp` beside it; then turning it off, after which tagging writes nothing. Screenshots of the
 * XMP card in both themes go to test-results/screenshots/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exifJson, RUN_EXIFTOOL_TESTS } from '../helpers/exiftool.ts';
import { SHOTS, SKIP_E2E, copySharedPhotos, indexPhotos, startApp, type App } from './harness.ts';

describe.skipIf(SKIP_E2E || !RUN_EXIFTOOL_TESTS)('XMP write-back in Chromium', () => {
  let app: App | undefined;
  let photos = '';
  /** The file names of the photos in the library. */
  let copied: string[] = [];
  let page: Page;
  const card = (): ReturnType<Page['locator']> => page.locator('section.card[aria-label="Sidecars"]');
  const sidecarOf = (name: string): string => join(photos, `${name}.xmp`);

  async function go(view: string): Promise<void> {
    await page.click(`nav [data-view="${view}"]`);
    await page.waitForSelector(`main[data-view="${view}"]`);
  }

  /** Chooses a write-back style in the XMP card and waits until the saved setting comes back chosen. */
  async function writeBack(label: string): Promise<void> {
    await go('settings');
    await card().locator(`[role="radio"]:text-is("${label}")`).click();
    await card().locator(`[role="radio"][aria-checked="true"]:text-is("${label}")`).waitFor();
  }

  /** Opens the timeline's nth photo, gives it a tag in the lightbox, and returns its file name. */
  async function tagInLightbox(nth: number, tag: string): Promise<string> {
    await go('timeline');
    const cells = page.locator('[aria-label="Photos by date"] [role="option"]');
    await cells.nth(nth).dblclick();
    const name = (await page.locator('dialog.lightbox[open] #lb-title').textContent())?.trim() ?? '';
    expect(name).toMatch(/\.jpe?g$/i);
    await page.fill('dialog.lightbox[open] input[aria-label="New tag"]', tag);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`dialog.lightbox[open] .tags .chip:has-text("${tag}")`);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('dialog.lightbox')?.hasAttribute('open'));
    return name;
  }

  const subjects = (sidecar: string): string[] => {
    const s = exifJson(sidecar, ['-XMP-dc:Subject'])['Subject'];
    return s === undefined ? [] : ([] as unknown[]).concat(s).map(String);
  };

  beforeAll(async () => {
    app = await startApp('xmp', async (dirs) => {
      copied = copySharedPhotos(dirs.photos, { count: 3 }).map((p) => p.file);
      await indexPhotos(dirs);
    });
    ({ page } = app);
    photos = app.dirs.photos;
    await page.goto(app.server.url);
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  it('writes a tag given in the app to photo.jpg.xmp beside the photo, as exiftool reads it', async () => {
    await writeBack('photo.jpg.xmp');
    // Saved in the library, not only shown: a reload reads it back.
    await page.reload();
    await go('settings');
    await card().locator('[role="radio"][aria-checked="true"]:text-is("photo.jpg.xmp")').waitFor();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await card().screenshot({ path: join(SHOTS, `xmp-card-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });

    const name = await tagInLightbox(0, 'Grandma’s kitchen');
    await expect.poll(() => existsSync(sidecarOf(name)), { timeout: 20_000 }).toBe(true);
    expect(subjects(sidecarOf(name))).toEqual(['Grandma’s kitchen']);
    // The photo itself is never written: no photo.xmp either.
    expect(existsSync(join(photos, name.replace(/\.jpe?g$/i, '.xmp')))).toBe(false);
  });

  it('writes nothing more once it is turned off', async () => {
    const first = withSidecars();
    expect(first).toHaveLength(1);
    const before = readFileSync(sidecarOf(first[0]!), 'utf8');
    await writeBack('Off');
    const same = await tagInLightbox(0, 'Summer');
    const other = await tagInLightbox(1, 'Summer');
    expect(same).toBe(first[0]);
    // A barrier: writes run one at a time in order, so once a later photo's sidecar (written with write-back
    // on again) is there, any write queued while it was off would be there too.
    await writeBack('photo.jpg.xmp');
    const last = await tagInLightbox(2, 'Barrier');
    await expect.poll(() => existsSync(sidecarOf(last)), { timeout: 20_000 }).toBe(true);
    expect(readFileSync(sidecarOf(same), 'utf8')).toBe(before);
    expect(subjects(sidecarOf(same))).toEqual(['Grandma’s kitchen']);
    expect(existsSync(sidecarOf(other))).toBe(false);
    expect(app?.pageErrors).toEqual([]);
  });

  /** The photos that have a sidecar now, by file name. */
  function withSidecars(): string[] {
    return copied.filter((f) => existsSync(sidecarOf(f)));
  }
});
