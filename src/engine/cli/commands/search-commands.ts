import type { Command } from 'commander';
import { parseQueryText } from '../../../contract/query-text.ts';
import type { Engine, QueryTerm, SearchHits, SearchOrder } from '../../engine.ts';
import { GlintError } from '../../errors.ts';
import type { SearchResult } from '../../search/results.ts';
import { positiveOption, withEngine } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Run } from './library-commands.ts';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * A term as typed: `WEIGHT:TERM` weighs it (e.g. `2:beach`, `0.5:photo.jpg`); anything else is weight 1.
 * A leading number and colon only counts as a weight when what follows is not empty.
 */
export function weighted(raw: string): { weight: number; value: string } {
  const m = /^(\d+(?:\.\d+)?):(.+)$/s.exec(raw);
  return m ? { weight: Number(m[1]), value: m[2] as string } : { weight: 1, value: raw };
}

/** The query terms of `glint search`: the phrase (with its -avoided words), `--like` images and `--not` phrases. */
export function searchTerms(
  phrase: string | undefined,
  like: readonly string[],
  not: readonly string[],
): QueryTerm[] {
  const terms: QueryTerm[] = [];
  if (phrase !== undefined && phrase.trim()) {
    const { weight, value } = weighted(phrase);
    // The same syntax as the app's search box: -word or -"some words" is something to avoid.
    const { phrase: words, avoid } = parseQueryText(value);
    if (words) terms.push({ text: words, weight });
    for (const away of avoid) terms.push({ text: away, weight: -1 });
  }
  for (const raw of like) {
    const { weight, value } = weighted(raw);
    terms.push({ image: value, weight });
  }
  for (const raw of not) {
    const { weight, value } = weighted(raw);
    terms.push({ text: value, weight: -weight });
  }
  if (!terms.length)
    throw new GlintError('usage', 'Nothing to search for: give a phrase, `--like IMAGE` or both.');
  return terms;
}

/** `--radius R` / `--all` as the engine's reach (default: the head's calibrated matches). */
export function reachOf(radius: string | undefined, all: boolean): 'matches' | 'all' | number {
  if (all) return 'all';
  if (radius === undefined) return 'matches';
  const r = Number(radius);
  if (!Number.isInteger(r) || r < 0 || r > 128)
    throw new GlintError('usage', `--radius must be a whole number of bits from 0 to 128 (got ${radius}).`);
  return r;
}

/** `--order` as the engine's photo order. */
export function orderOf(raw: string): SearchOrder {
  if (raw === 'relevance' || raw === 'newest' || raw === 'oldest') return raw;
  throw new GlintError('usage', `--order is relevance, newest or oldest (got ${raw}).`);
}

function formatResults(results: readonly SearchResult[]): string {
  if (results.length === 0) return '  (no results: index a folder first with `glint index FOLDER`)';
  return results
    .map((r) => {
      const where = r.range ? `${r.path} [chars ${r.range[0]}–${r.range[1]}]` : r.path;
      const text = r.text ? `\n      “${r.text.length > 100 ? `${r.text.slice(0, 99)}…` : r.text}”` : '';
      return `${String(r.rank).padStart(3)}. d=${String(r.distance).padStart(3)}  ${where}${r.literal ? '  [exact match]' : ''}${text}`;
    })
    .join('\n');
}

/** The line above a kind's results: how many matched within the radius, or that none did. */
function matchLine(
  found: SearchHits,
  kind: 'photos' | 'notes',
  shown: number,
  reach: string | number,
): string {
  const r = found.radius[kind];
  if (found.nearestOnly[kind]) return `no close matches (distance ≤ ${r}); showing the nearest ${shown}`;
  // In date order the photos are the first `shown` of every match, newest or oldest first.
  const total = kind === 'photos' ? found.total : undefined;
  if (total !== undefined)
    return reach === 'all'
      ? `${shown} of all ${total} photos by date`
      : `${shown} of ${total} close match${total === 1 ? '' : 'es'} (distance ≤ ${r}) by date`;
  if (reach === 'all') return `the nearest ${shown}`;
  return `${shown} close match${shown === 1 ? '' : 'es'} (distance ≤ ${r})`;
}

function describe(engine: Engine, found: SearchHits, kind: 'photos' | 'notes') {
  return engine.search.describe(found[kind]);
}

/** Registers search (phrases, images, negative terms and weights) and similar. */
export function registerSearchCommands(program: Command, run: Run): void {
  program
    .command('search')
    .description('find photos for a phrase, images or both (notes and captions with --notes)')
    .argument('[phrase]', 'what to look for, e.g. "a dog on the beach" (WEIGHT:phrase weighs it)')
    .option('--like <image>', 'also like this image (repeatable; WEIGHT:path weighs it)', collect, [])
    .option('--not <phrase>', 'unlike this phrase (repeatable)', collect, [])
    .option('--notes', 'show notes and captions instead of photos')
    .option('-k, --limit <n>', 'at most this many results', '20')
    .option('--radius <bits>', 'matches within this Hamming distance (default: the head’s calibrated radius)')
    .option('--all', 'the nearest results whatever their distance')
    .option(
      '--order <order>',
      'relevance (default), newest or oldest (by capture date: the first -k of every match)',
      'relevance',
    )
    .action(
      run(async ({ out, opts, args, local }) => {
        const order = orderOf(local.order as string);
        const terms = searchTerms(args[0], (local.like as string[]) ?? [], (local.not as string[]) ?? []);
        const k = positiveOption(local.limit, '--limit');
        const reach = reachOf(local.radius as string | undefined, local.all === true);
        const kind = local.notes ? 'notes' : 'photos';
        return withEngine(opts, out, async (engine, done) => {
          const found = await engine.search.query({ terms, photos: k, notes: k, reach, order });
          const results = describe(engine, found, kind);
          done();
          out.result(
            {
              ok: true,
              query: terms,
              target: kind,
              head: engine.status(0).head.id,
              radius: found.radius[kind],
              nearestOnly: found.nearestOnly[kind],
              ...(kind === 'photos' && found.total !== undefined ? { total: found.total } : {}),
              results,
            },
            () => `${matchLine(found, kind, results.length, reach)}\n${formatResults(results)}`,
          );
          return EXIT.ok;
        });
      }),
    );

  program
    .command('similar')
    .description('notes and captions that belong with an image, and similar photos')
    .argument('<image>', 'an image file (in the library or not)')
    .option('-k, --limit <n>', 'at most this many results of each kind', '10')
    .option('--radius <bits>', 'matches within this Hamming distance (default: the head’s calibrated radius)')
    .option('--all', 'the nearest results whatever their distance')
    .action(
      run(async ({ out, opts, args, local }) => {
        const image = args[0] ?? '';
        const k = positiveOption(local.limit, '--limit');
        const reach = reachOf(local.radius as string | undefined, local.all === true);
        return withEngine(opts, out, async (engine, done) => {
          const found = await engine.search.query({ terms: [{ image }], photos: k, notes: k, reach });
          const results = {
            notes: describe(engine, found, 'notes'),
            photos: describe(engine, found, 'photos'),
          };
          done();
          out.result(
            { ok: true, query: image, radius: found.radius, nearestOnly: found.nearestOnly, ...results },
            () =>
              `notes and captions: ${matchLine(found, 'notes', results.notes.length, reach)}\n${formatResults(results.notes)}\n` +
              `similar photos: ${matchLine(found, 'photos', results.photos.length, reach)}\n${formatResults(results.photos)}`,
          );
          return EXIT.ok;
        });
      }),
    );
}
