// Flat ESLint config: strict TypeScript rules for the whole tree, Svelte rules for components.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', '.node/', 'coverage/', 'test-results/', 'bench/.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    // The engine must stay usable outside Electron (CLI, worker, tests).
    files: ['src/engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'] }] },
  },
  // Layers (see ../shared/DESIGN.md), enforced in the manner of VS Code's code-layering rule: each
  // folder may import only what its row allows, and nothing anywhere imports in a cycle.
  {
    files: ['src/**/*.ts', 'src/**/*.svelte', 'training/**/*.ts'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/contract',
              from: './src',
              except: ['./contract'],
              message: 'The contract is types and constants: it imports nothing.',
            },
            {
              target: './src/renderer',
              from: './src',
              except: ['./renderer', './contract'],
              message: 'The renderer talks only to the contract.',
            },
            {
              target: './src/preload',
              from: './src',
              except: ['./preload', './contract'],
              message: 'Preload exposes the contract and imports nothing else of Glint.',
            },
            {
              target: './src/engine',
              from: ['./src/main', './src/preload', './src/renderer'],
              message: 'The engine never imports the Electron shell, preload or the UI.',
            },
            {
              target: ['./src/engine/!(cli)/**/*', './src/engine/*.ts'],
              from: './src/engine/cli',
              message: 'Only the CLI itself imports the CLI.',
            },
            {
              target: './src/main',
              from: ['./src/renderer', './src/preload', './src/engine/cli'],
              message: 'Main wires the engine to Electron; it does not import the UI, preload or the CLI.',
            },
            {
              target: './src',
              from: './training',
              message: 'Research code lives beside the product, never inside it.',
            },
            {
              target: './training',
              from: ['./src/main', './src/preload', './src/renderer', './src/engine/cli'],
              message: 'Research code builds on the engine, not on the shell, the UI or the CLI.',
            },
          ],
        },
      ],
    },
  },
  {
    // NOTE: cycles are followed through TypeScript modules (Svelte components are leaves of the graph).
    files: ['src/**/*.ts', 'training/**/*.ts'],
    ignores: ['**/*.svelte.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.js'] },
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
);
