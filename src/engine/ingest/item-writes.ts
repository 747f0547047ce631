import { codeToWords } from '../hash/bits.ts';
import type { ActiveHead } from '../hash/active-head.ts';
import {
  addFileItems,
  addItemTag,
  deleteFileItemsOfKind,
  getFileByPath,
  listFileItems,
  listItemTags,
  putCodes,
  putEmbeddings,
  replaceFileItems,
  setItemTags,
  setPhotoFacts,
  keepUserTags,
  takeKeptTags,
  upsertFile,
  type ItemInput,
  type Store,
} from '../store/index.ts';
import { setItemPlace } from '../store/places.ts';
import { deleteFileById, fileIdsUnder, folderIdFor, markRead } from '../store/scan-state.ts';
import { placeAt } from '../places/reverse-geocode.ts';
import type { CodeSink } from '../types.ts';
import type { PhotoMetadata } from './metadata.ts';
import { photoDate } from './photo-date.ts';
import { keywordsBySource } from './photo-tags.ts';

/** The file fields every commit writes. */
export interface FileFacts {
  path: string;
  size: number;
  mtimeMs: number;
  hash: string;
  dev?: number;
}

/** A decoded, embedded and hashed photo, ready to store. */
export interface PhotoCommit {
  file: FileFacts;
  meta: PhotoMetadata;
  width: number;
  height: number;
  embedding: Float32Array;
  /** The head's continuous code for the photo (1×K). */
  code: Float32Array;
  caption: { text: string; embedding: Float32Array; code: Float32Array } | undefined;
  modelId: string;
  head: ActiveHead;
  sink: CodeSink;
}

/** A photo whose metadata was read again (its content, and so its image embedding, did not change). */
export interface MetadataCommit {
  file: FileFacts;
  meta: PhotoMetadata;
  caption: PhotoCommit['caption'];
  modelId: string;
  head: ActiveHead;
  sink: CodeSink;
}

/** An embedded and hashed note, ready to store. */
export interface NoteCommit {
  file: FileFacts;
  chunks: ReadonlyArray<{ text: string; start: number; end: number }>;
  /** n×D embeddings and n×K continuous codes, one row per chunk. */
  embeddings: Float32Array;
  codes: Float32Array;
  modelId: string;
  head: ActiveHead;
  sink: CodeSink;
}

/** Replaces a file's items, embeddings and codes in one transaction; returns the new item ids. */
function writeItems(
  store: Store,
  file: FileFacts,
  kind: 'photo' | 'note',
  items: ItemInput[],
  rows: ReadonlyArray<{ embedding: Float32Array; code: Float32Array }>,
  c: { modelId: string; head: ActiveHead; sink: CodeSink },
): number[] {
  const previous = getFileByPath(store, file.path);
  const oldIds = previous ? listFileItems(store, previous.id).map((i) => i.id) : [];
  const fileId = upsertFile(store, { ...file, kind, folderId: folderIdFor(store, file.path) });
  const ids = replaceFileItems(store, fileId, items);
  markRead(store, fileId);
  putEmbeddings(
    store,
    c.modelId,
    ids.map((itemId, i) => ({ itemId, vector: (rows[i] as { embedding: Float32Array }).embedding })),
  );
  const codes = ids.map((itemId, i) => ({
    itemId,
    words: codeToWords((rows[i] as { code: Float32Array }).code, c.head.bits),
  }));
  putCodes(store, c.head.id, codes);
  c.sink.remove(oldIds);
  codes.forEach((entry, i) => c.sink.upsert((items[i] as ItemInput).modality, entry.itemId, entry.words));
  return ids;
}

/** The user's own tags on the photo item of a file: they survive the file's re-indexing. */
function userTagsOf(store: Store, path: string): string[] {
  const file = getFileByPath(store, path);
  if (!file) return [];
  return listFileItems(store, file.id)
    .filter((item) => item.kind === 'photo')
    .flatMap((item) =>
      listItemTags(store, item.id)
        .filter((t) => t.source === 'user')
        .map((t) => t.name),
    );
}

