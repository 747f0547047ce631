// Makes sure the Electron binary is in node_modules/electron before electron-vite starts: electron >= 42
// downloads it on first use, and electron-vite only looks for node_modules/electron/path.txt, so on a
// fresh clone `npm run dev` would otherwise fail with "Electron uninstall". Runs electron's own installer.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const { version } = require('electron/package.json');

if (existsSync(join(electronDir, 'path.txt')) && existsSync(join(electronDir, 'dist'))) process.exit(0);

console.log(`Downloading the Electron ${version} binary (once, about 100 MB) …`);
const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
  encoding: 'utf8',
  stdio: ['ignore', 'inherit', 'pipe'],
});
if (result.status === 0 && existsSync(join(electronDir, 'path.txt'))) process.exit(0);

const detail = (result.stderr ?? '').split('\n').find((l) => l.trim() !== '') ?? `exit ${result.status}`;
console.error(
  [
    `The Electron ${version} binary could not be downloaded (${detail.trim()}).`,
    'The desktop app needs it once. Connect to the network and run:',
    '  npx install-electron',
    'then `npm run dev` or `npm start` again. Without it, `glint serve` runs the same app in a browser.',
  ].join('\n'),
);
process.exit(3);
