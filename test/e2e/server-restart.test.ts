/**
 * `glint serve` really stopping (the process killed) and coming back on the same port, in Debian's
 * Chromium: the page keeps its results under a retrying banner while nothing answers, and once a new
 * server answers with a new per-launch token it says the link has expired and where to go (never the
 * first-run screen); the new address works and the old address's view comes back with it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { glint } from '../helpers/glint-cli.ts';
import { SKIP_E2E, prepareLibraryFolder, startApp, startServer, type App } from './harness.ts';

describe.skipIf(SKIP_E2E)('glint serve stopping and coming back', () => {
  let app: App | undefined;
  let page: Page;

  beforeAll(async () => {
    app = await startApp('restart', (dirs) => {
      prepareLibraryFolder(dirs.photos);
      const indexed = glint(['--library', dirs.library, '--models', dirs.models, 'index', dirs.photos]);
      expect(indexed.code, indexed.stderr).toBe(0);
    });
    ({ page } = app);
  }, 240_000);

  afterAll(() => app?.close());

  it('keeps the results while the server is gone, then says the link expired and the new address restores the view', async () => {
    const { dirs } = app!;
    let server = app!.server;
    await page.goto(server.url);
    await page.fill('#search-input', 'a dog at the beach');
    await page.press('#search-input', 'Enter');
    await page.waitForSelector('[aria-label="Photo results"] [role="option"]');
    const shown = await page.getAttribute('[aria-label="Photo results"]', 'data-count');
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toContain('q=a+dog+at+the+beach');

    // The server process is killed outright, as a crash or a closed terminal would.
    const port = Number(new URL(server.url).port);
    server.child.kill('SIGKILL');
    await server.stop();
    await page.fill('#search-input', 'a red bus');
    await page.press('#search-input', 'Enter');
    await page.waitForSelector('[data-testid="offline-banner"]');
    expect(await page.textContent('[data-testid="offline-banner"]')).toMatch(/not reachable/);
    expect(await page.getAttribute('[aria-label="Photo results"]', 'data-count')).toBe(shown);
    expect(await page.getByText('No photos match').count()).toBe(0);

    // A new `glint serve` on the same port: a new token, so the old page's link has expired.
    server = app!.server = await startServer({ ...dirs, port });
    await page.waitForSelector('[data-testid="link-expired"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="link-expired"]')).toMatch(/This link has expired/);
    expect(await page.getByText('Add a folder to get started').count()).toBe(0);

    // The address it printed, with the old view's part of the address, brings the search back.
    await page.goto(`${server.url}${hash}`);
    await page.waitForSelector('[aria-label="Photo results"] [role="option"]');
    expect(await page.inputValue('#search-input')).toBe('a dog at the beach');
    expect(await page.getAttribute('[aria-label="Photo results"]', 'data-count')).toBe(shown);
  });
});
