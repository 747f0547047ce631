/**
 * `glint doctor`: SQLite's integrity check and the library's own invariants, with the repairs that are
 * safe to make (re-hash from cached embeddings, reset a head whose files are gone, drop rows that point
 * at nothing, queue files without an embedding to be read again). What cannot be repaired is said with advice.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GlintError, errorMessage } from './errors.ts';
import { ensureActiveHead, rehashFromEmbeddings, type ActiveHead } from './hash/active-head.ts';
import { readHeadMeta } from './hash/head-format.ts';
import { thumbnailPath, type LibraryPaths } from './library-paths.ts';
import { deleteHead, enqueueJob, getActiveHead, listHeads, type Store } from './store/index.ts';
import type { CodeBits } from './types.ts';
import type { EncoderClient } from './worker/encoder-client.ts';

/** One check of the doctor: fine, repaired, or a problem it could not repair. */
export interface DoctorCheck {
  name: string;
  status: 'ok' | 'repaired' | 'problem';
  detail: string;
}

/** What the doctor found and did; `head` is the active head afterwards. */
export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
  head: ActiveHead;
}

/** What the doctor works on. */
export interface DoctorContext {
  store: Store;
  paths: LibraryPaths;
  encoder: EncoderClient;
  modelId: string;
  head: ActiveHead;
  /** Code length for a default head, should the active head have to be reset. */
  bits: CodeBits;
}

const count = (store: Store, sql: string, ...params: unknown[]): number =>
  store
    .stmt(sql)
    .pluck()
    .get(...params) as number;

/** Whether a head's folder holds the head the library says it does. */
async function headProblem(head: ActiveHead): Promise<string | undefined> {
  if (!existsSync(head.dir)) return `its folder ${head.dir} is missing`;
  try {
    const meta = await readHeadMeta(head.dir);
    if (meta.id !== head.id) return `its folder holds head ${meta.id}, not ${head.id}`;
    if (meta.bits !== head.bits) return `its folder holds a ${meta.bits}-bit head, not ${head.bits} bits`;
  } catch (err) {
    return `its files cannot be read (${errorMessage(err)})`;
  }
  return undefined;
}

/** Runs every check; with `repair`, repairs what it safely can. Throws `db-corrupt` for a damaged file. */
export async function runDoctor(ctx: DoctorContext, repair: boolean): Promise<DoctorReport> {
  const { store, paths, encoder, modelId } = ctx;
  const checks: DoctorCheck[] = [];
  const add = (name: string, status: DoctorCheck['status'], detail: string): void => {
    checks.push({ name, status, detail });
  };

  const integrity = store.guard(
    () => store.db.pragma('integrity_check') as Array<{ integrity_check: string }>,
  );
  const damage = integrity.map((r) => r.integrity_check).filter((m) => m !== 'ok');
  if (damage.length > 0) {
    throw new GlintError(
      'db-corrupt',
      `The library ${store.file} is damaged (${damage.slice(0, 3).join('; ')}). Nothing was changed. ` +
        `To recover, quit Glint, move the file (and any -wal / -shm beside it) aside, then run \`glint index\` ` +
        `on your folders: photos are re-read, and user tags written back to XMP sidecars come back.`,
    );
  }
  add('database', 'ok', 'SQLite integrity check passed');

  const orphans = store.guard(
    () => store.db.pragma('foreign_key_check') as Array<{ table: string; rowid: number | null }>,
  );
  if (orphans.length === 0) add('orphan rows', 'ok', 'every row points at something that exists');
  else if (!repair) add('orphan rows', 'problem', `${orphans.length} rows point at deleted rows`);
  else {
    store.tx(() => {
      for (const o of orphans)
        if (o.rowid !== null) store.db.prepare(`DELETE FROM ${o.table} WHERE rowid = ?`).run(o.rowid);
    });
    add('orphan rows', 'repaired', `deleted ${orphans.length} rows that pointed at deleted rows`);
  }

  let head = ctx.head;
  const broken = await headProblem(head);
  if (!broken) add('active head', 'ok', `${head.id} (${head.bits} bits) is in place`);
  else if (!repair) add('active head', 'problem', `the active head ${head.id}: ${broken}`);
  else {
    deleteHead(store, head.id);
    head = await ensureActiveHead(store, paths, modelId, ctx.bits);
    const fresh = await headProblem(head);
    if (fresh) {
      // A default head record whose own folder is gone too: write it anew.
      deleteHead(store, head.id);
      head = await ensureActiveHead(store, paths, modelId, ctx.bits);
    }
    await rehashFromEmbeddings(store, encoder, head, modelId);
    add(
      'active head',
      'repaired',
      `the active head ${ctx.head.id}: ${broken}; switched to ${head.id} and re-hashed every item from its cached embedding` +
        (ctx.head.kind === 'default' ? '' : ' (retrain to get a trained head back)'),
    );
  }

  const uncoded = count(
    store,
    `SELECT count(*) FROM items i JOIN embeddings e ON e.item_id = i.id AND e.model_id = ?
     WHERE NOT EXISTS (SELECT 1 FROM codes c WHERE c.item_id = i.id AND c.head_id = ?)`,
    modelId,
    head.id,
  );
  if (uncoded === 0) add('codes', 'ok', `every embedded item has a code for ${head.id}`);
  else if (!repair) add('codes', 'problem', `${uncoded} items have no code for the active head`);
  else {
    await rehashFromEmbeddings(store, encoder, head, modelId);
    add('codes', 'repaired', `re-hashed ${uncoded} items that had no code (from their cached embeddings)`);
  }

  const unembedded = store
    .stmt(
      `SELECT DISTINCT f.path FROM files f JOIN items i ON i.file_id = f.id
       WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.item_id = i.id AND e.model_id = ?)`,
    )
    .pluck()
    .all(modelId) as string[];
  if (unembedded.length === 0) add('embeddings', 'ok', 'every item has an embedding');
  else if (!repair)
    add('embeddings', 'problem', `${unembedded.length} files have items without an embedding`);
  else {
    store.tx(() => unembedded.forEach((p) => enqueueJob(store, 'ingest', p)));
    add('embeddings', 'repaired', `queued ${unembedded.length} files to be read again (run \`glint index\`)`);
  }

  const thumbs = store
    .stmt(
      "SELECT DISTINCT f.hash FROM files f JOIN items i ON i.file_id = f.id AND i.kind = 'photo' WHERE f.hash IS NOT NULL",
    )
    .pluck()
    .all() as string[];
  const noThumb = thumbs.filter((h) => !existsSync(thumbnailPath(paths, h))).length;
  add(
    'thumbnails',
    noThumb === 0 ? 'ok' : 'problem',
    noThumb === 0
      ? `all ${thumbs.length} photos have a thumbnail`
      : `${noThumb} photos have no thumbnail; they show as blank tiles until they are re-read (touch them, or remove and add their folder)`,
  );

  const known = new Set(listHeads(store).map((h) => h.dir));
  const onDisk = await readdir(paths.heads).catch(() => [] as string[]);
  const strays = onDisk.filter((name) => !known.has(join(paths.heads, name)));
  add(
    'head folders',
    'ok',
    strays.length === 0
      ? 'every head folder belongs to a head the library knows'
      : `${strays.length} folders in ${paths.heads} belong to no head (left alone: ${strays.slice(0, 3).join(', ')})`,
  );

  const active = getActiveHead(store, modelId);
  if (!active) throw new Error('doctor left the library without an active head');
  return { ok: checks.every((c) => c.status !== 'problem'), checks, head };
}
