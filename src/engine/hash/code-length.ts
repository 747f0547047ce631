import type { LibraryPaths } from '../library-paths.ts';
import { activateHead, listHeads, type HeadRecord, type Store } from '../store/index.ts';
import type { CodeBits } from '../types.ts';
import type { EncoderClient } from '../worker/encoder-client.ts';
import { rehashFromEmbeddings, writeFittedDefaultHead, type ActiveHead } from './active-head.ts';

/** What a change of code length needs: the library, the worker that runs heads, and the head in use. */
export interface CodeLengthContext {
  store: Store;
  encoder: EncoderClient;
  paths: LibraryPaths;
  modelId: string;
  head: ActiveHead;
}

/** Which head a new code length uses, and whether it was made for the change. */
export interface CodeLengthChange {
  head: ActiveHead;
  /**
   * 'trained': the user's newest trained head of that length; 'default': a default head the library had;
   * 'new': a default head fitted now; 'unchanged': the head in use already has that length.
   */
  source: 'trained' | 'default' | 'new' | 'unchanged';
  /** Items whose codes were made again. */
  rehashed: number;
}

/**
 * The head a code length of `bits` switches to: the user's newest trained head of that length (their work,
 * kept and preferred), else the newest default head of that length, else none (one is fitted).
 */
export function headForBits(store: Store, modelId: string, bits: number): HeadRecord | undefined {
  const same = listHeads(store, modelId).filter((h) => h.bits === bits);
  const newest = (heads: HeadRecord[]): HeadRecord | undefined =>
    heads.reduce<HeadRecord | undefined>((a, h) => (a && a.createdAt >= h.createdAt ? a : h), undefined);
  return newest(same.filter((h) => h.kind !== 'default')) ?? newest(same.filter((h) => h.kind === 'default'));
}

/**
 * Switches the library to `bits`-bit codes: picks the head (`headForBits`) or writes a default head of that
 * length centred on the library's embeddings, re-hashes every item from its cached embedding (no photo is
 * read or encoded again), with progress, then activates it. No head is deleted or overwritten: the head
 * that was active stays, to switch back to.
 */
export async function switchCodeLength(
  ctx: CodeLengthContext,
  bits: CodeBits,
  onProgress?: (done: number, total: number) => void,
): Promise<CodeLengthChange> {
  if (ctx.head.bits === bits) return { head: ctx.head, source: 'unchanged', rehashed: 0 };
  const found = headForBits(ctx.store, ctx.modelId, bits);
  const head: ActiveHead = found
    ? { id: found.id, kind: found.kind, bits: found.bits, dir: found.dir }
    : await writeFittedDefaultHead(ctx.store, ctx.paths, ctx.modelId, bits);
  // NOTE: codes are made again even for a head that had them: items indexed since were hashed only by the
  // head active then.
  const rehashed = await rehashFromEmbeddings(ctx.store, ctx.encoder, head, ctx.modelId, onProgress);
  activateHead(ctx.store, head.id);
  return { head, source: found ? (found.kind === 'default' ? 'default' : 'trained') : 'new', rehashed };
}
