import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Engine } from '../../engine.ts';
import { GlintError } from '../../errors.ts';
import { createApiHost } from '../../host/api-host.ts';
import { startHttpServer } from '../../host/http-server.ts';
import { defaultSetPuller } from '../../models/pull.ts';
import { engineOptions, type Output } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Run } from './library-commands.ts';

// NOTE: 4178 is an arbitrary unassigned port; `--port 0` picks any free one.
const DEFAULT_PORT = 4178;

/** Where `npm run build` writes the renderer, relative to this file in the repository. */
const BUILT_UI = fileURLToPath(new URL('../../../../out/renderer', import.meta.url));
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

/** Builds the UI once when a checkout has not built it yet (`npm run build`), so `glint serve` just works. */
function ensureBuiltUi(out: Output): void {
  if (existsSync(join(BUILT_UI, 'index.html'))) return;
  out.info('building the Glint UI once (npm run build, about half a minute) …');
  const r = spawnSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['electron-vite', 'build'], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status !== 0 || !existsSync(join(BUILT_UI, 'index.html')))
    throw new GlintError(
      'ui-missing',
      `The Glint UI could not be built (${(r.stderr ?? '').trim().split('\n').pop() ?? `exit ${r.status}`}). Run \`npm run build\` to see why.`,
    );
}

/** Registers `glint serve`: the app's UI and API over HTTP on this machine, for a browser. */
export function registerServeCommand(program: Command, run: Run): void {
  program
    .command('serve')
    .description('serve the Glint app to a browser on this machine (127.0.0.1, with a per-launch token)')
    .option('--port <n>', `TCP port (0 picks a free one)`, String(DEFAULT_PORT))
    .option('--host <address>', 'loopback address to bind', '127.0.0.1')
    .option('--ui <dir>', 'folder of the built UI (default: out/renderer, built on first use)')
    .action(
      run(async ({ out, opts, local }) => {
        const port = Number(local['port']);
        if (!Number.isInteger(port) || port < 0 || port > 65_535)
          throw new GlintError(
            'usage',
            `--port must be a whole number from 0 to 65535, not ${String(local['port'])}.`,
          );
        if (typeof local['ui'] !== 'string') ensureBuiltUi(out);
        const engine = await Engine.open(engineOptions(opts));
        const host = createApiHost(engine, {
          shell: 'browser',
          watch: true,
          modelsPuller: defaultSetPuller(),
        });
        let server;
        try {
          server = await startHttpServer({
            host,
            rendererDir: typeof local['ui'] === 'string' ? resolve(local['ui']) : BUILT_UI,
            port,
            hostname: String(local['host']),
          });
        } catch (err) {
          await host.close();
          await engine.close();
          if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
            throw new GlintError(
              'usage',
              `Port ${port} is in use: pick another with --port (0 picks a free one).`,
            );
          throw err;
        }
        if (engine.standin)
          out.warn(
            `using stand-in models with random weights (${engine.modelId}): results are not meaningful`,
          );
        // Catch up with what changed in the library's folders while Glint was not running.
        host.reindexAll();
        out.result(
          { ok: true, url: server.url, port: server.port, address: server.address },
          () => `Glint is running at ${server.url}`,
        );
        out.info('Open that address in a browser on this machine. Press Ctrl+C to stop.');
        await new Promise<void>((done) => {
          process.once('SIGINT', done);
          process.once('SIGTERM', done);
        });
        out.info('stopping…');
        await server.close();
        await host.close();
        await engine.close();
        return EXIT.ok;
      }),
    );
}
