/**
 * CLIP's byte-level BPE tokenizer, reproducing OpenAI CLIP's `simple_tokenizer.py`: clean-up
 * (tokenizer-clean.ts), the CLIP pre-tokenizer regex, byte → unicode mapping, BPE with `</w>`
 * end-of-word marks, BOS/EOS around the text, and the 77-token window with EOS kept last.
 * Loads the Hugging Face layout (`vocab.json` + `merges.txt`, or `tokenizer.json`) and reads the
 * special tokens from `tokenizer_config.json` / `special_tokens_map.json` when present.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GlintError, errorMessage } from '../errors.ts';
import { clipCleanText } from './tokenizer-clean.ts';

/** CLIP's context length: BOS + up to 75 content tokens + EOS. */
export const CLIP_CONTEXT_LENGTH = 77;

/** A fixed-window batch: n rows of `contextLength` int64 ids and the matching attention mask. */
export interface EncodedBatch {
  /** n × contextLength token ids, row-major. */
  ids: BigInt64Array;
  /** n × contextLength, 1 over BOS..EOS, 0 over padding. */
  attentionMask: BigInt64Array;
  /** Per row: whether the text was longer than the window and got cut (EOS is still last). */
  truncated: boolean[];
  contextLength: number;
}

/** Vocabulary and merges in the Hugging Face form: token → id, and merge pairs in rank order. */
export interface BpeData {
  vocab: Map<string, number>;
  merges: Array<readonly [string, string]>;
}

/** The special tokens a CLIP tokenizer wraps and pads with. */
export interface ClipSpecialTokens {
  bos: string;
  eos: string;
  pad: string;
}

// NOTE: the CLIP pre-tokenizer regex, verbatim from simple_tokenizer.py (which compiles it with
// re.IGNORECASE; the text is already lower-cased, so the flag changes nothing).
const CLIP_PATTERN =
  /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/giu;

const END_OF_WORD = '</w>';
const DEFAULT_SPECIALS: ClipSpecialTokens = {
  bos: '<|startoftext|>',
  eos: '<|endoftext|>',
  pad: '<|endoftext|>',
};
// NOTE: BPE results are cached per pre-token; notes repeat words heavily, so a bounded Map that is
// cleared when full keeps memory flat without the bookkeeping of a true LRU.
const BPE_CACHE_LIMIT = 100_000;

/**
 * GPT-2/CLIP `bytes_to_unicode`: printable Latin-1 bytes map to themselves, the other 68 bytes to
 * U+0100 onwards, so every UTF-8 byte is a visible character. Returned in OpenAI's order (the
 * order the base vocabulary lists them in).
 */
export function bytesToUnicode(): Array<[number, string]> {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const pairs: Array<[number, string]> = printable.map((b) => [b, String.fromCharCode(b)]);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!printable.includes(b)) pairs.push([b, String.fromCharCode(256 + n++)]);
  }
  return pairs;
}

/** A loaded CLIP tokenizer; create with {@link loadClipTokenizer} or {@link createClipTokenizer}. */
export class ClipTokenizer {
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  readonly vocabSize: number;
  private readonly vocab: Map<string, number>;
  private readonly ranks = new Map<string, number>();
  private readonly byteChars: string[] = new Array<string>(256);
  private readonly specialIds: Map<string, number>;
  private readonly cache = new Map<string, number[]>();
  private readonly utf8 = new TextEncoder();

  constructor(data: BpeData, specials: ClipSpecialTokens = DEFAULT_SPECIALS) {
    this.vocab = data.vocab;
    this.vocabSize = data.vocab.size;
    data.merges.forEach(([a, b], rank) => {
      const key = `${a} ${b}`;
      if (!this.ranks.has(key)) this.ranks.set(key, rank);
    });
    for (const [byte, char] of bytesToUnicode()) this.byteChars[byte] = char;
    const id = (token: string, role: string): number => {
      const found = data.vocab.get(token);
      if (found === undefined) {
        throw new GlintError('tokenizer-invalid', `the CLIP vocabulary has no ${role} token "${token}"`);
      }
      return found;
    };
    this.bosId = id(specials.bos, 'start-of-text');
    this.eosId = id(specials.eos, 'end-of-text');
    this.padId = id(specials.pad, 'padding');
    // simple_tokenizer matches these two literally in text and maps them to their ids.
    this.specialIds = new Map([
      ['<|startoftext|>', id('<|startoftext|>', 'start-of-text')],
      ['<|endoftext|>', id('<|endoftext|>', 'end-of-text')],
    ]);
  }

