import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/** Vitest: Node environment; tests live under test/ mirroring src/. */
export default defineConfig({
  // NOTE: compiles the renderer's rune-based state classes (*.svelte.ts) that the renderer tests import.
  plugins: [svelte({ configFile: false })],
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // NOTE: ONNX Runtime sessions and sharp are CPU-heavy; two workers fit a 2-core machine.
    maxWorkers: 2,
  },
});
