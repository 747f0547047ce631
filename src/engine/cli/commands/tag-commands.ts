/**
 * `glint tag rename|merge|delete|undo|history`: changing the user's tags across the library, each change
 * undoable (the same TagsService the app and `glint serve` use).
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { GlintError } from '../../errors.ts';
import type { TagChange } from '../../store/tag-changes.ts';
import { withEngine, type Output } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Run } from './library-commands.ts';

/** Prints a change and how to undo it. */
function report(out: Output, change: TagChange & { merged?: boolean }): void {
  out.result(
    {
      ok: true,
      token: change.token,
      kind: change.kind,
      summary: change.summary,
      photos: change.items.length,
      metadataKept: change.metadataKept,
      ...(change.merged === undefined ? {} : { merged: change.merged }),
    },
    () =>
      [
        `${change.summary} (${change.items.length} photo${change.items.length === 1 ? '' : 's'} changed).`,
        change.metadataKept
          ? `${change.metadataKept} XMP/IPTC keyword${change.metadataKept === 1 ? '' : 's'} with the old name stay: they live in the files.`
          : '',
        change.summary.startsWith('Undid') ? '' : `Undo with: glint tag undo ${change.token}`,
      ]
        .filter(Boolean)
        .join('\n'),
  );
}

/** Asks a yes/no question on the terminal; refuses (in words) where there is no terminal to ask on. */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY)
    throw new GlintError('usage', `${question} Add --yes to do it without asking (nothing was changed).`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** Registers rename, merge, delete, undo and history under `glint tag`. */
export function registerTagChangeCommands(tag: Command, run: Run): void {
  tag
    .command('rename')
    .description('rename one of your tags and the tags below it (to a name in use: merge into it); undoable')
    .argument('<from>', 'the tag, e.g. "Places"')
    .argument('<to>', 'its new name, e.g. "Travel" ("Places/Lisbon" becomes "Travel/Lisbon")')
    .action(
      run(async ({ out, opts, args }) =>
        withEngine(opts, out, async (engine) => {
          report(out, engine.tags.rename(args[0] ?? '', args[1] ?? ''));
          return EXIT.ok;
        }),
      ),
    );

  tag
    .command('merge')
    .description('merge your tags into one (with the tags below them); undoable')
    .argument('<tags...>', 'the tags to merge')
    .requiredOption('--into <tag>', 'the tag they become')
    .action(
      run(async ({ out, opts, args, local }) =>
        withEngine(opts, out, async (engine) => {
          report(out, engine.tags.merge(args, String(local.into)));
          return EXIT.ok;
        }),
      ),
    );

  tag
    .command('delete')
    .description('delete one of your tags (and the tags below it) from every photo; asks first; undoable')
    .argument('<tag>', 'the tag')
    .option('--yes', 'do not ask')
    .action(
      run(async ({ out, opts, args, local }) =>
        withEngine(opts, out, async (engine) => {
          const name = args[0] ?? '';
          const usage = engine.tags.usage(name);
          if (usage.photos && !local.yes) {
            const below = usage.tags > 1 ? ` and ${usage.tags - 1} tag(s) below it` : '';
            const ok = await confirm(
              `Delete your tag “${name.trim()}”${below} from ${usage.photos} photo(s)?`,
            );
            if (!ok) {
              out.info('Nothing was deleted.');
              return EXIT.ok;
            }
          }
          report(out, engine.tags.delete(name));
          return EXIT.ok;
        }),
      ),
    );

  tag
    .command('undo')
    .description('undo a tag rename, merge or delete (the newest one, or the one numbered <token>)')
    .argument('[token]', 'the number `glint tag rename|merge|delete` printed, or from `glint tag history`')
    .action(
      run(async ({ out, opts, args }) => {
        const raw = args[0];
        const token = raw === undefined ? undefined : Number(raw);
        if (token !== undefined && !(Number.isInteger(token) && token > 0))
          throw new GlintError('usage', `“${raw}” is not a change number: see \`glint tag history\`.`);
        return withEngine(opts, out, async (engine) => {
          report(out, engine.tags.undo(token));
          return EXIT.ok;
        });
      }),
    );

  tag
    .command('history')
    .description('the tag changes that can still be undone, newest first')
    .action(
      run(async ({ out, opts }) =>
        withEngine(opts, out, async (engine) => {
          const changes = engine.tags.history();
          out.result(
            { ok: true, changes },
            () =>
              changes
                .map((c) => `${String(c.token).padStart(5)}  ${new Date(c.at).toISOString()}  ${c.summary}`)
                .join('\n') || 'no tag changes to undo',
          );
          return EXIT.ok;
        }),
      ),
    );
}
