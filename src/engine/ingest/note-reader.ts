import { readFile } from 'node:fs/promises';
import { GlintError } from '../errors.ts';
import { fileError } from './file-hash.ts';
import { chunkNote, type TextChunk } from './notes-chunker.ts';
import { decodeNoteBytes } from './text-decode.ts';

/**
 * A chunk of a note, ready to embed: its text, where it sits in the decoded note, and the headings
 * above it (embed `chunkEmbeddingText(chunk)`, show `chunk.text`).
 */
export type NoteChunk = TextChunk;

// NOTE: 77-token window minus BOS and EOS.
const MAX_CONTENT_TOKENS = 75;

/**
 * Reads a note file (or takes its bytes, already read once), decodes it strictly and splits it into
 * chunks that fit CLIP's window: one per paragraph, headings as context (see notes-chunker.ts).
 */
export async function readNoteChunks(
  path: string,
  countTokens: (text: string) => number,
  read?: Uint8Array,
): Promise<NoteChunk[]> {
  const bytes =
    read ??
    (await readFile(path).catch((err: unknown) => {
      throw fileError(err, path);
    }));
  const decoded = decodeNoteBytes(bytes, path);
  if (!decoded.ok) throw new GlintError('note-not-utf8', decoded.error);
  return chunkNote(decoded.text, countTokens, { maxTokens: MAX_CONTENT_TOKENS });
}