  /** Token ids of `text` with BOS and EOS, not truncated. */
  encode(text: string): number[] {
    return [this.bosId, ...this.encodeContent(text), this.eosId];
  }

  /** Content token ids of `text` (no BOS/EOS, not truncated). */
  encodeContent(text: string): number[] {
    const out: number[] = [];
    for (const match of clipCleanText(text).matchAll(CLIP_PATTERN)) {
      for (const id of this.bpeIds(match[0])) out.push(id);
    }
    return out;
  }

  /** Number of content tokens (BOS/EOS excluded): what a 77-token window holds 75 of. */
  countTokens(text: string): number {
    let count = 0;
    for (const match of clipCleanText(text).matchAll(CLIP_PATTERN)) count += this.bpeIds(match[0]).length;
    return count;
  }

  /**
   * Encodes texts into a fixed window: longer texts keep their first contextLength−1 tokens and end
   * with EOS (as OpenAI's `clip.tokenize(truncate=True)`); shorter ones are padded with the pad id.
   */
  encodeBatch(texts: readonly string[], contextLength = CLIP_CONTEXT_LENGTH): EncodedBatch {
    if (!Number.isInteger(contextLength) || contextLength < 2) {
      throw new RangeError(`contextLength must be an integer >= 2, got ${contextLength}`);
    }
    const ids = new BigInt64Array(texts.length * contextLength).fill(BigInt(this.padId));
    const attentionMask = new BigInt64Array(texts.length * contextLength);
    const truncated: boolean[] = [];
    texts.forEach((text, row) => {
      const tokens = this.encode(text);
      const cut = tokens.length > contextLength;
      if (cut) {
        tokens.length = contextLength;
        tokens[contextLength - 1] = this.eosId;
      }
      truncated.push(cut);
      const base = row * contextLength;
      tokens.forEach((token, i) => {
        ids[base + i] = BigInt(token);
        attentionMask[base + i] = 1n;
      });
    });
    return { ids, attentionMask, truncated, contextLength };
  }

  /** Ids of one pre-token (a regex match) after byte mapping and BPE; cached. */
  private bpeIds(piece: string): number[] {
    const cached = this.cache.get(piece);
    if (cached) return cached;
    const special = this.specialIds.get(piece);
    const ids = special === undefined ? this.bpe(piece) : [special];
    if (this.cache.size >= BPE_CACHE_LIMIT) this.cache.clear();
    this.cache.set(piece, ids);
    return ids;
  }

