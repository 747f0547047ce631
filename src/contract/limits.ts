/**
 * Limits shared by the UI, the engine host and the engine: one definition each, so a client checks
 * exactly what the host enforces. Constants only.
 */

// NOTE: sized for real use with headroom: a search phrase is a sentence, a path fits any OS, 100,000
// results is the grid's design size, 50 MB covers any camera JPEG or phone HEIC.
/** Longest search phrase accepted (characters). */
export const MAX_TEXT = 1_000;
/** Longest path accepted (characters). */
export const MAX_PATH = 4_096;
/** Most results one search may ask for. */
export const MAX_LIMIT = 100_000;
/** Results a search returns when it names no limit. */
export const DEFAULT_LIMIT = 200;
/** Notes and captions a search returns when it names no note limit. */
export const DEFAULT_NOTE_LIMIT = 50;
/** Most images one search may combine. */
export const MAX_QUERY_IMAGES = 8;
/** Largest dropped or pasted image accepted (bytes). */
export const MAX_IMAGE_BYTES = 50 * 1024 * 1024;
/** Most item ids one bulk tag call may name. */
export const MAX_IDS = 100_000;
/** Longest tag name accepted (characters). */
export const MAX_TAG = 200;
/** Retraining needs at least this many tagged photos… */
export const MIN_TAGGED_PHOTOS = 20;
/** …carrying at least this many different tags. */
export const MIN_TAGS = 2;
/** Fewest epochs (passes over the tagged photos) a retraining run may ask for… */
export const MIN_EPOCHS = 1;
// NOTE: 500 passes over a library's tags is already far past where validation stops improving.
/** …and most. */
export const MAX_EPOCHS = 500;
/** The version of Glint this build is. */
export const GLINT_VERSION = '0.1.0';
