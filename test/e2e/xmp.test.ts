/**
 * XMP write-back in Debian's Chromium against a real `glint serve` (tiny stand-in models, 3 of the shared
 * photos): turning it on in Settings, tagging a photo in the lightbox, exiftool reading the tag from the
 * `photo.jpg.xmp` beside it; then turning it off, after which tagging writes nothing. Screenshots of the
 * XMP card in both themes go to test-results/screenshots/.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { exifJson, RUN_EXIFTOOL_TESTS } from '../helpers/exiftool.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../helpers/shared-data.ts';
import { tinyModels } from '../helpers/standin-models.ts';
import { CHROMIUM, HAS_CHROMIUM, buildRenderer, launchBrowser, startServer, type Server } from './harness.ts';

const SHOTS = resolve(process.cwd(), 'test-results/screenshots');
const IN_CI = Boolean(process.env['CI']);
if (!HAS_CHROMIUM && !IN_CI) console.warn(`e2e xmp: skipped, Chromium is not installed at ${CHROMIUM}`);

describe.skipIf((!HAS_CHROMIUM && !IN_CI) || !HAS_SHARED_DATA || !RUN_EXIFTOOL_TESTS)(
  'XMP write-back in Chromium',
  () => {
    let tmp = '';
    let photos = '';
    let server: Server | undefined;
    let context: BrowserContext | undefined;
    let page: Page;
    const pageErrors: string[] = [];
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
      tmp = mkdtempSync(join(tmpdir(), 'glint-e2e-xmp-'));
      photos = join(tmp, 'photos');
      mkdirSync(photos);
      for (const p of photoManifest().slice(0, 3))
        copyFileSync(join(PHOTOS_DIR, p.file), join(photos, p.file));
      mkdirSync(SHOTS, { recursive: true });
      const [, models] = await Promise.all([buildRenderer(join(tmp, 'ui')), tinyModels(join(tmp, 'models'))]);
      const engine = await Engine.open({ libraryDir: join(tmp, 'library'), modelsDir: models, bits: 64 });
      await engine.ingest.index([photos]);
      await engine.close();
      server = await startServer({ library: join(tmp, 'library'), models, ui: join(tmp, 'ui') });
      ({ context, page } = await launchBrowser(join(tmp, 'profile')));
      page.on('pageerror', (err) => pageErrors.push(err.message));
      page.setDefaultTimeout(30_000);
      await page.goto(server.url);
    }, 240_000);

    afterAll(async () => {
      await context?.close();
      await server?.stop();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
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
      expect(pageErrors).toEqual([]);
    });

    /** The photos that have a sidecar now, by file name. */
    function withSidecars(): string[] {
      return photoManifest()
        .slice(0, 3)
        .map((p) => p.file)
        .filter((f) => existsSync(sidecarOf(f)));
    }
  },
);
