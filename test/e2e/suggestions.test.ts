/**
 * The review queue in Debian's Chromium against a real `glint serve`: 12 real shared photos indexed with the
 * tiny stand-in models, their codes then planted in 3 groups (3 tagged photos and 1 untagged in each), so the
 * untagged photo of each group gets its group's tag suggested. Accept with the keyboard and see the tag on
 * the photo; reject and undo; accept a tag on all its photos. A screenshot goes to test-results/screenshots/.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { libraryPaths } from '../../src/engine/library-paths.ts';
import * as S from '../../src/engine/store/index.ts';
import { seeded } from '../helpers/planted-photos.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../helpers/shared-data.ts';
import { tinyModels } from '../helpers/standin-models.ts';
import { CHROMIUM, HAS_CHROMIUM, buildRenderer, launchBrowser, startServer, type Server } from './harness.ts';

const SHOTS = resolve(process.cwd(), 'test-results/screenshots');
const IN_CI = Boolean(process.env['CI']);
const GROUPS = ['max', 'beach', 'snow'];

if (!HAS_CHROMIUM && !IN_CI) console.warn(`e2e: skipped, Chromium is not installed at ${CHROMIUM}`);

describe.skipIf((!HAS_CHROMIUM && !IN_CI) || !HAS_SHARED_DATA)('Suggestions view in Chromium', () => {
  let tmp = '';
  let server: Server | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  /** Item id → its group's tag, for the untagged photo of each group. */
  const untagged = new Map<number, string>();

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'glint-e2e-suggest-'));
    mkdirSync(SHOTS, { recursive: true });
    const photos = join(tmp, 'photos');
    mkdirSync(photos);
    const files = photoManifest()
      .slice(0, 12)
      .map((p) => p.file);
    for (const f of files) copyFileSync(join(PHOTOS_DIR, f), join(photos, f));
    const [models] = await Promise.all([tinyModels(join(tmp, 'models')), buildRenderer(join(tmp, 'ui'))]);
    const library = join(tmp, 'library');
    const engine = await Engine.open({ libraryDir: library, modelsDir: models, bits: 64 });
    let headId: string;
    let ids: number[];
    try {
      await engine.ingest.index([photos]);
      headId = engine.heads.active.id;
      ids = files.map((f) => engine.search.photoIdAt(join(photos, f)));
    } finally {
      await engine.close();
    }
    // Plant the structure in the codes: photo k belongs to group k % 3; the last of each group is untagged.
    const store = S.openStore(libraryPaths(library).db);
    try {
      const r = seeded(4);
      const centres = GROUPS.map(
        () => BigInt(Math.floor(r() * 2 ** 32)) * 2n ** 32n + BigInt(Math.floor(r() * 2 ** 32)),
      );
      ids.forEach((id, k) => {
        const g = k % 3;
        let code = centres[g]!;
        for (let f = 0; f < 3; f++) code ^= 1n << BigInt(Math.floor(r() * 64));
        S.putCodes(store, headId, [{ itemId: id, words: [BigInt.asIntN(64, code)] }]);
        if (k >= 9) untagged.set(id, GROUPS[g]!);
        else S.addItemTag(store, id, GROUPS[g]!, 'user');
      });
    } finally {
      store.close();
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

  const card = async (): Promise<{ item: number; tag: string }> => {
    const el = await page.waitForSelector('[data-testid="suggestion-card"]');
    return {
      item: Number(await el.getAttribute('data-item')),
      tag: (await page.textContent('[data-testid="suggested-tag"]'))?.trim() ?? '',
    };
  };

  it('opens the review queue with Alt+5 on the most confident suggestion, with the quality in words', async () => {
    await page.goto(server!.url);
    await page.waitForSelector('nav [data-view="suggestions"]');
    await page.keyboard.press('Alt+5');
    await page.waitForSelector('main[data-view="suggestions"]');
    const first = await card();
    expect(untagged.get(first.item)).toBe(first.tag);
    expect(await page.textContent('[data-testid="suggestion-quality"]')).toMatch(
      /Suggestions were right 10 times in 10 on photos you had already tagged \(9 of 9\)/,
    );
    expect(await page.textContent('[data-testid="suggestion-confidence"]')).toMatch(/^\s*very likely/);
    await page.waitForFunction(() =>
      Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0),
    );
    await page.screenshot({ path: join(SHOTS, 'suggestions-light.png') });
  });

  it('accepts with A, and the photo carries the tag in the Tags view', async () => {
    const first = await card();
    await page.keyboard.press('a');
    await page.waitForFunction(
      (tag) =>
        document.querySelector('[data-testid="last-decision"]')?.textContent?.includes(`Accepted “${tag}”`),
      first.tag,
    );
    const next = await card();
    expect(next.item).not.toBe(first.item);
    await page.click('nav [data-view="tags"]');
    await page.click(`.tag-row:has(.name:text-is("${first.tag}"))`);
    await page.waitForSelector(`[data-id="${first.item}"]`);
    await page.click('nav [data-view="suggestions"]');
    expect((await card()).item).toBe(next.item);
  });

  it('rejects with R and takes it back with Z; accepts a tag on all its photos with Shift+A', async () => {
    const shown = await card();
    await page.keyboard.press('r');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="last-decision"]')?.textContent?.includes('Rejected'),
    );
    await page.keyboard.press('z');
    await page.waitForFunction(
      (item) =>
        document.querySelector('[data-testid="suggestion-card"]')?.getAttribute('data-item') === String(item),
      shown.item,
    );
    await page.keyboard.press('Shift+A');
    await page.waitForFunction(
      (tag) =>
        document.querySelector('[data-testid="last-decision"]')?.textContent?.includes(`Accepted “${tag}”`),
      shown.tag,
    );
    // Each group’s tag is suggested for one photo: Shift+A accepted that one, and one photo is left.
    await page.getByText('1 suggestion to review').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
