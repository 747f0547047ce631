/**
 * End-to-end harness: builds the renderer, prepares a library folder (the 51 shared photos and their COCO
 * captions as .txt notes), starts a real `glint serve` child with tiny stand-in models, and drives Debian's
 * Chromium through playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build } from 'vite';
import { PHOTOS_DIR, photoManifest } from '../helpers/shared-data.ts';

/** Debian's Chromium (installed by .ci/run). */
export const CHROMIUM = process.env['GLINT_CHROMIUM'] ?? '/usr/bin/chromium';
/** Whether the browser is there. */
export const HAS_CHROMIUM = existsSync(CHROMIUM);

const ROOT = resolve(import.meta.dirname, '../..');

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

/** The corrupt photo prepareLibraryFolder adds. */
export const BROKEN_PHOTO = 'broken-camera-file.jpg';

/**
 * A folder with the shared photos, under notes/ one .txt note of COCO captions per photo, and one
 * corrupt JPEG (so the Library's error list has a row).
 */
export function prepareLibraryFolder(dir: string): { photos: number; notes: number; files: number } {
  const notes = join(dir, 'notes');
  mkdirSync(notes, { recursive: true });
  const items = photoManifest();
  items.forEach((item, i) => {
    const photo = join(dir, item.file);
    copyFileSync(join(PHOTOS_DIR, item.file), photo);
    // The shared photos carry no capture date, so their dates are their mtimes: spread them over about
    // three years (one every 23 days) so the timeline has months and years to show.
    const mtime = new Date(Date.UTC(2023, 5, 15) - i * 23 * 86_400_000);
    utimesSync(photo, mtime, mtime);
    writeFileSync(join(notes, item.file.replace(/\.jpe?g$/i, '.txt')), `${item.captions.join('\n\n')}\n`);
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
