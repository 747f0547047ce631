/**
 * End-to-end harness: builds the renderer, prepares a library folder (the shared photos and their COCO
 * captions as .txt notes), starts a real `glint serve` child with tiny stand-in models, and drives Debian's
 * Chromium through playwright-core. `startApp` does all of it for a browser test file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build } from 'vite';
import { Engine } from '../../src/engine/engine.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest, type ManifestPhoto } from '../helpers/shared-data.ts';
import { tinyModels } from '../helpers/standin-models.ts';

/** Debian's Chromium (installed by .ci/run). */
export const CHROMIUM = process.env['GLINT_CHROMIUM'] ?? '/usr/bin/chromium';
/** Whether the browser is there. */
export const HAS_CHROMIUM = existsSync(CHROMIUM);
/** Whether this is a CI run. */
export const IN_CI = Boolean(process.env['CI']);
// NOTE: in CI a missing Chromium must fail the run, not skip it.
/** Whether the browser tests skip: no Chromium outside CI, or no shared photos and tokenizer. */
export const SKIP_E2E = (!HAS_CHROMIUM && !IN_CI) || !HAS_SHARED_DATA;
if (!HAS_CHROMIUM && !IN_CI) {
  console.warn(
    `e2e: skipped, Chromium is not installed at ${CHROMIUM} (apt-get install chromium, or set GLINT_CHROMIUM)`,
  );
}
if (!HAS_SHARED_DATA) console.warn('e2e: skipped, ../shared/data (photos and CLIP tokenizer) is absent');

const ROOT = resolve(import.meta.dirname, '../..');
/** Where the browser tests' screenshots go. */
export const SHOTS = join(ROOT, 'test-results/screenshots');

/** Builds the Svelte renderer into `outDir` (the same page Electron and `glint serve` load). */
export async function buildRenderer(outDir: string): Promise<void> {
  await build({
    root: join(ROOT, 'src/renderer'),
    configFile: false,
    logLevel: 'warn',
    plugins: [svelte({ configFile: false })],
    build: { outDir, emptyOutDir: true, rollupOptions: { input: join(ROOT, 'src/renderer/index.html') } },
  });
}

/** Builds the 100,000-result grid fixture (test/e2e/grid-fixture) into `outDir`. */
export async function buildGridFixture(outDir: string): Promise<void> {
  await build({
    root: join(ROOT, 'test/e2e/grid-fixture'),
    base: './',
    configFile: false,
    logLevel: 'warn',
    plugins: [svelte({ configFile: false })],
    build: {
      outDir,
      emptyOutDir: true,
      // The search grid (index.html) and the timeline grid (timeline.html), each at 100,000 photos.
      rollupOptions: {
        input: {
          index: join(ROOT, 'test/e2e/grid-fixture/index.html'),
          timeline: join(ROOT, 'test/e2e/grid-fixture/timeline.html'),
        },
      },
    },
  });
}

/** How `copySharedPhotos` lays the photos out. */
export interface PhotoCopy {
  /** How many of the shared photos, from the first; all of them unless given. */
  count?: number;
  /** A folder for each photo's COCO captions as a .txt note of the same name; no notes unless given. */
  notesDir?: string;
  /** Sets the photos' mtimes (their dates: the shared photos carry none), the first `newest`, each next older. */
  dates?: { newest: Date; daysApart: number };
}

/** Copies the first `count` shared photos into `dir` (made if need be); returns their manifest entries. */
export function copySharedPhotos(dir: string, opts: PhotoCopy = {}): ManifestPhoto[] {
  mkdirSync(dir, { recursive: true });
  if (opts.notesDir) mkdirSync(opts.notesDir, { recursive: true });
  const items = photoManifest().slice(0, opts.count);
  items.forEach((item, i) => {
    const photo = join(dir, item.file);
    copyFileSync(join(PHOTOS_DIR, item.file), photo);
    if (opts.dates) {
      const mtime = new Date(opts.dates.newest.getTime() - i * opts.dates.daysApart * 86_400_000);
      utimesSync(photo, mtime, mtime);
    }
    if (opts.notesDir) {
      const note = join(opts.notesDir, item.file.replace(/\.jpe?g$/i, '.txt'));
      writeFileSync(note, `${item.captions.join('\n\n')}\n`);
    }
  });
  return items;
}

