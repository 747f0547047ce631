import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageQuery } from '../../../contract/api.ts';
import { DEFAULT_LIMIT, DEFAULT_NOTE_LIMIT } from '../../../contract/limits.ts';
import { parseQueryText } from '../../../contract/query-text.ts';
import { GlintError } from '../../errors.ts';
import type { QueryTerm } from '../../search/query.ts';
import { imageExtension } from '../media-types.ts';
import { itemDetailView, resultView } from '../views.ts';
import type { HandlerSet, HandlerTable } from './handler-table.ts';
import { itemFilePath, type HostContext } from './host-context.ts';

/** The search handlers: one search for photos and notes, an item's details, and opening its file. */
export function searchHandlers({
  engine,
  shell,
}: HostContext): HandlerSet<'search' | 'item' | 'reveal' | 'openExternal'> {
  return {
    search: async ({ text, images, limit, noteLimit, filters, radius, order, offset }) => {
      const started = performance.now();
      // Dropped bytes go to a private temp folder only for as long as the search takes.
      const dropped = images?.some((q) => 'bytes' in q)
        ? await mkdtemp(join(shell.tempDir ?? tmpdir(), 'glint-drop-'))
        : undefined;
      try {
        const { phrase, avoid } = parseQueryText(text ?? '');
        const terms: QueryTerm[] = phrase ? [{ text: phrase }] : [];
        for (const [i, query] of (images ?? []).entries())
          terms.push({ image: await imageFile(query, i, dropped), weight: query.weight ?? 1 });
        for (const words of avoid) terms.push({ text: words, weight: -1 });
        const found = await engine.search.query({
          terms,
          photos: limit ?? DEFAULT_LIMIT,
          notes: noteLimit ?? DEFAULT_NOTE_LIMIT,
          reach: radius ?? 'matches',
          ...(order ? { order } : {}),
          ...(offset ? { offset } : {}),
          ...(filters ? { filters } : {}),
        });
        return {
          photos: found.photos.map(resultView),
          notes: found.notes.map(resultView),
          radius: found.radius,
          nearestOnly: found.nearestOnly,
          bits: engine.heads.active.bits,
          undated: found.undated,
          ...(found.total === undefined ? {} : { total: found.total }),
          ...(found.months ? { months: found.months } : {}),
          tookMs: Math.round(performance.now() - started),
        };
      } finally {
        if (dropped) await rm(dropped, { recursive: true, force: true });
      }
    },
    item: ({ id }) => {
      const detail = engine.search.item(id);
      if (!detail)
        throw new GlintError('not-found', `There is no item ${id}: search again to refresh the results.`);
      return itemDetailView(detail);
    },
    reveal: async ({ id }) => {
      if (!shell.revealer)
        throw new GlintError('not-available', 'Reveal in folder works in the desktop app only.');
      await shell.revealer(itemFilePath(engine, id));
      return null;
    },
    openExternal: async ({ id }) => {
      if (!shell.opener)
        throw new GlintError('not-available', 'Opening files works in the desktop app only.');
      await shell.opener(itemFilePath(engine, id));
      return null;
    },
  };

  /** The file an image query names: an indexed photo's own file, or the dropped bytes written to `dir`. */
  async function imageFile(query: ImageQuery, i: number, dir: string | undefined): Promise<string> {
    if ('itemId' in query) return itemFilePath(engine, query.itemId);
    const file = join(dir ?? tmpdir(), `query-${i}${imageExtension(query.name)}`);
    await writeFile(file, query.bytes, { mode: 0o600 });
    return file;
  }
}

/** Registers the search handlers. */
export function registerSearch(table: HandlerTable, ctx: HostContext): void {
  table.register(searchHandlers(ctx));
}
