/**
 * What a library holds, read from its database alone: counts, folders with their state, the active head,
 * kept tags and the latest errors. The engine's status adds the models to it; `glint status` falls back
 * to it when no CLIP models are installed, because reading the library needs none.
 */
import { GlintError } from './errors.ts';
import type { ActiveHead } from './hash/active-head.ts';
import { libraryPaths } from './library-paths.ts';
import {
  DEFAULT_KEEP_TAGS_DAYS,
  getJsonSetting,
  keptTagCounts,
  listErrors,
  listFolders,
  listHeads,
  openStore,
  statusCounts,
  type ErrorRecord,
  type Folder,
  type StatusCounts,
  type Store,
} from './store/index.ts';

/** The library part of a status report. */
export interface LibraryStatus extends StatusCounts {
  /** User tags kept for photos that left the library, and for how many days they are kept. */
  keptTags: { tags: number; photos: number; days: number };
  folderList: Folder[];
  recentErrors: ErrorRecord[];
}

/** Reads the library part of a status report from an open store. */
export function libraryStatus(store: Store, errorLimit: number): LibraryStatus {
  const kept = keptTagCounts(store);
  return {
    ...statusCounts(store),
    keptTags: {
      tags: kept.tags,
      photos: kept.photos,
      days: getJsonSetting(store, 'keepTagsDays', DEFAULT_KEEP_TAGS_DAYS),
    },
    folderList: listFolders(store),
    recentErrors: listErrors(store, { limit: errorLimit }),
  };
}

/**
 * The status of the library at `dir` without loading any model (read-only; a library that does not exist
 * yet is `not-found`). `head` is the active head of whichever model the library was indexed with.
 */
export function readLibraryStatus(
  dir: string,
  errorLimit: number,
): LibraryStatus & { library: string; head: ActiveHead | null } {
  const paths = libraryPaths(dir);
  let store: Store;
  try {
    store = openStore(paths.db, { readonly: true });
  } catch (err) {
    if (err instanceof GlintError && err.code === 'db-open')
      throw new GlintError(
        'not-found',
        `There is no library at ${paths.root} yet: run \`glint index FOLDER\` to start one.`,
      );
    throw err;
  }
  try {
    const active = listHeads(store).find((h) => h.active);
    return {
      ...libraryStatus(store, errorLimit),
      library: paths.root,
      head: active ? { id: active.id, kind: active.kind, bits: active.bits, dir: active.dir } : null,
    };
  } finally {
    store.close();
  }
}
