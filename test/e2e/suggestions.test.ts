/**
 * The review queue in Debian's Chromium against a real `glint serve`: 12 real shared photos indexed with the
 * tiny stand-in models, their codes then planted in 3 groups (3 tagged photos and 1 untagged in each), so the
 * untagged photo of each group gets its group's tag suggested. Accept with the keyboard and see the tag on
 * the photo; reject and undo; accept a tag on all its photos. A screenshot goes to test-results/screenshots/.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { libraryPaths } from '../../src/engine/library-paths.ts';
import * as S from '../../src/engine/store/index.ts';
import { seeded } from '../helpers/planted-photos.ts';
import { SHOTS, SKIP_E2E, copySharedPhotos, indexPhotos, startApp, type App } from './harness.ts';

const GROUPS = ['max', 'beach', 'snow'];

describe.skipIf(SKIP_E2E)('Suggestions view in Chromium', () => {
  let app: App | undefined;
  let page: Page;
  /** Item id → its group's tag, for the untagged photo of each group. */
  const untagged = new Map<number, string>();

  beforeAll(async () => {
    app = await startApp('suggest', async (dirs) => {
      const { photos, library } = dirs;
      const files = copySharedPhotos(photos, { count: 12 }).map((p) => p.file);
      const { headId, ids } = await indexPhotos(dirs, (engine) => ({
        headId: engine.heads.active.id,
        ids: files.map((f) => engine.search.photoIdAt(join(photos, f))),
      }));
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
    });
    ({ page } = app);
  }, 240_000);

  afterAll(() => app?.close());

  const card = async (): Promise<{ item: number; tag: string }> => {
    const el = await page.waitForSelector('[data-testid="suggestion-card"]');
    return {
      item: Number(await el.getAttribute('data-item')),
      tag: (await page.textContent('[data-testid="suggested-tag"]'))?.trim() ?? '',
    };
  };

  it('opens the review queue with Alt+5 on the most confident suggestion, with the quality in words', async () => {
    await page.goto(app!.server.url);
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
    expect(app!.pageErrors).toEqual([]);
  });
});
