/**
 * The library database: opening, pragmas, migrations and error translation. This is the ONLY module that imports better-sqlite3; the query modules beside it take
 * a `Store` and use its `db` handle.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { GlintError, errorMessage } from '../errors.ts';
import { MIGRATIONS } from './migrations.ts';

/** The better-sqlite3 connection type, re-exported so no other module needs to import the package. */
export type SqliteDatabase = Database.Database;

/** A prepared statement, as returned by `Store.stmt`. */
export type SqliteStatement = Database.Statement<unknown[], unknown>;

/** Options for `openStore`. */
export interface StoreOptions {
  /** How long a write waits for another connection's lock before failing with `db-locked` (ms). */
  busyTimeoutMs?: number;
  /** The clock used for timestamps written by the query modules (ms since the epoch). */
  now?: () => number;
  /** Open without writing (no migrations); fails with `db-outdated` when the schema is older. */
  readonly?: boolean;
}

/** The schema version this Glint writes; `PRAGMA user_version` of an up-to-date library. */
export const SCHEMA_VERSION = MIGRATIONS.length;

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/** An open library database plus its clock and a cache of prepared statements. */
export class Store {
  /** The raw connection (only the store's query modules should use it). */
  readonly db: SqliteDatabase;
  /** Absolute path of the database file. */
  readonly file: string;
  /** Clock for timestamps (injected; `Date.now` by default). */
  readonly now: () => number;
  readonly #statements = new Map<string, SqliteStatement>();

  constructor(db: SqliteDatabase, file: string, now: () => number) {
    this.db = db;
    this.file = file;
    this.now = now;
  }

  /** A cached prepared statement for `sql` (prepared once per connection). */
  stmt(sql: string): SqliteStatement {
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.#prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  /** Like `stmt`, but integer columns come back as `bigint` (for the 64-bit code columns). */
  stmtBig(sql: string): SqliteStatement {
    const key = `big:${sql}`;
    let s = this.#statements.get(key);
    if (!s) {
      s = this.#prepare(sql).safeIntegers(true);
      this.#statements.set(key, s);
    }
    return s;
  }

  /**
   * Runs `fn` in an IMMEDIATE transaction (the write lock is taken up front, so a busy library
   * fails at the start with `db-locked` instead of midway); nested calls become savepoints.
   */
  tx<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (err) {
      throw translateSqliteError(err, this.file);
    }
  }

  /** Runs one statement outside `tx`, translating lock/corruption errors into GlintErrors. */
  guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw translateSqliteError(err, this.file);
    }
  }

  /** Closes the connection (idempotent). */
  close(): void {
    this.#statements.clear();
    if (this.db.open) this.db.close();
  }

  #prepare(sql: string): SqliteStatement {
    try {
      return this.db.prepare(sql) as SqliteStatement;
    } catch (err) {
      throw translateSqliteError(err, this.file);
    }
  }
}

/**
 * Opens (creating if needed) the library at `file`: WAL, foreign keys, `synchronous=NORMAL`, a busy
 * timeout and migrations up to `SCHEMA_VERSION`. Throws GlintError
 * `db-corrupt`, `db-locked`, `db-newer` or `db-open` with a message that says what to do.
 */
export function openStore(file: string, opts: StoreOptions = {}): Store {
  const path = file === ':memory:' ? file : resolve(file);
  const readonly = opts.readonly ?? false;
  let db: SqliteDatabase;
  if (path !== ':memory:' && !readonly) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      throw new GlintError(
        'db-open',
        `Could not create the folder for the library ${path} (${errorMessage(err)}); check the path and its permissions.`,
        { cause: err },
      );
    }
  }
  try {
    db = new Database(path, {
      timeout: opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
      readonly,
      fileMustExist: readonly,
    });
  } catch (err) {
    // NOTE: better-sqlite3 refuses a missing folder itself, with a TypeError rather than SQLITE_CANTOPEN.
    if (err instanceof TypeError && /directory does not exist/.test(err.message)) {
      throw new GlintError(
        'db-open',
        `Could not open the library ${path}: its folder ${dirname(path)} does not exist.`,
        { cause: err },
      );
    }
    throw translateSqliteError(err, path);
  }
  try {
    if (!readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    migrate(db, path, readonly);
  } catch (err) {
    db.close();
    throw err instanceof GlintError ? err : translateSqliteError(err, path);
  }
  return new Store(db, path, opts.now ?? Date.now);
}

/** Reads the schema version of an open connection. */
function userVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: SqliteDatabase, file: string, readonly: boolean): void {
  const found = userVersion(db);
  if (found > SCHEMA_VERSION) {
    throw new GlintError(
      'db-newer',
      `The library ${file} was written by a newer version of Glint (schema v${found}; this Glint ` +
        `knows up to v${SCHEMA_VERSION}). Update Glint to open it; nothing was changed.`,
    );
  }
  if (found === SCHEMA_VERSION) return;
  if (readonly) {
    throw new GlintError(
      'db-outdated',
      `The library ${file} has schema v${found} and needs upgrading to v${SCHEMA_VERSION}; open it once without read-only mode.`,
    );
  }
  for (let v = found; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      // NOTE: re-read inside the write lock: another process may have migrated meanwhile.
      if (userVersion(db) !== v) return;
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

const CORRUPT_CODES = new Set([
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT',
  'SQLITE_CORRUPT_VTAB',
  'SQLITE_CORRUPT_SEQUENCE',
  'SQLITE_CORRUPT_INDEX',
]);

/**
 * Turns a SqliteError whose cause the user can act on (corrupt file, locked by another process,
 * disk full, cannot open) into a GlintError that names the file; anything else is returned as is.
 */
export function translateSqliteError(err: unknown, file: string): unknown {
  if (err instanceof GlintError) return err;
  const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  if (!code || !code.startsWith('SQLITE_')) return err;
  const opts = { cause: err };
  if (CORRUPT_CODES.has(code)) {
    return new GlintError(
      'db-corrupt',
      `The library ${file} is damaged or is not a Glint library (${code}). Nothing was deleted. ` +
        `To recover, quit Glint, move the file (and any ${file}-wal / ${file}-shm beside it) aside, ` +
        `then start Glint again and re-index your folders.`,
      opts,
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new GlintError(
      'db-locked',
      `Another Glint process is using the library ${file}; close it (or wait for it to finish) and try again.`,
      opts,
    );
  }
  if (code === 'SQLITE_FULL') {
    return new GlintError(
      'disk-full',
      `The disk holding ${file} is full; free some space and try again.`,
      opts,
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new GlintError(
      'db-open',
      `Could not open the library ${file}: check that its folder exists and is writable.`,
      opts,
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new GlintError(
      'db-readonly',
      `The library ${file} is read-only here; check its permissions.`,
      opts,
    );
  }
  return err;
}

/** The library folder a store belongs to: the folder of its database file (the working folder for `:memory:`). */
export function libraryRootOf(store: Store): string {
  return store.file === ':memory:' ? process.cwd() : dirname(store.file);
}

/** Runs SQLite's quick integrity check; returns the problems found (empty when healthy). */
export function checkIntegrity(store: Store): string[] {
  const rows = store.guard(() => store.db.pragma('quick_check') as Array<{ quick_check: string }>);
  return rows.map((r) => r.quick_check).filter((m) => m !== 'ok');
}
