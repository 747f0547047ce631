import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/** electron-vite: main and preload for Node/Electron, renderer as a Svelte 5 page. */
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/main/index.ts') },
        external: ['better-sqlite3', 'onnxruntime-node', 'sharp', 'chokidar', 'exifr'],
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