/**
 * Indexes `dirs.photos` into `dirs.library` through the Engine at 64 bits, then runs `then` (tagging, reading
 * ids) on the same engine before it closes; returns what `then` returns.
 */
export async function indexPhotos<T = void>(
  dirs: Pick<AppDirs, 'photos' | 'library' | 'models'>,
  then: (engine: Engine) => T | Promise<T> = () => undefined as T,
): Promise<T> {
  const engine = await Engine.open({ libraryDir: dirs.library, modelsDir: dirs.models, bits: 64 });
  try {
    await engine.ingest.index([dirs.photos]);
    return await then(engine);
  } finally {
    await engine.close();
  }
}

/** The corrupt photo prepareLibraryFolder adds. */
export const BROKEN_PHOTO = 'broken-camera-file.jpg';

/**
 * A folder with the shared photos, under notes/ one .txt note of COCO captions per photo, and one
 * corrupt JPEG (so the Library's error list has a row).
 */
export function prepareLibraryFolder(dir: string): { photos: number; notes: number; files: number } {
  // About three years of dates (one every 23 days) so the timeline has months and years to show.
  const items = copySharedPhotos(dir, {
    notesDir: join(dir, 'notes'),
    dates: { newest: new Date(Date.UTC(2023, 5, 15)), daysApart: 23 },
  });
  writeFileSync(join(dir, BROKEN_PHOTO), Buffer.from('\xff\xd8\xff\xe0 this is not really a JPEG', 'latin1'));
  return { photos: items.length, notes: items.length, files: 2 * items.length + 1 };
}

