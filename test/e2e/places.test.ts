/**
 * Places in Debian's Chromium against `glint serve`: two photos given Lisbon's GPS position and one Paris's
 * (written into the JPEGs' EXIF by exiftool, as a phone would) are named offline at indexing; "lisbon" puts
 * the two first as exact matches, the lightbox gives the place as a line, and the Place filter narrows a
 * search to them.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_EXIFTOOL_TESTS, exiftool } from '../helpers/exiftool.ts';
import { glint } from '../helpers/glint-cli.ts';
import { photoManifest } from '../helpers/shared-data.ts';
import { SKIP_E2E, prepareLibraryFolder, shootBothThemes, startApp, type App } from './harness.ts';

/** Writes a GPS position into a JPEG's EXIF, keeping its modification time (`-P`). */
function placePhoto(file: string, lat: number, lon: number): void {
  exiftool([
    '-q',
    '-P',
    '-overwrite_original',
    `-GPSLatitude=${Math.abs(lat)}`,
    `-GPSLatitudeRef=${lat < 0 ? 'S' : 'N'}`,
    `-GPSLongitude=${Math.abs(lon)}`,
    `-GPSLongitudeRef=${lon < 0 ? 'W' : 'E'}`,
    file,
  ]);
}

describe.skipIf(SKIP_E2E || !RUN_EXIFTOOL_TESTS)('places in the browser', () => {
  let app: App | undefined;
  let page: Page;
  const files = photoManifest().map((p) => p.file);
  const lisbon = [files[3]!, files[11]!];
  const paris = files[20]!;

  beforeAll(async () => {
    app = await startApp('places', ({ photos, library, models }) => {
      prepareLibraryFolder(photos);
      for (const file of lisbon) placePhoto(join(photos, file), 38.7223, -9.1393);
      placePhoto(join(photos, paris), 48.8566, 2.3522);
      const indexed = glint(['--library', library, '--models', models, 'index', photos]);
      expect(indexed.code, indexed.stderr).toBe(0);
    });
    ({ page } = app);
  }, 240_000);

  afterAll(() => app?.close());

  it('finds the photos taken in Lisbon by the word, names the place in the lightbox, and filters by it', async () => {
    await page.goto(app!.server.url);
    await page.fill('#search-input', 'lisbon');
    await page.press('#search-input', 'Enter');
    await page.waitForSelector('[aria-label="Photo results"] [role="option"] [data-testid="exact-match"]');
    const labels = await page
      .locator('[aria-label="Photo results"] [role="option"]')
      .evaluateAll((cells) => cells.slice(0, 3).map((c) => c.getAttribute('aria-label') ?? ''));
    expect(labels.slice(0, 2).sort()).toEqual(lisbon.map((f) => `${f} (exact match)`).sort());
    // Other photos may follow as concept matches, never as exact ones.
    expect(labels.slice(2).filter((l) => l.includes('exact match'))).toEqual([]);
    await shootBothThemes(page, '16-search-place-word');

    await page.dblclick('[aria-label="Photo results"] [role="option"] >> nth=0');
    await page.waitForSelector('[data-testid="lightbox-place"]');
    expect(await page.textContent('[data-testid="lightbox-place"]')).toMatch(/^\s*Lisbon, Portugal/);
    await shootBothThemes(page, '16a-lightbox-place');
    await page.keyboard.press('Escape');

    await page.fill('#search-input', 'a street in the city');
    await page.press('#search-input', 'Enter');
    await page.waitForSelector('[aria-label="Photo results"] [role="option"]');
    await page.click('button[aria-controls="filters"]');
    const options = await page.locator('[data-testid="filter-place"] option').allTextContents();
    expect(options.some((o) => /Lisbon.*\(2\)/.test(o))).toBe(true);
    expect(options.some((o) => /Paris.*\(1\)/.test(o))).toBe(true);
    const value = await page
      .locator('[data-testid="filter-place"] option', { hasText: 'Lisbon' })
      .getAttribute('value');
    await page.selectOption('[data-testid="filter-place"]', value!);
    await page.waitForFunction(
      () => document.querySelector('[aria-label="Photo results"]')?.getAttribute('data-count') === '2',
    );
    const shown = await page
      .locator('[aria-label="Photo results"] [role="option"]')
      .evaluateAll((cells) => cells.map((c) => (c.getAttribute('aria-label') ?? '').replace(/ \(.*\)$/, '')));
    expect(shown.sort()).toEqual([...lisbon].sort());
    // Notes have no place: the notes column says that the filter is not theirs rather than hiding them.
    expect(await page.textContent('[data-testid="notes-unfiltered"]')).toContain(
      'Filters by places apply to photos only; notes follow the folder filter.',
    );
    await shootBothThemes(page, '16b-search-place-filter');
  });
});
