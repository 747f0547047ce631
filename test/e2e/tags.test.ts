/**
 * Tag management in Debian's Chromium against a real `glint serve` (tiny stand-in models, 8 of the shared
 * photos): bulk-tagging a Ctrl/Shift selection in the search results and in the timeline, the tags as an
 * indented tree, renaming a parent in place (its children move with it) and seeing it on the photo,
 * undoing it with Ctrl+Z, and deleting after a question with the toast's Undo.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SKIP_E2E, copySharedPhotos, indexPhotos, startApp, type App } from './harness.ts';

describe.skipIf(SKIP_E2E)('Tag management in Chromium', () => {
  let app: App | undefined;
  let page: Page;

  async function go(view: string): Promise<void> {
    await page.click(`nav [data-view="${view}"]`);
    await page.waitForSelector(`main[data-view="${view}"]`);
  }
  const toast = (message: string | RegExp) =>
    page.locator('.toast').filter({ has: page.locator('.msg', { hasText: message }) });
  const row = (name: string) => page.locator(`.tag-list .tree-row[data-tag="${name}"]`);

  beforeAll(async () => {
    app = await startApp('tags', async (dirs) => {
      // Two months apart, so the timeline has months to show.
      copySharedPhotos(dirs.photos, {
        count: 8,
        dates: { newest: new Date(Date.UTC(2024, 0, 15)), daysApart: 61 },
      });
      await indexPhotos(dirs);
    });
    ({ page } = app);
  }, 240_000);

  afterAll(() => app?.close());

  it('bulk-tags a Ctrl/Shift selection in the search results, and a plain click ends it', async () => {
    await page.goto(app!.server.url);
    await go('search');
    await page.fill('#search-input', 'a photo');
    await page.keyboard.press('Enter');
    const cells = page.locator('[aria-label="Photo results"] [role="option"]');
    await cells.nth(3).waitFor();
    expect(await page.locator('[data-testid="selection-bar"]').count()).toBe(0);
    await cells.nth(0).click();
    await cells.nth(2).click({ modifiers: ['Shift'] });
    await cells.nth(3).click({ modifiers: ['Control'] });
    await page.waitForSelector('[data-testid="selection-count"]:text-is("4 photos selected")');
    expect(await page.locator('[aria-label="Photo results"] [aria-selected="true"]').count()).toBe(4);
    await page.fill('[data-testid="selection-bar"] input', 'Places/Lisbon');
    await page.click('[data-testid="selection-bar"] button:has-text("Add tag")');
    await toast('Tagged 4 photos “Places/Lisbon” (4 new).').waitFor();
    // Removing from part of it: a new selection of two.
    await cells.nth(0).click();
    await cells.nth(1).click({ modifiers: ['Shift'] });
    await page.fill('[data-testid="selection-bar"] input', 'places/lisbon');
    await page.click('[data-testid="selection-bar"] button:has-text("Remove tag")');
    await toast('Removed “places/lisbon” from 2 of 2 photos.').waitFor();
    await cells.nth(2).click();
    expect(await page.locator('[data-testid="selection-bar"]').count()).toBe(0);
  });

  it('bulk-tags a selection in the timeline', async () => {
    await go('timeline');
    const cells = page.locator('[aria-label="Photos by date"] [role="option"]');
    await cells.nth(2).waitFor();
    await cells.nth(0).click();
    await cells.nth(2).click({ modifiers: ['Control'] });
    await page.waitForSelector('[data-testid="selection-count"]:text-is("2 photos selected")');
    await page.fill('[data-testid="selection-bar"] input', 'Places');
    await page.keyboard.press('Enter');
    await toast('Tagged 2 photos “Places” (2 new).').waitFor();
  });

  it('shows the tags as a tree, renames a parent in place, shows it on the photo, and undoes with Ctrl+Z', async () => {
    await go('tags');
    // "Places" (2 photos) with "Lisbon" (2 photos) indented under it.
    await row('Places').waitFor();
    await row('Places/Lisbon').waitFor();
    expect(await row('Places/Lisbon').locator('.name').textContent()).toBe('Lisbon');
    const indent = await row('Places/Lisbon').evaluate((el) => parseFloat(getComputedStyle(el).paddingLeft));
    expect(indent).toBeGreaterThan(0);

    // Esc leaves the name as it was.
    await row('Places').locator('.tag-row').focus();
    await page.keyboard.press('F2');
    await page.keyboard.type('Nope');
    await page.keyboard.press('Escape');
    await row('Places').locator('.tag-row').waitFor();

    await row('Places').locator('.tag-row').focus();
    await page.keyboard.press('F2');
    const field = page.locator('input[aria-label="New name for “Places”"]');
    await field.fill('Travel');
    await field.press('Enter');
    await toast('Renamed “Places” to “Travel”.').waitFor();
    await row('Travel/Lisbon').waitFor();
    expect(await row('Places/Lisbon').count()).toBe(0);

    // On the photo: open one of Lisbon's photos.
    await row('Travel/Lisbon').locator('.tag-row').click();
    const photos = page.locator('[aria-label="Photos to tag"] [role="option"]');
    await photos.first().waitFor();
    expect(Number(await page.getAttribute('[aria-label="Photos to tag"]', 'data-count'))).toBe(2);
    await photos.first().dblclick();
    await page.waitForSelector('dialog.lightbox[open] .tags .chip:has-text("Travel/Lisbon")');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('dialog.lightbox')?.hasAttribute('open'));

    await page.locator('.tag-list').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await toast('Undid: Renamed “Places” to “Travel”.').waitFor();
    await row('Places/Lisbon').waitFor();
    expect(await row('Travel').count()).toBe(0);
  });

  it('asks before deleting a tag, and the toast’s Undo brings it back', async () => {
    await row('Places').hover();
    await row('Places').locator('button[aria-label="Delete “Places”"]').click();
    const question = page.locator('[data-testid="confirm-delete"]');
    await question.waitFor();
    expect((await question.textContent())?.replace(/\s+/g, ' ')).toContain(
      'Delete your tag “Places” and the 1 tag below it from the photos that carry them? You can undo it.',
    );
    await question.locator('button:has-text("Delete")').click();
    const done = toast(/^Deleted “Places” from [234] photos\.$/);
    await done.waitFor();
    const summary = (await done.locator('.msg').textContent()) ?? '';
    await row('Places').waitFor({ state: 'detached' });
    await done.locator('button:has-text("Undo")').click();
    await toast(`Undid: ${summary}`).waitFor();
    await row('Places/Lisbon').waitFor();
    expect(app!.pageErrors).toEqual([]);
  });
});
