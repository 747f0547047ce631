/**
 * `glint suggest`: tags Glint suggests for untagged photos from your own tags (the same engine service as the
 * app's Suggestions view), accepting or rejecting them by id, and how often suggestions are right.
 */
import type { Command } from 'commander';
import { GlintError } from '../../errors.ts';
import { positiveOption, withEngine } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Run } from './library-commands.ts';

/** Suggestion ids from `--accept 3,4 5`: whole numbers, or a usage error naming the bad one. */
function idsOf(values: string[] | undefined, flag: string): number[] {
  const ids = (values ?? []).flatMap((v) => v.split(',')).filter((v) => v.trim() !== '');
  return ids.map((v) => {
    const id = Number(v);
    if (!Number.isInteger(id) || id < 1)
      throw new GlintError(
        'usage',
        `${flag} takes suggestion ids as listed by \`glint suggest\` (got "${v}").`,
      );
    return id;
  });
}

/** Registers suggest. */
export function registerSuggestCommand(program: Command, run: Run): void {
  program
    .command('suggest')
    .description(
      'tags suggested for untagged photos from the tags you gave others; accept or reject them by id',
    )
    .option('-k, --limit <n>', 'how many suggestions to list', '50')
    .option('--accept <ids...>', 'accept suggestions: each photo gets the tag as your own tag')
    .option('--reject <ids...>', 'reject suggestions: never suggested again, and used when you retrain')
    .option('--accept-tag <tag>', 'accept one tag on every photo it is suggested for')
    .option('--evaluate', 'only say how often suggestions are right on the photos you already tagged')
    .action(
      run(async ({ out, opts, local }) => {
        const limit = positiveOption(local.limit, '--limit');
        const accept = idsOf(local.accept as string[] | undefined, '--accept');
        const reject = idsOf(local.reject as string[] | undefined, '--reject');
        const both = accept.filter((id) => reject.includes(id));
        if (both.length)
          throw new GlintError('usage', `Suggestion ${both[0]} is both accepted and rejected: choose one.`);
        return withEngine(opts, out, async (engine, done) => {
          const s = engine.suggestions;
          done();
          if (local.evaluate) {
            const quality = s.quality();
            out.result({ ok: true, quality }, () =>
              [
                quality.sentence,
                `held out ${quality.heldOut} tagged photos one at a time; threshold ${quality.threshold.toFixed(2)}; ` +
                  `precision ${(quality.heldOutPrecision * 100).toFixed(1)} %, recall ${(quality.heldOutRecall * 100).toFixed(1)} %`,
              ].join('\n'),
            );
            return EXIT.ok;
          }
          const decided = accept.length + reject.length + (local.acceptTag ? 1 : 0) > 0;
          if (decided) {
            const accepted = accept.length ? s.accept(accept) : 0;
            const rejected = reject.length ? s.reject(reject) : 0;
            const tagged =
              typeof local.acceptTag === 'string' ? s.acceptTag(local.acceptTag) : ([] as number[]);
            const missed = accept.length + reject.length - accepted - rejected;
            if (missed > 0)
              out.warn(
                `${missed} of the ids named were not pending suggestions (already decided, or no such id): see \`glint suggest\`.`,
              );
            const since = s.sinceLastTraining();
            out.result(
              { ok: true, accepted: accepted + tagged.length, rejected, sinceLastTraining: since },
              () =>
                [
                  `accepted ${accepted + tagged.length}, rejected ${rejected}`,
                  ...(since.enough
                    ? [
                        `${since.tags} new tags and ${since.rejected} rejections since the last training: \`glint train\` will use them`,
                      ]
                    : []),
                ].join('\n'),
            );
            return EXIT.ok;
          }
          const queue = s.list(limit);
          const rows = queue.suggestions.map((v) => ({
            ...v,
            path: engine.search.item(v.itemId)?.path ?? '',
          }));
          const total = queue.tags.reduce((a, t) => a + t.count, 0);
          out.result({ ok: true, ...queue, suggestions: rows, total }, () =>
            [
              ...rows.map(
                (r) =>
                  `${String(r.id).padStart(6)}  ${r.confidence.padEnd(11)} ${r.score.toFixed(2)}  ${r.tag.padEnd(16)} ${r.path}`,
              ),
              rows.length
                ? `${total} suggestions (${queue.tags.map((t) => `${t.tag} ${t.count}`).join(', ')}); accept with \`glint suggest --accept ID\`, reject with --reject ID`
                : 'No suggestions right now: tag some photos, and untagged ones like them will get suggestions.',
              queue.quality.sentence,
            ].join('\n'),
          );
          return EXIT.ok;
        });
      }),
    );
}
