/**
 * `glint folders`, `glint folder remove|restore` and `glint doctor`: the library's folders with their
 * state, removing one (undoable for a day) and bringing it back, and checking and repairing the library.
 */
import type { Command } from 'commander';
import { withEngine } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Run } from './library-commands.ts';

const STATE_WORDS = { ok: 'ok', offline: 'OFFLINE', unreadable: 'UNREADABLE' } as const;

/** Registers folders, folder remove|restore and doctor. */
export function registerFolderCommands(program: Command, run: Run): void {
  program
    .command('folders')
    .description('the library folders, each with its state (ok, offline, unreadable) and why')
    .action(
      run(async ({ out, opts }) =>
        withEngine(opts, out, async (engine) => {
          const counts = engine.folders.fileCounts();
          const folders = engine.folders.list().map((f) => ({ ...f, files: counts.get(f.id) ?? 0 }));
          out.result({ ok: true, folders }, () =>
            folders.length === 0
              ? '(no folders: run `glint index FOLDER`)'
              : folders
                  .map(
                    (f) =>
                      `${STATE_WORDS[f.state].padEnd(10)} ${f.path}  (${f.files} files)` +
                      (f.stateReason
                        ? `\n           ${f.stateReason}${f.stateSince ? ` Since ${new Date(f.stateSince).toLocaleString()}.` : ''}`
                        : ''),
                  )
                  .join('\n'),
          );
          return EXIT.ok;
        }),
      ),
    );

  const folder = program.command('folder').description('remove a folder from the library, or restore it');
  folder
    .command('remove')
    .description(
      'remove a folder from the library (its files stay on disk); undo with `glint folder restore`',
    )
    .argument('<path>', 'a library folder')
    .action(
      run(async ({ out, opts, args }) =>
        withEngine(opts, out, async (engine) => {
          const removed = await engine.folders.remove(args[0] ?? '');
          out.result(
            { ok: true, ...removed },
            () =>
              `removed ${args[0]}: ${removed.photos} photos, ${removed.notes} notes and ${removed.userTags} of your tags left the library.\n` +
              `Your tags are kept for when these photos come back. Undo until ${new Date(removed.undoUntil).toLocaleString()} with \`glint folder restore ${args[0]}\`.`,
          );
          return EXIT.ok;
        }),
      ),
    );
  folder
    .command('restore')
    .description('bring back a folder removed in the last day, with its photos and tags')
    .argument('<path>', 'the removed folder')
    .action(
      run(async ({ out, opts, args }) =>
        withEngine(opts, out, async (engine) => {
          const restored = await engine.folders.restoreAt(args[0] ?? '');
          out.result({ ok: true, folder: restored }, () => `restored ${restored.path}`);
          return EXIT.ok;
        }),
      ),
    );

  program
    .command('doctor')
    .description('check the library (database integrity, heads, codes, embeddings) and repair what can be')
    .option('--dry-run', 'only check; change nothing')
    .action(
      run(async ({ out, opts, local }) =>
        withEngine(opts, out, async (engine) => {
          const report = await engine.doctor(!local['dryRun']);
          const mark = { ok: 'ok      ', repaired: 'REPAIRED', problem: 'PROBLEM ' } as const;
          out.result(
            report,
            () =>
              report.checks.map((c) => `${mark[c.status]}  ${c.name}: ${c.detail}`).join('\n') +
              (report.ok ? '\nthe library is healthy' : '\nsome problems remain: see above'),
          );
          return report.ok ? EXIT.ok : EXIT.library;
        }),
      ),
    );
}