  /** OpenAI's `bpe()`: repeatedly merge the lowest-ranked adjacent pair until none is mergeable. */
  private bpe(piece: string): number[] {
    const word: string[] = [];
    for (const byte of this.utf8.encode(piece)) word.push(this.byteChars[byte] as string);
    word[word.length - 1] += END_OF_WORD;
    while (word.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < word.length - 1; i++) {
        const rank = this.ranks.get(`${word[i]} ${word[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) break;
      // Merge every occurrence of the best pair, left to right, as OpenAI's loop does.
      const first = word[best] as string;
      const second = word[best + 1] as string;
      const merged: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i < word.length - 1 && word[i] === first && word[i + 1] === second) {
          merged.push(first + second);
          i++;
        } else {
          merged.push(word[i] as string);
        }
      }
      word.splice(0, word.length, ...merged);
    }
    return word.map((token) => {
      const id = this.vocab.get(token);
      if (id === undefined) throw new Error(`BPE produced "${token}", which is not in the vocabulary`);
      return id;
    });
  }
}

/** Builds a tokenizer from in-memory vocabulary and merges (e.g. for tests or other loaders). */
export function createClipTokenizer(data: BpeData, specials?: ClipSpecialTokens): ClipTokenizer {
  return new ClipTokenizer(data, specials);
}

/**
 * Rebuilds the vocabulary from OpenAI's original `bpe_simple_vocab_16e6.txt` (already gunzipped):
 * 256 byte symbols, the same with `</w>`, the first 48,894 merges, then the two special tokens.
 */
export function bpeDataFromOpenAiMerges(text: string): BpeData {
  // NOTE: simple_tokenizer keeps lines [1, 49152 − 256 − 2 + 1): 48,894 merges (49,408 tokens).
  const merges = text
    .split('\n')
    .slice(1, 49152 - 256 - 2 + 1)
    .map((line) => splitMerge(line));
  const symbols = bytesToUnicode().map(([, char]) => char);
  const tokens = [...symbols, ...symbols.map((s) => s + END_OF_WORD), ...merges.map(([a, b]) => a + b)];
  tokens.push('<|startoftext|>', '<|endoftext|>');
  return { vocab: new Map(tokens.map((token, id) => [token, id])), merges };
}

/** Loads a CLIP tokenizer from a models folder in the Hugging Face layout. */
export async function loadClipTokenizer(dir: string): Promise<ClipTokenizer> {
  const data = await loadBpeData(dir);
  const specials = await loadSpecialTokens(dir);
  return new ClipTokenizer(data, specials);
}

async function loadBpeData(dir: string): Promise<BpeData> {
  const vocabText = await readOptional(path.join(dir, 'vocab.json'));
  const mergesText = await readOptional(path.join(dir, 'merges.txt'));
  if (vocabText !== undefined && mergesText !== undefined) {
    const vocab = parseJson(vocabText, dir, 'vocab.json');
    if (!isRecordOf(vocab, 'number')) throw invalid(dir, 'vocab.json is not a token → id map');
    const merges = mergesText
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#version'))
      .map(splitMerge);
    return { vocab: new Map(Object.entries(vocab)), merges };
  }
  const tokenizerText = await readOptional(path.join(dir, 'tokenizer.json'));
  if (tokenizerText === undefined) {
    throw new GlintError(
      'tokenizer-missing',
      `no CLIP tokenizer in ${dir}: expected vocab.json + merges.txt or tokenizer.json; re-download the model`,
    );
  }
  const json = parseJson(tokenizerText, dir, 'tokenizer.json');
  const model = isRecord(json) ? json['model'] : undefined;
  if (!isRecord(model) || model['type'] !== 'BPE' || !isRecordOf(model['vocab'], 'number')) {
    throw invalid(dir, 'tokenizer.json has no BPE model with a vocabulary');
  }
  const rawMerges = model['merges'];
  if (!Array.isArray(rawMerges)) throw invalid(dir, 'tokenizer.json has no merges list');
  const merges = rawMerges.map((m: unknown) => {
    if (typeof m === 'string') return splitMerge(m);
    if (Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string') {
      return [m[0], m[1]] as const;
    }
    throw invalid(dir, `tokenizer.json has a malformed merge: ${JSON.stringify(m)}`);
  });
  return { vocab: new Map(Object.entries(model['vocab'])), merges };
}

/** bos/eos/pad from tokenizer_config.json, then special_tokens_map.json, else CLIP's defaults. */
async function loadSpecialTokens(dir: string): Promise<ClipSpecialTokens> {
  const specials = { ...DEFAULT_SPECIALS };
  for (const file of ['special_tokens_map.json', 'tokenizer_config.json']) {
    const text = await readOptional(path.join(dir, file));
    if (text === undefined) continue;
    const json = parseJson(text, dir, file);
    if (!isRecord(json)) continue;
    for (const [key, role] of [
      ['bos_token', 'bos'],
      ['eos_token', 'eos'],
      ['pad_token', 'pad'],
    ] as const) {
      const value = json[key];
      const content = typeof value === 'string' ? value : isRecord(value) ? value['content'] : undefined;
      if (typeof content === 'string') specials[role] = content;
    }
  }
  return specials;
}

function splitMerge(line: string): readonly [string, string] {
  const parts = line.trim().split(' ');
  if (parts.length !== 2) throw new GlintError('tokenizer-invalid', `malformed BPE merge line: "${line}"`);
  return [parts[0] as string, parts[1] as string];
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GlintError('tokenizer-unreadable', `cannot read ${file}: ${errorMessage(err)}`, { cause: err });
  }
}

function parseJson(text: string, dir: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw invalid(dir, `${file} is not valid JSON (${errorMessage(err)})`);
  }
}

function invalid(dir: string, what: string): GlintError {
  return new GlintError(
    'tokenizer-invalid',
    `the CLIP tokenizer in ${dir} is damaged: ${what}; re-download the model`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRecordOf(value: unknown, type: 'number'): value is Record<string, number> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === type);
}
