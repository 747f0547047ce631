/** `glint timeline`: the library's photos by date, without a query (the same engine path as the app's Timeline). */
import type { Command } from 'commander';
import { positiveOption, withEngine } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Run } from './library-commands.ts';

const pad = (n: number): string => String(n).padStart(2, '0');

/** A local date and time as "2019-07-14 15:30". */
function localStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Registers timeline. */
export function registerTimelineCommand(program: Command, run: Run): void {
  program
    .command('timeline')
    .description('photos by date (newest first), each with where its date came from')
    .option('-k, --limit <n>', 'how many photos', '50')
    .option('--oldest', 'oldest first')
    .action(
      run(async ({ out, opts, local }) => {
        const limit = positiveOption(local.limit, '--limit');
        return withEngine(opts, out, async (engine, done) => {
          const page = engine.timeline.page({
            filter: {},
            order: local.oldest ? 'oldest' : 'newest',
            offset: 0,
            limit,
          });
          done();
          const photos = page.items.map((i) => ({
            itemId: i.id,
            path: i.path,
            takenAt: i.takenAt,
            takenSource: i.takenSource,
          }));
          out.result(
            { ok: true, total: page.total, undated: page.undated, months: page.months, photos },
            () =>
              [
                ...photos.map(
                  (p) =>
                    `${p.takenAt === null ? '(no date)       ' : localStamp(p.takenAt)}  ${(p.takenSource ?? '').padEnd(8)}  ${p.path}`,
                ),
                `${page.total} dated photos in ${page.months.length} months` +
                  (page.undated ? `; ${page.undated} without a date` : ''),
              ].join('\n'),
          );
          return EXIT.ok;
        });
      }),
    );
}
