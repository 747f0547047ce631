import type { Command } from 'commander';
import { engineOptions, openEngine, withEngine, type GlobalOptions, type Output } from '../context.ts';
import type { EngineStatus } from '../../engine.ts';
import { GlintError } from '../../errors.ts';
import { readLibraryStatus } from '../../library-status.ts';
import { EXIT } from '../exit-codes.ts';
import { registerTagChangeCommands } from './tag-commands.ts';

/** What a command's action gets: output, global options, positional args and its own options. */
export interface CommandContext {
  out: Output;
  opts: GlobalOptions;
  args: string[];
  local: Record<string, string | boolean | string[] | undefined>;
}

/** Wraps an action: builds its context from commander and turns failures into exit codes. */
export type Run = (action: (ctx: CommandContext) => Promise<number>) => (...args: unknown[]) => Promise<void>;

/** Registers index, watch, status and tag. */
export function registerLibraryCommands(program: Command, run: Run): void {
  program
    .command('index')
    .description(
      'index folders once (adds them to the library); with no folder, re-index every library folder',
    )
    .argument(
      '[folders...]',
      'folders of photos (jpg, png, webp, gif, tiff, avif, heic) and notes (.md, .txt)',
    )
    .action(
      run(async ({ out, opts, args }) => {
        const folders = args;
        return withEngine(opts, out, async (engine, done) => {
          const summary = await engine.ingest.index(folders);
          done();
          const status = engine.status(0);
          out.result(
            {
              ok: true,
              ...summary,
              photos: status.photos,
              noteChunks: status.noteChunks,
              captions: status.captions,
              errors: status.errors,
            },
            () =>
              [
                `indexed: ${summary.processed - summary.failed} processed, ${summary.failed} failed, ${summary.seen} files seen, ${summary.removed} removed`,
                ...summary.unavailable.map(
                  (f) => `${f.state === 'offline' ? 'OFFLINE' : 'UNREADABLE'}: ${f.stateReason ?? f.path}`,
                ),
                summary.kept
                  ? `kept ${summary.kept} files Glint could not see this time (nothing was removed)`
                  : '',
                `library: ${status.photos} photos, ${status.noteChunks} note chunks, ${status.captions} captions, ${status.errors} recorded errors`,
                status.errors ? 'see `glint status` for the errors' : '',
              ]
                .filter(Boolean)
                .join('\n'),
          );
          return EXIT.ok;
        });
      }),
    );

  program
    .command('watch')
    .description('index every library folder, then keep indexing changes until interrupted (Ctrl+C)')
    .action(
      run(async ({ out, opts }) => {
        const { engine, done } = await openEngine(opts, out);
        const stop = new AbortController();
        const watcher = await engine.ingest.watch(stop.signal);
        out.info(`watching ${engine.folders.list().length} folder(s); press Ctrl+C to stop`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        stop.abort();
        await watcher.close();
        done();
        await engine.close();
        return EXIT.ok;
      }),
    );

  program
    .command('status')
    .description('counts, queue, models, active hash head and recorded errors')
    .option('--errors <n>', 'how many recorded errors to list', '50')
    .action(
      run(async ({ out, opts, local }) => {
        const limit = Number(local.errors);
        let s: StatusReport;
        try {
          s = await withEngine(opts, out, async (engine) => engine.status(limit));
        } catch (err) {
          // Reading the library needs no models: without them, say so and report the library anyway.
          if (!(err instanceof GlintError) || !err.code.startsWith('models-')) throw err;
          out.warn(err.message);
          s = { ...readLibraryStatus(engineOptions(opts).libraryDir, limit), models: null };
        }
        out.result({ ok: true, ...s }, () => statusLines(s).join('\n'));
        return EXIT.ok;
      }),
    );

  const tag = program
    .command('tag')
    .description('add or remove your own tags on indexed photos; rename, merge or delete them, with undo');
  for (const verb of ['add', 'remove'] as const) {
    tag
      .command(verb)
      .description(`${verb} a user tag ${verb === 'add' ? 'to' : 'from'} a photo`)
      .argument('<path>', 'an indexed photo')
      .argument('<tag>', 'the tag, e.g. "Max"')
      .action(
        run(async ({ out, opts, args }) => {
          const [path = '', name = ''] = args;
          return withEngine(opts, out, async (engine) => {
            const id = engine.search.photoIdAt(path);
            const changed = verb === 'add' ? engine.tags.add([id], name) : engine.tags.remove([id], name);
            if (verb === 'remove' && changed === 0)
              throw new GlintError('not-found', `${path} has no user tag "${name}".`);
            const tags = engine.search.item(id)?.tags ?? [];
            out.result(
              { ok: true, path, tags },
              () => `${path}: ${tags.map((t) => `${t.name} (${t.source})`).join(', ') || '(no tags)'}`,
            );
            return EXIT.ok;
          });
        }),
      );
  }
  registerTagChangeCommands(tag, run);
}

/** What `glint status` reports: the engine's status, or the library's alone when no models are installed. */
type StatusReport =
  | EngineStatus
  | (ReturnType<typeof readLibraryStatus> & { models: null; modelId?: undefined; standin?: undefined });

/** `glint status` as lines of text. */
function statusLines(s: StatusReport): string[] {
  return [
    `library   ${s.library}`,
    s.models === null
      ? 'models    none installed (run `glint models pull`)'
      : `models    ${s.models} (${s.modelId}${s.standin ? ', stand-in with random weights' : ''})`,
    s.head ? `head      ${s.head.id} (${s.head.kind}, ${s.head.bits} bits)` : 'head      (none yet)',
    `folders   ${s.folderList.map((f) => (f.state === 'ok' ? f.path : `${f.path} (${f.state})`)).join(', ') || '(none: run `glint index FOLDER`)'}`,
    `items     ${s.photos} photos, ${s.noteChunks} note chunks, ${s.captions} captions in ${s.files} files`,
    `queue     ${s.queuedJobs} queued, ${s.runningJobs} running, ${s.failedJobs} failed`,
    `errors    ${s.errors}`,
    ...(s.keptTags.tags
      ? [
          `kept      ${s.keptTags.tags} of your tags from ${s.keptTags.photos} photos no longer in the library, kept ${s.keptTags.days} days in case they come back`,
        ]
      : []),
    ...s.folderList.filter((f) => f.stateReason).map((f) => `  [${f.state}] ${f.stateReason}`),
    ...s.recentErrors.map((e) => `  [${e.stage}] ${e.path}: ${e.message}`),
  ];
}