/** A running `glint serve`. */
export interface Server {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

// NOTE: opening the engine with tiny models takes about a second; 60 s covers a loaded CI machine.
const START_TIMEOUT_MS = 60_000;

/** Starts `glint serve` on a library (on any free port unless one is named) and waits for the URL it prints. */
export function startServer(opts: {
  library: string;
  models: string;
  ui: string;
  port?: number;
}): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      join(ROOT, 'src/engine/cli/main.ts'),
      '--library',
      opts.library,
      '--models',
      opts.models,
      'serve',
      '--port',
      String(opts.port ?? 0),
      '--ui',
      opts.ui,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let log = '';
  const output = (): string => log;
  const stop = (): Promise<void> =>
    new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`glint serve printed no URL within ${START_TIMEOUT_MS} ms:\n${log}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      const match = /Glint is running at (http:\/\/\S+)/.exec(log);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveStart({ url: match[1], child, output, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`glint serve exited with ${code}:\n${log}`));
    });
  });
}

/** Chromium headless with a fresh profile, no network chatter, a fixed viewport. */
export async function launchBrowser(profileDir: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/**
 * Saves the current screen as `<name>-light.png` and `<name>-dark.png` under SHOTS, and leaves the page light.
 * It first waits for the images in view to arrive, or the pictures show half-decoded thumbnails; images out of
 * view or not laid out are not waited for, so a page without thumbnails is shot at once.
 */
export async function shootBothThemes(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() =>
    Array.from(document.images).every((img) => {
      const r = img.getBoundingClientRect();
      return img.complete || r.bottom < 0 || r.top > innerHeight || r.width === 0;
    }),
  );
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The folders of an app `startApp` started, all under one temp folder. */
export interface AppDirs {
  tmp: string;
  /** Empty at first: `prepare` puts the photos it wants there. */
  photos: string;
  library: string;
  models: string;
  ui: string;
}

/** A running app: `glint serve` on a library with tiny stand-in models, and a Chromium page. */
export interface App {
  dirs: AppDirs;
  /** The current server: a test that restarts it assigns the new one here, so close() stops that. */
  server: Server;
  context: BrowserContext;
  page: Page;
  /** Every uncaught error the page threw. */
  pageErrors: string[];
  /** Closes the browser, stops the current server and removes the temp folder. */
  close: () => Promise<void>;
}

/**
 * Makes a temp folder, builds the renderer (and the grid fixture into ui/grid when `gridFixture`), writes tiny
 * stand-in models, runs `prepare(dirs)` (copy photos, index, tag), starts `glint serve` and opens Chromium
 * on a fresh profile, with a 30 s default timeout and page errors collected. Cleans up if any step fails.
 */
export async function startApp(
  name: string,
  prepare?: (dirs: AppDirs) => void | Promise<void>,
  options: { gridFixture?: boolean } = {},
): Promise<App> {
  const tmp = mkdtempSync(join(tmpdir(), `glint-e2e-${name}-`));
  const dirs: AppDirs = {
    tmp,
    photos: join(tmp, 'photos'),
    library: join(tmp, 'library'),
    models: join(tmp, 'models'),
    ui: join(tmp, 'ui'),
  };
  let server: Server | undefined;
  try {
    mkdirSync(SHOTS, { recursive: true });
    mkdirSync(dirs.photos);
    await Promise.all([
      buildRenderer(dirs.ui).then(() =>
        options.gridFixture ? buildGridFixture(join(dirs.ui, 'grid')) : undefined,
      ),
      tinyModels(dirs.models),
    ]);
    await prepare?.(dirs);
    server = await startServer(dirs);
    const { context, page } = await launchBrowser(join(tmp, 'profile'));
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.setDefaultTimeout(30_000);
    const app: App = {
      dirs,
      server,
      context,
      page,
      pageErrors,
      close: async () => {
        await context.close();
        await app.server.stop();
        rmSync(tmp, { recursive: true, force: true });
      },
    };
    return app;
  } catch (err) {
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** What `measureGridScroll` saw. */
export interface GridScroll {
  /** The list's data-count. */
  count: number;
  /** The most cells in the DOM at any step. */
  maxNodes: number;
  /** The most month headers in the DOM at any step. */
  headers: number;
  /** Of the cells in the DOM after the last step, the share with an image. */
  filled: number;
  /** Frame times (ms), printed by the tests and never asserted: on a shared machine they measure the neighbours. */
  median: number;
  p95: number;
}

/**
 * Scrolls the page's virtual grid ([role="listbox"]) in 120 wheel-like steps, then 60 long jumps across the whole
 * list, one animation frame each, counting the cells and headers in the DOM and timing the frames.
 */
export function measureGridScroll(page: Page): Promise<GridScroll> {
  return page.evaluate(async () => {
    const vp = document.querySelector<HTMLElement>('[role="listbox"]')!;
    const frame = (): Promise<number> => new Promise((r) => requestAnimationFrame(r));
    const times: number[] = [];
    let maxNodes = 0;
    let headers = 0;
    let last = await frame();
    const targets = [
      ...Array.from({ length: 120 }, (_, i) => i * 240),
      ...Array.from({ length: 60 }, (_, i) => ((i * 7919) % 60) * (vp.scrollHeight / 60)),
    ];
    for (const top of targets) {
      vp.scrollTop = top;
      const now = await frame();
      times.push(now - last);
      last = now;
      maxNodes = Math.max(maxNodes, vp.querySelectorAll('[role="option"]').length);
      headers = Math.max(headers, vp.querySelectorAll('h3[data-month]').length);
    }
    await frame();
    times.sort((a, b) => a - b);
    const shown = [...vp.querySelectorAll('[role="option"]')];
    return {
      count: Number(vp.dataset['count']),
      maxNodes,
      headers,
      filled: shown.filter((c) => c.querySelector('img')).length / Math.max(1, shown.length),
      median: times[Math.floor(times.length / 2)]!,
      p95: times[Math.floor(times.length * 0.95)]!,
    };
  });
}
