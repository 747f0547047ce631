/**
 * Retrain in Debian's Chromium against a real `glint serve`: 24 shared photos indexed with the tiny stand-in
 * models and tagged with their COCO categories, then a 2-epoch run of the real two-stage training. What the
 * run prepares is on screen before its first step, and its finishing work is said too; the result reads in
 * plain words; the versions table shows each version's quality and date; bad epochs keep Start disabled; a
 * reload keeps the result. Screenshots go to test-results/screenshots/.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SKIP_E2E, copySharedPhotos, indexPhotos, shootBothThemes, startApp, type App } from './harness.ts';

const PHOTOS = 24;

describe.skipIf(SKIP_E2E)('Retrain view in Chromium', () => {
  let app: App | undefined;
  let page: Page;
  let outcomeText = '';

  const text = async (selector: string): Promise<string> =>
    ((await page.textContent(selector)) ?? '').replace(/\s+/g, ' ').trim();

  async function openRetrain(): Promise<void> {
    await page.click('nav [data-view="retrain"]');
    await page.waitForSelector('main[data-view="retrain"] [data-testid="tagged-count"]');
  }

  beforeAll(async () => {
    app = await startApp('retrain', async (dirs) => {
      const manifest = copySharedPhotos(dirs.photos, { count: PHOTOS });
      await indexPhotos(dirs, (engine) => {
        for (const p of manifest)
          for (const label of p.labels)
            engine.tags.add([engine.search.photoIdAt(join(dirs.photos, p.file))], label);
      });
    });
    ({ page } = app);
  }, 240_000);

  afterAll(() => app?.close());

  it('keeps Start disabled for 0, −5, empty, 2.5 and 501 epochs, saying why', async () => {
    await page.goto(app!.server.url);
    await openRetrain();
    expect(await text('[data-testid="tagged-count"]')).toBe(String(PHOTOS));
    const start = page.locator('button:has-text("Start training")');
    const epochs = page.locator('input.epochs');
    expect(await start.isEnabled()).toBe(true);
    for (const bad of ['0', '-5', '', '2.5', '501']) {
      await epochs.fill(bad);
      await page.waitForSelector('[data-testid="epochs-error"]');
      expect(await text('[data-testid="epochs-error"]')).toMatch(
        /^Epochs must be a whole number from 1 to 500 \(each epoch is one pass over your tagged photos\); you gave /,
      );
      expect(await start.isDisabled()).toBe(true);
    }
    await epochs.fill('2');
    await page.waitForSelector('[data-testid="epochs-error"]', { state: 'detached' });
    expect(await start.isEnabled()).toBe(true);
    await epochs.fill('0');
    await shootBothThemes(page, 'retrain-bad-epochs');
    await epochs.fill('2');
  });

  it('shows what the run prepares before its first step, says its finishing work, and the result in plain words', async () => {
    // Every text the "now" line shows, in order, as the page itself saw it change.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { trainNow: string[] }).trainNow = seen;
      new MutationObserver(() => {
        const line = document.querySelector('[data-testid="train-now"]')?.textContent?.trim();
        if (line && seen.at(-1) !== line) seen.push(line);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.click('button:has-text("Start training")');
    await page.waitForSelector('[data-testid="train-now"]');
    let shotRunning = false;
    await page
      .waitForFunction(
        () => /^Preparing|^Step/.test(document.querySelector('[data-testid="train-now"]')?.textContent ?? ''),
        undefined,
        { timeout: 20_000 },
      )
      .then(async () => {
        await shootBothThemes(page, 'retrain-preparing');
        shotRunning = true;
      })
      .catch(() => undefined);
    await page.waitForSelector(
      '[data-testid="train-outcome"], [data-testid="train-progress"] .notice.error[role="alert"]',
      { timeout: 180_000 },
    );
    expect(await page.locator('[data-testid="train-progress"] .notice.error').count()).toBe(0);
    const seen = await page.evaluate(() => (window as unknown as { trainNow: string[] }).trainNow);
    console.info(`e2e retrain, what the view said, in order:\n  ${seen.join('\n  ')}`);
    expect(shotRunning).toBe(true);
    const firstPhase = seen.findIndex((l) => /^(Preparing|Step \d of 2, .+) · /.test(l));
    const firstStep = seen.findIndex((l) => l.startsWith('Training · epoch'));
    expect(firstPhase).toBeGreaterThanOrEqual(0);
    expect(firstStep).toBeGreaterThan(firstPhase);
    // Nothing but "starting" and phases before the first step: never a still bar with nothing said.
    expect(
      seen.slice(0, firstStep).every((l) => l === 'Starting the training job' || l.includes(' · ')),
    ).toBe(true);
    expect(seen.slice(0, firstStep).some((l) => l.includes("Reading your tagged photos' embeddings"))).toBe(
      true,
    );
    expect(seen.slice(0, firstStep).some((l) => l.includes('Compiling the training step'))).toBe(true);
    // After the last step of the full stage, its finishing work is said.
    const lastStep = seen.findLastIndex((l) => l.startsWith('Training · epoch'));
    const finishing = seen.slice(lastStep + 1).join('\n');
    expect(finishing).toMatch(/Step 2 of 2, full training · Saving the new version of your search/);
    expect(finishing).toMatch(
      /Step 2 of 2, full training · Checking the new version on your \d+ held-back photos/,
    );

    const quick = await text('[data-testid="train-quick-outcome"]');
    outcomeText = await text('[data-testid="train-outcome"]');
    expect(quick).toMatch(/Step 1, quick training: finds your tagged photos: \d+ % → \d+ %\./);
    expect(outcomeText).toMatch(/Step 2, full training: finds your tagged photos: \d+ % → \d+ %\./);
    expect(await text('[data-testid="train-basis"]')).toMatch(
      /^Trained on 24 tagged photos for 2 epochs; checked on \d+ photos held back from training/,
    );
    // What the card shows (its closed Details disclosure is not rendered) is free of jargon.
    const shown = await page.locator('[data-testid="train-progress"]').innerText();
    expect(shown).not.toMatch(/mAP|\bhead\b|sp1|DGHDGH|triplet/i);
    console.info(`e2e retrain: ${quick.slice(0, 120)} | ${outcomeText.slice(0, 120)}`);
  }, 240_000);

  it('lists the versions of the search with their measured quality and the date they were trained', async () => {
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="versions"] tbody tr').length >= 3,
    );
    const rows = await page.locator('[data-testid="versions"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        label: tr.querySelector('td')?.textContent?.trim() ?? '',
        quality: tr.querySelector('[data-testid="version-quality"]')?.textContent?.trim() ?? '',
        date: tr.querySelector('[data-testid="version-date"]')?.textContent?.trim() ?? '',
      })),
    );
    const trained = rows.filter((r) => /step [12]/.test(r.label));
    expect(trained.map((r) => r.label).sort()).toEqual(['Full training (step 2)', 'Quick training (step 1)']);
    for (const r of trained) expect(r.quality).toMatch(/^\d+ %$/);
    for (const r of rows) expect(r.date).toMatch(new RegExp(String(new Date().getFullYear())));
    expect(rows.find((r) => r.label.startsWith('Starting version'))?.quality).toBe('not measured');
    expect(await page.locator('[data-testid="versions"]').innerText()).not.toMatch(/mAP|\bhead\b/i);
    await page.locator('[data-testid="train-progress"]').scrollIntoViewIfNeeded();
    await shootBothThemes(page, 'retrain-result');
  });

  it('still shows the last result after a reload', async () => {
    await page.reload();
    await openRetrain();
    await page.waitForSelector('[data-testid="train-outcome"]');
    expect(await text('[data-testid="train-outcome"]')).toBe(outcomeText);
    expect(await text('[data-testid="train-progress"] h2')).toBe('Last training');
    expect(await text('[data-testid="train-finished-at"]')).toMatch(/^finished .+/);
    expect(await page.locator('[data-testid="train-quick-outcome"]').count()).toBe(1);
    await shootBothThemes(page, 'retrain-after-reload');
    expect(app!.pageErrors).toEqual([]);
  });
});