/** Stores a photo: its item, optional caption item, embeddings, codes, metadata tags and place name. */
export function commitPhoto(store: Store, c: PhotoCommit): void {
  const { lat, lon } = c.meta;
  // Named before the write lock is taken: a process's first lookup reads the place data from disk.
  const place = lat !== undefined && lon !== undefined ? placeAt(lat, lon) : undefined;
  store.tx(() => {
    // The tags of the file's previous version, and any kept from a photo with this content that left.
    const userTags = [...userTagsOf(store, c.file.path), ...takeKeptTags(store, c.file.hash)];
    const date = photoDate(c.meta, c.file.path, c.file.mtimeMs, store.now());
    const photo: ItemInput = {
      kind: 'photo',
      modality: 'image',
      takenAt: date?.takenAt ?? null,
      takenSource: date?.takenSource ?? null,
      lat: c.meta.lat ?? null,
      lon: c.meta.lon ?? null,
      width: c.width,
      height: c.height,
    };
    const items: ItemInput[] = [photo];
    const rows = [{ embedding: c.embedding, code: c.code }];
    if (c.caption) {
      items.push({
        kind: 'caption',
        modality: 'text',
        text: c.caption.text,
        charStart: 0,
        charEnd: c.caption.text.length,
      });
      rows.push({ embedding: c.caption.embedding, code: c.caption.code });
    }
    const [photoId] = writeItems(store, c.file, 'photo', items, rows, c);
    if (photoId === undefined) return;
    if (place) setItemPlace(store, photoId, place);
    const keywords = keywordsBySource(c.meta);
    setItemTags(store, photoId, 'xmp', keywords.xmp);
    setItemTags(store, photoId, 'iptc', keywords.iptc);
    for (const tag of userTags) addItemTag(store, photoId, tag, 'user');
  });
}

/**
 * Stores what a photo's metadata says now, in place: its caption item, metadata tags, date, position and
 * place. The photo item keeps its id, embedding, codes, user tags and tag suggestions (the user's work); only
 * what the readers derived is replaced. False when the file has no photo item (index it in full instead).
 */
export function commitPhotoMetadata(store: Store, c: MetadataCommit): boolean {
  const { lat, lon } = c.meta;
  const place = lat !== undefined && lon !== undefined ? placeAt(lat, lon) : undefined;
  return store.tx(() => {
    const previous = getFileByPath(store, c.file.path);
    const photo = previous && listFileItems(store, previous.id).find((i) => i.kind === 'photo');
    if (!photo) return false;
    const fileId = upsertFile(store, { ...c.file, kind: 'photo', folderId: folderIdFor(store, c.file.path) });
    c.sink.remove(deleteFileItemsOfKind(store, fileId, 'caption'));
    if (c.caption) {
      const { text, embedding, code } = c.caption;
      const [id] = addFileItems(store, fileId, [
        { kind: 'caption', modality: 'text', text, charStart: 0, charEnd: text.length },
      ]);
      if (id !== undefined) {
        putEmbeddings(store, c.modelId, [{ itemId: id, vector: embedding }]);
        const words = codeToWords(code, c.head.bits);
        putCodes(store, c.head.id, [{ itemId: id, words }]);
        c.sink.upsert('text', id, words);
      }
    }
    const date = photoDate(c.meta, c.file.path, c.file.mtimeMs, store.now());
    const takenAt = date?.takenAt ?? null;
    setPhotoFacts(store, photo.id, { takenAt, takenSource: date?.takenSource ?? null, lat, lon });
    if (takenAt !== photo.takenAt) c.sink.redated([photo.id]);
    setItemPlace(store, photo.id, place);
    const keywords = keywordsBySource(c.meta);
    setItemTags(store, photo.id, 'xmp', keywords.xmp);
    setItemTags(store, photo.id, 'iptc', keywords.iptc);
    markRead(store, fileId);
    return true;
  });
}

/** Stores a note: one item per chunk with its character range, embeddings and codes. */
export function commitNote(store: Store, c: NoteCommit): void {
  const dim = c.chunks.length ? c.embeddings.length / c.chunks.length : 0;
  const bits = c.head.bits;
  store.tx(() => {
    writeItems(
      store,
      c.file,
      'note',
      c.chunks.map((chunk) => ({
        kind: 'note_chunk',
        modality: 'text',
        text: chunk.text,
        charStart: chunk.start,
        charEnd: chunk.end,
      })),
      c.chunks.map((_, i) => ({
        embedding: c.embeddings.slice(i * dim, (i + 1) * dim),
        code: c.codes.slice(i * bits, (i + 1) * bits),
      })),
      c,
    );
  });
}

/**
 * Removes files (or every file under folder paths) from the index in one transaction; their user tags
 * are kept by content hash first (see kept-tags). Returns how many files went.
 */
export function removeIndexedPaths(store: Store, paths: readonly string[], sink: CodeSink): number {
  return store.tx(() => {
    const fileIds = paths.flatMap((path) => fileIdsUnder(store, path));
    keepUserTags(store, fileIds);
    const itemIds = fileIds.flatMap((id) => listFileItems(store, id).map((i) => i.id));
    for (const id of fileIds) deleteFileById(store, id);
    sink.remove(itemIds);
    return fileIds.length;
  });
}
