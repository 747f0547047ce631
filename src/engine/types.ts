/** Shared domain types of the Glint engine. Types only: no runtime code lives here. */

/** Which encoder an item or a query goes through. */
export type Modality = 'image' | 'text';

/** What an indexed item is: a whole photo, a chunk of a note file, or a caption from metadata. */
export type ItemKind = 'photo' | 'note_chunk' | 'caption';

/** Code lengths the hash heads produce. */
export type CodeBits = 16 | 32 | 64 | 128;

/** The code lengths Glint supports, in order. */
export const CODE_BITS: readonly CodeBits[] = [16, 32, 64, 128];

/** Where a tag came from: embedded or sidecar XMP/IPTC keywords, or the user in Glint. */
export type TagSource = 'xmp' | 'iptc' | 'user';

/** The stage of ingest at which a file failed; shown to the user beside the message. */
export type ErrorStage = 'scan' | 'read' | 'decode' | 'metadata' | 'encode' | 'store' | 'sidecar';

/**
 * A binary code as signed 64-bit words, exactly as stored in the `codes` table's INTEGER columns:
 * bit i of the code is bit (i % 64) of word floor(i / 64); bit = 1 where the continuous code is > 0.
 * 16/32/64-bit codes use one word, 128-bit codes two.
 */
export type CodeWords = readonly bigint[];

/** One ranked search hit. */
export interface Hit {
  itemId: number;
  /** Hamming distance between the query code and the item code. */
  distance: number;
  /**
   * Asymmetric score used inside a distance tie: the inner product of the query's continuous
   * code with the item's ±1 code (higher is closer).
   */
  score: number;
}

/** Receives code changes of the active head, to keep in-memory Hamming indexes in step. */
export interface CodeSink {
  upsert(modality: Modality, itemId: number, words: CodeWords): void;
  remove(itemIds: readonly number[]): void;
  /** Photos whose capture date changed while their codes did not (a move, a rename, a touch). */
  redated(itemIds: readonly number[]): void;
}

/** Where a photo's date came from (the contract's type: one definition for the engine and the UI). */
export type { TakenSource } from '../contract/api.ts';
