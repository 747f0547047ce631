/**
 * Retrain in Debian's Chromium against a real `glint serve`: 24 shared photos indexed with the tiny stand-in
 * models and tagged with their COCO categories, then a 2-epoch run of the real two-stage training. What the
 * run prepares is on screen before its first step, and its finishing work is said too; the result reads in
 * plain words; the versions table shows each version's quality and date; bad epochs keep Start disabled; a
 * reload keeps the result. Screenshots go to test-results/screenshots/.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../helpers/shared-data.ts';
import { tinyModels } from '../helpers/standin-models.ts';
import { CHROMIUM, HAS_CHROMIUM, buildRenderer, launchBrowser, startServer, type Server } from './harness.ts';

const SHOTS = resolve(process.cwd(), 'test-results/screenshots');
const IN_CI = Boolean(process.env['CI']);
const PHOTOS = 24;

if (!HAS_CHROMIUM && !IN_CI) console.warn(`e2e: skipped, Chromium is not installed at ${CHROMIUM}`);

describe.skipIf((!HAS_CHROMIUM && !IN_CI) || !HAS_SHARED_DATA)('Retrain view in Chromium', () => {
  let tmp = '';
  let server: Server | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  let outcomeText = '';

  /** Saves the current screen in the light and the dark theme. */
  async function shoot(name: string): Promise<void> {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  const text = async (selector: string): Promise<string> =>
    ((await page.textContent(selector)) ?? '').replace(/\s+/g, ' ').trim();

  async function openRetrain(): Promise<void> {
    await page.click('nav [data-view="retrain"]');
    await page.waitForSelector('main[data-view="retrain"] [data-testid="tagged-count"]');
  }

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'glint-e2e-retrain-'));
    mkdirSync(SHOTS, { recursive: true });
    const photos = join(tmp, 'photos');
    mkdirSync(photos);
    const manifest = photoManifest().slice(0, PHOTOS);
    for (const p of manifest) copyFileSync(join(PHOTOS_DIR, p.file), join(photos, p.file));
    const [models] = await Promise.all([tinyModels(join(tmp, 'models')), buildRenderer(join(tmp, 'ui'))]);
    const library = join(tmp, 'library');
    const engine = await Engine.open({ libraryDir: library, modelsDir: models, bits: 64 });
    try {
      await engine.ingest.index([photos]);
      for (const p of manifest)
        for (const label of p.labels) engine.tags.add([engine.search.photoIdAt(join(photos, p.file))], label);
    } finally {
      await engine.close();
    }
    server = await startServer({ library, models, ui: join(tmp, 'ui') });
    ({ context, page } = await launchBrowser(join(tmp, 'profile')));
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.setDefaultTimeout(30_000);
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('keeps Start disabled for 0, −5, empty, 2.5 and 501 epochs, saying why', async () => {
    await page.goto(server!.url);
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
    await shoot('retrain-bad-epochs');
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
        await shoot('retrain-preparing');
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
    await shoot('retrain-result');
  });

  it('still shows the last result after a reload', async () => {
    await page.reload();
    await openRetrain();
    await page.waitForSelector('[data-testid="train-outcome"]');
    expect(await text('[data-testid="train-outcome"]')).toBe(outcomeText);
    expect(await text('[data-testid="train-progress"] h2')).toBe('Last training');
    expect(await text('[data-testid="train-finished-at"]')).toMatch(/^finished .+/);
    expect(await page.locator('[data-testid="train-quick-outcome"]').count()).toBe(1);
    await shoot('retrain-after-reload');
    expect(pageErrors).toEqual([]);
  });
});
