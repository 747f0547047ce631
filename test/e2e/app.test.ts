/**
 * The real UI in Debian's Chromium against a real `glint serve` (tiny stand-in models, the 51 shared photos
 * and their captions as notes): first run, add a folder, indexing to 51, search, lightbox, drop an image,
 * bulk tagging, a retraining run, settings. Screenshots of every view in both
 * themes go to test-results/screenshots/.
 */
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHOTOS_DIR, photoManifest } from '../helpers/shared-data.ts';
import {
  BROKEN_PHOTO,
  SHOTS,
  SKIP_E2E,
  prepareLibraryFolder,
  measureGridScroll,
  shootBothThemes,
  startApp,
  type App,
} from './harness.ts';

describe.skipIf(SKIP_E2E)('Glint UI in Chromium against glint serve', () => {
  let app: App | undefined;
  let context: BrowserContext;
  let page: Page;
  let files = 0;

  async function go(view: string): Promise<void> {
    await page.click(`nav [data-view="${view}"]`);
    await page.waitForSelector(`main[data-view="${view}"]`);
  }

  const text = async (selector: string): Promise<string> => (await page.textContent(selector))?.trim() ?? '';

  beforeAll(async () => {
    app = await startApp(
      'app',
      (dirs) => {
        files = prepareLibraryFolder(dirs.photos).files;
      },
      { gridFixture: true },
    );
    ({ context, page } = app);
  }, 180_000);

  afterAll(() => app?.close());

  it('opens on the first-run state and takes the token out of the address bar', async () => {
    await page.goto(app!.server.url);
    await page.getByText('Add a folder to get started').waitFor();
    expect(page.url()).not.toContain('token=');
    await shootBothThemes(page, '01-search-first-run');
    await go('library');
    await page.getByText('No folders yet').waitFor();
    await shootBothThemes(page, '02-library-empty');
  });

  it('adds a folder and shows indexing progress until all 51 photos are in', async () => {
    const folder = app!.dirs.photos;
    await page.fill('input[aria-label="Folder path"]', folder);
    await page.click('button:has-text("Add folder")');
    await page.waitForSelector(`.folders .path:has-text("${folder}")`);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="stat-photos"]')?.textContent?.trim() === '51',
      undefined,
      { timeout: 120_000 },
    );
    await page.waitForFunction(() => {
      const m = /([\d,]+) \/ ([\d,]+)/.exec(
        document.querySelector('[data-testid="index-count"]')?.textContent ?? '',
      );
      return m !== null && m[1] === m[2];
    });
    const [done, total] = (await text('[data-testid="index-count"]'))
      .split('/')
      .map((s) => Number(s.replace(/\D/g, '')));
    expect(done).toBe(total);
    expect(total).toBe(files);
    // The folder's count settles once indexing is idle (the corrupt file may or may not count as one).
    await page.waitForFunction(
      (least) =>
        Number(
          /([\d,]+) files?/
            .exec(document.querySelector('.folders')?.textContent ?? '')?.[1]
            ?.replace(/,/g, ''),
        ) >= least,
      files - 1,
    );
    expect(await text('[data-testid="stat-notes"]')).not.toBe('0');
    await page.waitForSelector(`[aria-label="Problems"] td:has-text("${BROKEN_PHOTO}")`);
    expect(await text('[data-testid="stat-errors"]')).toBe('1');
    await shootBothThemes(page, '03-library-indexed');
  }, 150_000);

  it('searches by text, keeps the grid virtualised, and opens and closes the lightbox by keyboard', async () => {
    await go('search');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-input');
    await page.keyboard.type('a dog at the beach');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[role="listbox"][aria-label="Photo results"] [role="option"]');
    // Close matches first (the stand-in models' codes put none that close: the nearest 20 are shown and
    // said to be so), then everything on "Show all".
    const first = Number(await page.getAttribute('[aria-label="Photo results"]', 'data-count'));
    const said = await text('[data-testid="photo-count"]');
    if (/No close matches/.test(said)) expect(first).toBe(20);
    else expect(said).toMatch(new RegExp(`^${first} close match`));
    await shootBothThemes(page, '04a-search-close-matches');
    await page.click('[data-testid="show-all"]');
    await page.waitForFunction(
      () => document.querySelector('[aria-label="Photo results"]')?.getAttribute('data-count') === '51',
    );
    expect(await text('[data-testid="photo-count"]')).toMatch(/^The nearest 51 photos/);
    const count = Number(await page.getAttribute('[aria-label="Photo results"]', 'data-count'));
    expect(count).toBe(51);
    await page.focus('#search-input');
    const rendered = await page.locator('[aria-label="Photo results"] [role="option"]').count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(count);
    expect(await page.locator('.notes li').count()).toBeGreaterThan(0);
    await shootBothThemes(page, '04-search-results');

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('[aria-label="Photo results"]', 'aria-activedescendant')).toMatch(/-1$/);
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog.lightbox[open]');
    await page.waitForFunction(() =>
      /\.jpg$/.test(document.querySelector('[data-testid="lightbox-path"]')?.textContent ?? ''),
    );
    await page.fill('input[aria-label="New tag"]', 'kitchen');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.lightbox .tags .chip:has-text("kitchen")');
    await shootBothThemes(page, '05-lightbox');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog.lightbox[open]', { state: 'detached' }).catch(() => undefined);
    expect(await page.evaluate(() => document.querySelector('dialog.lightbox')?.hasAttribute('open'))).toBe(
      false,
    );

    // A note opens in the lightbox as text.
    await page.click('.notes li button >> nth=0');
    await page.waitForSelector('dialog.lightbox[open] .note-text');
    await page.waitForFunction(() =>
      /\.txt$/.test(document.querySelector('[data-testid="lightbox-path"]')?.textContent ?? ''),
    );
    await shootBothThemes(page, '05b-lightbox-note');
    await page.keyboard.press('Escape');
  });

  it('finds a photo by its file name, labelled as an exact match and listed first', async () => {
    const stem = photoManifest()[7]!.file.replace('.jpg', '');
    await page.fill('#search-input', stem);
    await page.press('#search-input', 'Enter');
    await page.waitForSelector('[aria-label="Photo results"] [role="option"] [data-testid="exact-match"]');
    expect(
      await page.getAttribute('[aria-label="Photo results"] [role="option"] >> nth=0', 'aria-label'),
    ).toBe(`${stem}.jpg (exact match)`);
    expect(await page.locator('.notes [data-testid="exact-match"]').count()).toBeGreaterThan(0);
    await shootBothThemes(page, '04b-search-exact-match');
    await page.fill('#search-input', 'a dog at the beach');
    await page.press('#search-input', 'Enter');
  });

  it('shows the library by date under month headers, jumps with the scrubber, and refuses From after To', async () => {
    // Alt+2 is the Timeline's shortcut, as the sidebar says.
    await page.keyboard.press('Alt+2');
    await page.waitForSelector('main[data-view="timeline"]');
    const grid = '[role="listbox"][aria-label="Photos by date"]';
    await page.waitForSelector(`${grid} [role="option"] img`);
    expect(await page.getAttribute(grid, 'data-count')).toBe('51');
    expect(await text('[data-testid="timeline-count"]')).toBe('51 photos');
    const rendered = await page.locator(`${grid} [role="option"]`).count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThanOrEqual(51);
    // Newest first: June 2023 heads the list, and the months below it are older.
    const months = await page.$$eval(`${grid} h3[data-month]`, (hs) => hs.map((h) => h.dataset['month']));
    expect(months[0]).toBe('2023-6');
    expect(months.length).toBeGreaterThan(1);
    await shootBothThemes(page, '04t-timeline');

    // The scrubber jumps to an older year (not the last, whose months may not fill the view): its first
    // month's header comes to the top of the grid.
    const years = await page.$$eval('[data-testid="scrubber"] button.year', (bs) =>
      bs.map((b) => b.textContent),
    );
    expect(years.length).toBeGreaterThanOrEqual(3);
    const oldest = years.at(-2)!.trim();
    await page.click(`[data-testid="scrubber"] button.year[data-year="${oldest}"]`);
    await page.waitForFunction(
      ({ grid, year }) => {
        const view = document.querySelector(grid) as HTMLElement;
        const header = [...view.querySelectorAll<HTMLElement>('h3[data-month]')].find((h) =>
          h.dataset['month']?.startsWith(`${year}-`),
        );
        return view.scrollTop > 0 && header !== undefined && Math.abs(header.offsetTop - view.scrollTop) < 2;
      },
      { grid, year: oldest },
    );
    await page.waitForSelector(`[data-testid="scrubber"] button.year.current[data-year="${oldest}"]`);
    await shootBothThemes(page, '04u-timeline-scrubbed');

    // The same lightbox, saying where the date came from (these photos' dates are their mtimes).
    await page.locator(`${grid} [role="option"] img`).first().dblclick();
    await page.waitForSelector('dialog.lightbox[open]');
    await page.waitForFunction(() =>
      (document.querySelector('[data-testid="lightbox-date"]')?.textContent ?? '').includes('modified time'),
    );
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog.lightbox[open]', { state: 'detached' }).catch(() => undefined);

    // A From date after the To date is refused with the reason, and asks the host nothing.
    await page.click('button[aria-controls="timeline-filters"]');
    await page.fill('#timeline-filters input[type="date"] >> nth=0', '2023-01-01');
    await page.fill('#timeline-filters input[type="date"] >> nth=1', '2021-01-01');
    await page.waitForSelector('#timeline-filters [role="alert"]:has-text("From date is after the To date")');
    await shootBothThemes(page, '04v-timeline-from-after-to');
    await page.click('#timeline-filters button:has-text("Clear filters")');
    await page.waitForFunction(
      (grid) => document.querySelector(grid)?.getAttribute('data-count') === '51',
      grid,
    );
    await page.click('button[aria-controls="timeline-filters"]');

    // The same grid at 100,000 photos in 120 months: a few dozen cells in the DOM, smooth scrolling, and
    // pages filled in as they come into view.
    const big = await context.newPage();
    await big.goto(new URL('/grid/timeline.html', app!.server.url).href);
    await big.waitForSelector('[role="option"] img');
    const stats = await measureGridScroll(big);
    console.info(
      `e2e: timeline of ${stats.count} photos: at most ${stats.maxNodes} cells in the DOM; frame median ${stats.median.toFixed(1)} ms, p95 ${stats.p95.toFixed(1)} ms`,
    );
    expect(stats.count).toBe(100_000);
    expect(stats.headers).toBeGreaterThan(0);
    expect(stats.maxNodes).toBeLessThan(200);
    expect(stats.filled).toBe(1);
    // NOTE: frame times are printed, not asserted: on a shared 2-core machine they measure the neighbours as much
    // as the grid. What keeps scrolling smooth is the bounded DOM, and that is asserted above.
    await big.close();
  });

  it('avoids a -word, widens with "show weaker matches", and orders by date under month headers', async () => {
    await go('search');
    await page.fill('#search-input', 'a dog at the beach -people');
    await page.press('#search-input', 'Enter');
    await page.waitForSelector('[data-testid="avoided"]');
    expect(await text('[data-testid="avoided"]')).toBe('Avoiding: people');
    await page.waitForSelector('[aria-label="Photo results"] [role="option"]');
    const before = Number(await page.getAttribute('[aria-label="Photo results"]', 'data-count'));
    await page.click('[data-testid="show-weaker"]');
    await page.waitForFunction(() => /[?&]radius=\d+/.test(location.hash));
    const wider = Number(await page.getAttribute('[aria-label="Photo results"]', 'data-count'));
    expect(wider).toBeGreaterThanOrEqual(Math.min(before, 20));
    await page.click('[data-testid="show-all"]');
    await page.waitForFunction(() => location.hash.includes('radius=all'));
    await page.selectOption('[data-testid="photo-order"]', 'newest');
    const grid = '[role="listbox"][aria-label="Photo results by date"]';
    await page.waitForSelector(`${grid} h3[data-month]`);
    // The headers from the top of the grid down (the virtualised cells are not in DOM order).
    const headers = async (): Promise<string[]> =>
      page.$$eval(`${grid} h3[data-month]`, (hs) =>
        hs
          .map((h) => ({ top: h.getBoundingClientRect().top, month: h.dataset['month'] ?? '' }))
          .sort((a, b) => a.top - b.top)
          .map((h) => h.month),
      );
    const newest = await headers();
    expect(newest[0]).toBe('2023-6');
    expect(await page.evaluate(() => location.hash)).toContain('order=newest');
    await page.selectOption('[data-testid="photo-order"]', 'oldest');
    await page.waitForFunction(() => location.hash.includes('order=oldest'));
    const oldest = await headers();
    expect(oldest[0]).not.toBe('2023-6');
    expect(oldest[0]! < newest[0]!).toBe(true);
    await shootBothThemes(page, '04c-search-by-date');
    await page.selectOption('[data-testid="photo-order"]', 'relevance');
    await page.waitForSelector('[role="listbox"][aria-label="Photo results"]');
    await page.fill('#search-input', 'a dog at the beach');
    await page.press('#search-input', 'Enter');
  });

  it('drops a photo anywhere and shows its notes and similar photos', async () => {
    const item = photoManifest()[3]!;
    const b64 = readFileSync(join(PHOTOS_DIR, item.file)).toString('base64');
    const dataTransfer = await page.evaluateHandle(
      ({ b64, name }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], name, { type: 'image/jpeg' }));
        return dt;
      },
      { b64, name: `dropped-${item.file}` },
    );
    await page.dispatchEvent('main', 'dragenter', { dataTransfer });
    await page.waitForSelector('text=Drop a photo to search with it');
    await page.dispatchEvent('main', 'drop', { dataTransfer });
    await page.waitForSelector('[data-testid="image-chip"]');
    expect(await text('[data-testid="image-chip"]')).toContain(`dropped-${item.file}`);
    await page.waitForSelector('.notes li');
    expect(await page.locator('.notes li').count()).toBeGreaterThan(0);
    expect(await page.locator('[aria-label="Photo results"] [role="option"]').count()).toBeGreaterThan(0);
    await shootBothThemes(page, '06-image-query');

    // Pasting an image does the same.
    const pasted = await page.evaluateHandle(
      ({ b64 }) => {
        const dt = new DataTransfer();
        dt.items.add(
          new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'pasted.jpg', {
            type: 'image/jpeg',
          }),
        );
        return new ClipboardEvent('paste', { clipboardData: dt, bubbles: true });
      },
      { b64 },
    );
    await page.evaluate((event) => document.body.dispatchEvent(event), pasted);
    await page.waitForSelector('[data-testid="image-chip"]:has-text("pasted.jpg")');
  });

  it('tags two photos at once with click and shift-click', async () => {
    await go('tags');
    await page.fill('input[aria-label="Find photos to tag"]', 'people');
    await page.keyboard.press('Enter');
    const cells = page.locator('[aria-label="Photos to tag"] [role="option"]');
    await cells.first().waitFor();
    await cells.nth(0).click();
    await cells.nth(1).click({ modifiers: ['Shift'] });
    expect(await text('[data-testid="selected-count"]')).toBe('2 photos selected');
    await page.fill('input[aria-label="Tag to add to or remove from the selected photos"]', 'favourite');
    await page.click('[aria-label="Bulk tagging"] button[type="submit"]');
    await page.waitForSelector('.tag-list .tag-row:has-text("favourite") .count:text-is("2")');
    await shootBothThemes(page, '07-tags');

    // The tag is a search filter now: only the two tagged photos match.
    await go('search');
    await page.fill('#search-input', 'people');
    await page.keyboard.press('Enter');
    await page.click('button[aria-controls="filters"]');
    await page.selectOption('[data-testid="filter-tag"]', 'favourite');
    await page.waitForFunction(
      () => document.querySelector('[aria-label="Photo results"]')?.getAttribute('data-count') === '2',
    );
    await shootBothThemes(page, '08-search-filtered');
    await page.click('button:has-text("Clear filters")');
    await page.click('button[aria-controls="filters"]');
    await go('tags');
  });

  it('starts and finishes a small retraining run', async () => {
    // Retraining wants 20+ tagged photos and 2+ tags: tag every photo as well.
    const grid = page.locator('[aria-label="Photos to tag"]');
    await grid.focus();
    await page.keyboard.press('Control+a');
    await page.fill('input[aria-label="Tag to add to or remove from the selected photos"]', 'coco');
    await page.click('[aria-label="Bulk tagging"] button[type="submit"]');
    await page.waitForSelector('.tag-list .tag-row:has-text("coco") .count:text-is("51")');

    await go('retrain');
    await page.waitForSelector('[data-testid="tagged-count"]');
    expect(await text('[data-testid="tagged-count"]')).toBe('51');
    await page.fill('input[type="number"]', '2');
    const start = page.locator('button:has-text("Start training")');
    expect(await start.isEnabled()).toBe(true);
    await start.click();
    // Best effort: a picture of the live curves while the run is still going.
    await page
      .waitForSelector('[data-testid="train-progress"] svg', { timeout: 20_000 })
      .then(async () => {
        if ((await text('[data-testid="train-progress"] h2')).startsWith('Training'))
          await shootBothThemes(page, '09a-retrain-running');
      })
      .catch(() => undefined);
    await page.waitForSelector(
      '[data-testid="train-outcome"], [data-testid="train-progress"] [role="alert"]',
      {
        timeout: 120_000,
      },
    );
    expect(await page.locator('[data-testid="train-progress"] [role="alert"]').count()).toBe(0);
    await page.waitForSelector('[data-testid="train-outcome"]');
    expect(await page.locator('.charts svg').count()).toBeGreaterThan(0);
    // Two stages, each said in plain words: the quick training (used at once when better), then the full one.
    const quick = await text('[data-testid="train-quick-outcome"]');
    expect(quick).toMatch(
      /Step\s+1,\s+quick\s+training:\s+finds\s+your\s+tagged\s+photos:\s+\d+\s%\s→\s\d+\s%/,
    );
    expect(await text('[data-testid="train-outcome"]')).toMatch(
      /Step\s+2,\s+full\s+training:\s+finds\s+your\s+tagged\s+photos:/,
    );
    console.info(`e2e retrain: ${quick.replace(/\s+/g, ' ').slice(0, 160)}`);
    await page.locator('[data-testid="train-outcome"]').first().scrollIntoViewIfNeeded();
    await shootBothThemes(page, '09-retrain');
  }, 180_000);

  it('keeps the grid to a few dozen nodes and scrolls smoothly at 100,000 results', async () => {
    const gridPage = await context.newPage();
    await gridPage.goto(new URL('/grid/index.html', app!.server.url).href);
    await gridPage.waitForSelector('[role="option"]');
    const stats = await measureGridScroll(gridPage);
    console.info(
      `e2e: grid of ${stats.count} results: at most ${stats.maxNodes} cells in the DOM; frame median ${stats.median.toFixed(1)} ms, p95 ${stats.p95.toFixed(1)} ms`,
    );
    expect(stats.count).toBe(100_000);
    expect(stats.maxNodes).toBeLessThan(200);
    // NOTE: frame times are printed, not asserted: on a shared 2-core machine they measure the neighbours as much
    // as the grid. What keeps scrolling smooth is the bounded DOM, and that is asserted above.

    await gridPage.focus('[role="listbox"]');
    await gridPage.keyboard.press('End');
    await gridPage.waitForSelector('[role="option"][aria-posinset="100000"]');
    await gridPage.keyboard.press('Enter');
    expect(await gridPage.evaluate(() => document.body.dataset['opened'])).toBe('99999');
    await gridPage.close();
  });

  it('shows settings and switches the theme by hand', async () => {
    await go('settings');
    await page.waitForSelector('[data-testid="models-state"]');
    expect(await text('[data-testid="models-state"]')).toBe('Stand-in test models');
    await shootBothThemes(page, '10-settings');
    await page.click('[role="radio"]:has-text("Dark")');
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await page.screenshot({ path: join(SHOTS, '11-settings-dark-override.png') });
    // Arrow keys move the choice within the group (Dark → wraps to System).
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('[role="radio"][aria-checked="true"]:has-text("System")');
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBeUndefined();
    expect(app!.pageErrors).toEqual([]);
  });

  it('keeps the view and the query in the address: Back, Forward and reload come back to them', async () => {
    await go('search');
    await page.fill('#search-input', 'a bus in the street');
    await page.press('#search-input', 'Enter');
    await page.waitForFunction(() => location.hash.startsWith('#/search?q=a+bus+in+the+street'));
    await page.waitForSelector('[aria-label="Photo results"] [role="option"]');
    await go('tags');
    expect(await page.evaluate(() => location.hash)).toBe('#/tags');
    await page.goBack();
    await page.waitForSelector('main[data-view="search"]');
    expect(await page.inputValue('#search-input')).toBe('a bus in the street');
    await page.goForward();
    await page.waitForSelector('main[data-view="tags"]');
    await page.goBack();
    await page.waitForSelector('main[data-view="search"]');
    await page.reload();
    await page.waitForSelector('[aria-label="Photo results"] [role="option"]');
    expect(await page.inputValue('#search-input')).toBe('a bus in the street');
    // A stale or wrong link says so, instead of showing an empty library.
    const stale = await context.newPage();
    const wrong = new URL(app!.server.url);
    wrong.searchParams.set('token', 'not-the-token');
    await stale.goto(wrong.href);
    await stale.waitForSelector('[data-testid="link-expired"]');
    expect(await stale.textContent('[data-testid="link-expired"]')).toMatch(/This link has expired/);
    expect(await stale.getByText('Add a folder to get started').count()).toBe(0);
    for (const scheme of ['light', 'dark'] as const) {
      await stale.emulateMedia({ colorScheme: scheme });
      await stale.screenshot({ path: join(SHOTS, `15-link-expired-${scheme}.png`) });
    }
    await stale.close();
  });

  it('shows a retrying banner while the server cannot be reached, keeps the results, and recovers', async () => {
    await go('search');
    await page.fill('#search-input', 'a dog at the beach');
    await page.press('#search-input', 'Enter');
    await page.waitForSelector('[aria-label="Photo results"] [role="option"]');
    const shown = await page.getAttribute('[aria-label="Photo results"]', 'data-count');
    // The page's network to `glint serve` is cut, as when the server stops.
    await context.setOffline(true);
    await page.fill('#search-input', 'a red bus');
    await page.press('#search-input', 'Enter');
    await page.waitForSelector('[data-testid="offline-banner"]');
    expect(await text('[data-testid="offline-banner"]')).toMatch(/not reachable/);
    expect(await page.getAttribute('[aria-label="Photo results"]', 'data-count')).toBe(shown);
    expect(await page.getByText('No photos match').count()).toBe(0);
    await shootBothThemes(page, '14-server-unreachable');
    await context.setOffline(false);
    await page.waitForSelector('[data-testid="offline-banner"]', { state: 'detached', timeout: 20_000 });
    await page.press('#search-input', 'Enter');
    await page.waitForFunction(() => location.hash.includes('q=a+red+bus'));
  });

  it('marks an unplugged folder offline with its photos still found, then removes it after saying what goes, and Undo brings it back', async () => {
    const folder = app!.dirs.photos;
    renameSync(folder, `${folder}-unplugged`);
    try {
      await go('library');
      await page.click('button:has-text("Re-index")');
      await page.waitForSelector('[data-testid="folder-state"]:has-text("Offline")');
      expect(await text('.folder .reason')).toMatch(/plugged in/);
      expect(await text('[data-testid="stat-photos"]')).toBe('51');
      await shootBothThemes(page, '12-library-offline');
      await go('search');
      await page.fill('input[type="search"]', 'a dog');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[role="option"].unavailable');
    } finally {
      renameSync(`${folder}-unplugged`, folder);
    }
    await go('library');
    await page.click('button:has-text("Re-index")');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="folder-state"]') === null,
      undefined,
      {
        timeout: 60_000,
      },
    );
    expect(await text('[data-testid="stat-photos"]')).toBe('51');

    await page.click(`button[aria-label="Remove folder ${folder}"]`);
    await page.waitForSelector('[data-testid="remove-preview"]:has-text("51 photos")');
    expect(await text('[data-testid="remove-preview"]')).toMatch(/Your tags on them \(\d+\) are kept/);
    await shootBothThemes(page, '13-library-remove-confirm');
    await page.click('.folder button:has-text("Remove")');
    await page.getByText('No folders yet').waitFor();
    await page.click('.toast button:has-text("Undo")');
    await page.waitForSelector(`.folders .path:has-text("${folder}")`);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="stat-photos"]')?.textContent?.trim() === '51',
    );
    expect(app!.pageErrors).toEqual([]);
  }, 120_000);
});
