/**
 * The request schemas of every API method: strict (unknown keys are refused), bounded (string lengths,
 * list sizes, numeric ranges), so nothing malformed or oversized from a UI reaches the engine.
 */
import { z } from 'zod';
import { epochsProblem } from '../../contract/epochs.ts';
import type { ApiRequest, MethodName } from '../../contract/api.ts';
import {
  MAX_IDS,
  MAX_IMAGE_BYTES,
  MAX_LIMIT,
  MAX_PATH,
  MAX_QUERY_IMAGES,
  MAX_TAG,
  MAX_TEXT,
} from '../../contract/limits.ts';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const limit = z.number().int().min(1).max(MAX_LIMIT);
const path = z.string().min(1).max(MAX_PATH);
const tag = z.string().trim().min(1).max(MAX_TAG);
const empty = z.union([z.undefined(), z.null(), z.strictObject({})]);

// Bytes arrive as a Uint8Array over IPC and as base64 inside JSON over HTTP; both become a Uint8Array.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const bytes = z
  .union([
    z.instanceof(Uint8Array),
    z
      .string()
      .max(Math.ceil(MAX_IMAGE_BYTES / 3) * 4)
      .regex(BASE64, 'not base64')
      .transform((s) => new Uint8Array(Buffer.from(s, 'base64'))),
  ])
  .refine((b) => b.byteLength > 0, 'the image is empty')
  .refine(
    (b) => b.byteLength <= MAX_IMAGE_BYTES,
    `the image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB`,
  )
  // The contract's type: any Uint8Array (not only one over a plain ArrayBuffer).
  .transform((b): Uint8Array => b);

/** The words for a date range that ends before it starts (the UI shows the same ones). */
export const FROM_AFTER_TO =
  'the From date is after the To date: choose a From date on or before the To date';

const filters = z
  .strictObject({
    from: z.number().finite().optional(),
    to: z.number().finite().optional(),
    tags: z.array(tag).max(50).optional(),
    folderId: id.optional(),
    place: z.string().max(MAX_TEXT).optional(),
  })
  .refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, {
    message: FROM_AFTER_TO,
    path: ['from'],
  });

const weight = z.number().finite().min(-4).max(4).optional();
const imageQuery = z.union([
  z.strictObject({ itemId: id, weight }),
  z.strictObject({ bytes, name: z.string().max(255), weight }),
]);

const bits = z.union([z.literal(16), z.literal(32), z.literal(64), z.literal(128)]);
const device = z.enum(['cpu', 'cuda']);
// The same words as `glint train --epochs` (train/epochs.ts), for a non-number as for a number out of range.
// A count sent as text ("20") is text to the schema, even where `glint train --epochs 20` reads it as a number.
const epochs = z
  .number({
    error: (issue) =>
      epochsProblem(issue.input) ?? `must be a number, not the text ${JSON.stringify(issue.input)}`,
  })
  .superRefine((n, ctx) => {
    const problem = epochsProblem(n);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** One schema per method: what its single argument must look like. */
export const REQUEST_SCHEMAS = {
  appInfo: empty,
  status: empty,
  listFolders: empty,
  addFolder: z.strictObject({ path }),
  removeFolder: z.strictObject({ id }),
  folderRemovalPreview: z.strictObject({ id }),
  restoreFolder: z.strictObject({ id }),
  reindex: empty,
  pauseIndexing: empty,
  resumeIndexing: empty,
  cancelIndexing: empty,
  pickFolder: empty,
  // An empty query (no words, no image) passes here and gets the engine's 'usage' answer in words.
  search: z.strictObject({
    text: z.string().max(MAX_TEXT).optional(),
    images: z.array(imageQuery).max(MAX_QUERY_IMAGES).optional(),
    limit: limit.optional(),
    noteLimit: z.number().int().min(0).max(MAX_LIMIT).optional(),
    filters: filters.optional(),
    radius: z.union([z.number().int().min(0).max(128), z.literal('all')]).optional(),
    order: z.enum(['relevance', 'newest', 'oldest']).optional(),
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  }),
  timeline: z.strictObject({
    filters: filters.optional(),
    order: z.enum(['newest', 'oldest']).optional(),
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    limit: limit.optional(),
  }),
  item: z.strictObject({ id }),
  listTags: empty,
  tagItems: z.strictObject({ ids: z.array(id).min(1).max(MAX_IDS), tag }),
  untagItems: z.strictObject({ ids: z.array(id).min(1).max(MAX_IDS), tag }),
  renameTag: z.strictObject({ from: tag, to: tag }),
  mergeTags: z.strictObject({ sources: z.array(tag).min(1).max(100), into: tag }),
  deleteTag: z.strictObject({ name: tag }),
  undoTagChange: z.union([z.undefined(), z.null(), z.strictObject({ token: id.optional() })]),
  listTagChanges: empty,
  listPlaces: empty,
  listErrors: z.union([z.undefined(), z.null(), z.strictObject({ limit: limit.optional() })]),
  reveal: z.strictObject({ id }),
  openExternal: z.strictObject({ id }),
  trainingInfo: empty,
  // NOTE: nullish rather than a union, so a bad field reports its own words (a union says "Invalid input").
  startTraining: z
    .strictObject({
      bits: bits.optional(),
      epochs: epochs.optional(),
      device: device.optional(),
    })
    .nullish(),
  cancelTraining: empty,
  listHeads: empty,
  activateHead: z.strictObject({ id: z.string().min(1).max(200) }),
  rollbackHead: empty,
  getSettings: empty,
  setSettings: z.strictObject({
    bits: bits.optional(),
    device: device.optional(),
    modelsDir: path.optional(),
    theme: z.enum(['system', 'light', 'dark']).optional(),
    xmpWriteBack: z.enum(['off', 'photo.jpg.xmp', 'photo.xmp']).optional(),
  }),
  modelsStatus: empty,
  pullModels: empty,
  sidecarStatus: empty,
  writeSidecars: empty,
  listSuggestions: z.union([z.undefined(), z.null(), z.strictObject({ limit: limit.optional() })]),
  acceptSuggestions: z.strictObject({ ids: z.array(id).min(1).max(MAX_IDS) }),
  rejectSuggestions: z.strictObject({ ids: z.array(id).min(1).max(MAX_IDS) }),
  undoSuggestions: z.strictObject({ ids: z.array(id).min(1).max(MAX_IDS) }),
  acceptSuggestedTag: z.strictObject({ tag }),
} satisfies Record<MethodName, z.ZodType>;

/** The validated request type of a method. */
export type RequestOf<M extends MethodName> = z.output<(typeof REQUEST_SCHEMAS)[M]>;

/** A readable one-line summary of a schema failure. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

// NOTE: compile-time check that every schema accepts exactly what the contract lets a client send: a
// mismatch names the method in a type error here. An absent request may arrive as undefined, null or {}.
type Absent = undefined | null | Record<string, never>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Matches<M extends MethodName> =
  Same<Exclude<RequestOf<M>, Absent>, Exclude<ApiRequest<M>, Absent>> extends true ? true : M;
type AssertAll<T extends true> = T;
/** True when every request schema matches its contract type (see the note above). */
export type SchemasMatchContract = AssertAll<{ [M in MethodName]: Matches<M> }[MethodName]>;
