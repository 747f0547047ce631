/**
 * One writer per library: a lock file in the library folder, taken by whichever process writes (the
 * app, `glint serve`, `glint index|watch|train|tag|heads`). It names its holder, so a second writer is
 * told who has the library; a holder that died (kill -9, a crash) is detected by its pid on this host
 * and its lock taken over at once, so a crash never leaves a library locked.
 */
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { GlintError } from './errors.ts';

/** Who holds a library's write lock. */
export interface LockHolder {
  pid: number;
  host: string;
  /** What the holder is, in words: "glint serve", "the Glint app", "glint index". */
  command: string;
  /** When it took the lock (ms epoch). */
  since: number;
}

/** The lock file of the library folder `root`. */
export function lockFilePath(root: string): string {
  return join(root, 'glint.lock');
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
    return {
      pid: value.pid,
      host: value.host,
      command: typeof value.command === 'string' ? value.command : 'another Glint process',
      since: typeof value.since === 'number' ? value.since : 0,
    };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a holder is certainly gone: a process of this host that no longer runs. */
function stale(holder: LockHolder | undefined): boolean {
  return holder !== undefined && holder.host === hostname() && !alive(holder.pid);
}

/** The error a second writer gets: who holds the library and what to do. */
export function libraryBusyError(root: string, holder: LockHolder | undefined): GlintError {
  const who = holder
    ? `${holder.command} (process ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`}, since ${new Date(holder.since).toLocaleString()})`
    : 'another Glint process';
  return new GlintError(
    'library-busy',
    `The library ${root} is being changed by ${who}. Only one Glint process can change a library at a time: ` +
      `close it or wait for it to finish, then try again. Searching and \`glint status\` work meanwhile.`,
  );
}

/** A held write lock; `release` gives it back (idempotent). */
export interface LibraryLock {
  readonly file: string;
  release(): void;
}

/**
 * Takes the write lock of the library folder `root` for `command`, or throws `library-busy` naming the
 * holder. Atomic: the lock is a hard link to a fully written file, so no reader ever sees half a holder.
 */
export function acquireLibraryLock(root: string, command: string): LibraryLock {
  const file = lockFilePath(root);
  const me: LockHolder = { pid: process.pid, host: hostname(), command, since: Date.now() };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(me));
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = readHolder(file);
      if (attempt > 0 || !stale(holder)) throw libraryBusyError(root, holder);
      // NOTE: the dead holder's file is moved aside, then checked: if another process took the lock
      // in between, its file is put back and it keeps the library.
      const aside = `${file}.stale.${process.pid}`;
      try {
        renameSync(file, aside);
      } catch {
        continue;
      }
      const moved = readHolder(aside);
      if (moved && holder && moved.pid === holder.pid && moved.since === holder.since) unlinkSync(aside);
      else {
        renameSync(aside, file);
        throw libraryBusyError(root, moved);
      }
    }
  } finally {
    unlinkSync(tmp);
  }
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    const holder = readHolder(file);
    if (holder?.pid === me.pid && holder.since === me.since) unlinkSync(file);
  };
  process.on('exit', release);
  return { file, release };
}

/** The current holder of a library's write lock, if a live one holds it. */
export function lockHolder(root: string): LockHolder | undefined {
  const holder = readHolder(lockFilePath(root));
  return holder && !stale(holder) ? holder : undefined;
}
