/** The library store: open it with `openStore`, then use the typed query functions (each takes the Store). */
export {
  openStore,
  Store,
  SCHEMA_VERSION,
  checkIntegrity,
  libraryRootOf,
  translateSqliteError,
} from './db.ts';
export type { StoreOptions } from './db.ts';
export * from './folders.ts';
export * from './files.ts';
export * from './items.ts';
export * from './embeddings.ts';
export * from './codes.ts';
export * from './heads.ts';
export * from './tags.ts';
export * from './places.ts';
export * from './kept-tags.ts';
export * from './errors.ts';
export * from './jobs.ts';
export * from './settings.ts';
export * from './status.ts';
export * from './sidecars.ts';
export * from './tag-suggestions.ts';
