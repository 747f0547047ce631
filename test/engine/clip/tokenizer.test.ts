import { gunzipSync } from 'node:zlib';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bpeDataFromOpenAiMerges,
  loadClipTokenizer,
  type ClipTokenizer,
} from '../../../src/engine/clip/tokenizer.ts';
import { clipCleanText } from '../../../src/engine/clip/tokenizer-clean.ts';

const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const TOK_DIR = path.join(DATA, 'clip-tokenizer');
const haveData = existsSync(path.join(TOK_DIR, 'vocab.json'));
if (!haveData) console.warn(`tokenizer tests skipped: real CLIP tokenizer files not found in ${TOK_DIR}`);

/**
 * Reference ids from OpenAI's simple_tokenizer.py run in Python (regex module, html.unescape, the
 * original bpe_simple_vocab_16e6.txt.gz), with ftfy left out (not installable there): the cases
 * below are ones ftfy leaves unchanged. The ftfy-dependent cases are checked by hand further down.
 */
const OPENAI_VECTORS: Array<[string, number[]]> = [
  ['a photo of a cat', [49406, 320, 1125, 539, 320, 2368, 49407]],
  ['A PHOTO OF A CAT', [49406, 320, 1125, 539, 320, 2368, 49407]],
  ["Hello, world! How's it going?", [49406, 3306, 267, 1002, 256, 829, 568, 585, 1245, 286, 49407]],
  [
    "don't you'll we've they're I'm she'd it's",
    [49406, 847, 713, 592, 1342, 649, 1200, 889, 982, 328, 880, 1043, 1896, 585, 568, 49407],
  ],
  ["rock'n'roll o'neill", [49406, 2172, 262, 333, 262, 3341, 334, 262, 19324, 49407]],
  [
    'Numbers: 12345 and 3.14159, 1,000,000 and 2nd 21st',
    [
      49406, 6121, 281, 272, 273, 274, 275, 276, 537, 274, 269, 272, 275, 272, 276, 280, 267, 272, 267, 271,
      271, 271, 267, 271, 271, 271, 537, 273, 1764, 273, 272, 545, 49407,
    ],
  ],
  [
    'caf\u00e9 na\u00efve r\u00e9sum\u00e9 Z\u00fcrich \u00c5ngstr\u00f6m jalape\u00f1o',
    [
      49406, 15304, 1097, 35689, 563, 29106, 7054, 4166, 89, 6522, 4021, 23176, 10352, 807, 7255, 332, 43017,
      49407,
    ],
  ],
  [
    'emoji \ud83d\udc36\ud83d\udc31 \ud83d\udc4d\ud83c\udffd family \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67 flag \ud83c\uddeb\ud83c\uddf7',
    [49406, 16327, 14466, 22979, 43722, 1315, 25023, 26304, 964, 356, 4859, 16223, 49407],
  ],
  [
    '\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8 \u6771\u4eac\u30bf\u30ef\u30fc',
    [
      49406, 39121, 44353, 34002, 252, 21575, 2429, 228, 47121, 32421, 486, 48338, 21078, 105, 34941, 2429,
      107, 30391, 49407,
    ],
  ],
  [
    '\u4e2d\u6587\u5b57\u7b26\u6d4b\u8bd5 \u5317\u4eac',
    [
      49406, 19759, 255, 29032, 229, 35751, 245, 163, 105, 99, 162, 113, 233, 164, 107, 499, 161, 234, 245,
      21078, 361, 49407,
    ],
  ],
  [
    '\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8',
    [49406, 15197, 250, 31871, 255, 31625, 368, 169, 227, 235, 20305, 39820, 49407],
  ],
  [
    '\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac \u0420\u0443\u0441\u0441\u043a\u0438\u0439 \u0442\u0435\u043a\u0441\u0442 \u05e2\u05d1\u05e8\u05d9\u05ea \u0627\u0644\u0639\u0631\u0628\u064a\u0629',
    [
      49406, 138, 113, 138, 119, 138, 119, 138, 115, 138, 121, 138, 117, 138, 118, 138, 361, 16370, 39729,
      23669, 23669, 27152, 29503, 373, 17875, 22176, 27152, 23669, 141, 480, 147, 95, 147, 239, 147, 101, 147,
      247, 147, 359, 12973, 18843, 10948, 16378, 12046, 20915, 49407,
    ],
  ],
  [
    '   lots   of \t whitespace \n\n and\r\nnewlines   ',
    [49406, 2958, 539, 4699, 2138, 537, 1218, 3418, 49407],
  ],
  [
    'Tom &amp; Jerry &lt;3 &quot;quoted&quot; &#39;single&#39; &#x263A; &copy; 2024',
    [
      49406, 2435, 261, 9164, 283, 274, 257, 27706, 257, 568, 17005, 262, 8703, 5811, 273, 271, 273, 275,
      49407,
    ],
  ],
  ['double escaped &amp;amp; and &amp;lt;tag&amp;gt;', [49406, 3200, 18707, 261, 537, 283, 3640, 285, 49407]],
  [
    'legacy entities &amp &lt &copy without semicolons &ampfoo',
    [49406, 6447, 38134, 261, 283, 5811, 2193, 26967, 562, 708, 261, 23435, 49407],
  ],
  [
    '!!!??? ... --- *** ### @user #hashtag $100 50% a+b=c',
    [
      49406, 11194, 3824, 678, 11079, 7829, 2, 15483, 287, 7031, 258, 9238, 259, 272, 271, 271, 276, 271, 260,
      320, 266, 321, 284, 322, 49407,
    ],
  ],
  [
    'URL https://example.com/path?q=1&x=2 and email a.b@example.org',
    [
      49406, 23464, 30901, 12441, 6228, 269, 2464, 270, 5035, 286, 336, 284, 272, 261, 343, 284, 273, 537,
      4462, 320, 269, 321, 287, 6228, 269, 5593, 49407,
    ],
  ],
  [
    'snake_case camelCase kebab-case CONSTANT_CASE',
    [49406, 8798, 318, 2068, 27005, 2068, 36497, 268, 2068, 13111, 318, 2068, 49407],
  ],
  ['mixedLetters123numbers456', [49406, 29376, 9181, 272, 273, 274, 6121, 275, 276, 277, 49407]],
  ['<|startoftext|>inside<|endoftext|> text', [49406, 49406, 2912, 49407, 4160, 49407]],
  ['tabs\tand\u00a0nbsp\u2003em-space', [49406, 29163, 537, 6459, 4393, 2270, 268, 2138, 49407]],
  [
    'straight \'single\' and "double" quotes',
    [49406, 4241, 568, 17005, 262, 537, 257, 3200, 257, 5808, 49407],
  ],
  ['x', [49406, 343, 49407]],
  ['', [49406, 49407]],
  ['   ', [49406, 49407]],
  [
    'supercalifragilisticexpialidocious antidisestablishmentarianism',
    [
      49406, 1642, 2857, 13093, 2076, 5868, 26850, 835, 639, 38466, 3120, 4262, 7726, 12658, 1585, 44351,
      49407,
    ],
  ],
  [
    'the quick brown fox jumps over the lazy dog. the quick brown fox jumps over the lazy dog. the quick brown fox jumps over the lazy dog. the quick brown fox jumps over the lazy dog. the quick brown fox jumps over the lazy dog. the quick brown fox jumps over the lazy dog.',
    [
      49406, 518, 3712, 2866, 3240, 18911, 962, 518, 10753, 1929, 269, 518, 3712, 2866, 3240, 18911, 962, 518,
      10753, 1929, 269, 518, 3712, 2866, 3240, 18911, 962, 518, 10753, 1929, 269, 518, 3712, 2866, 3240,
      18911, 962, 518, 10753, 1929, 269, 518, 3712, 2866, 3240, 18911, 962, 518, 10753, 1929, 269, 518, 3712,
      2866, 3240, 18911, 962, 518, 10753, 1929, 269, 49407,
    ],
  ],
  [
    '\u0130stanbul \u015eEH\u0130R stra\u00dfe STRASSE',
    [49406, 328, 16384, 11231, 21254, 68, 1883, 16384, 337, 1894, 127, 253, 324, 1894, 8938, 49407],
  ],
  [
    '\u00bd \u00b2 \u00b3 \u2460 \u216b',
    [49406, 33613, 41175, 126, 367, 158, 239, 510, 158, 227, 375, 49407],
  ],
  [
    'math \u2211 \u222b \u221a \u2260 \u2264 \u00b1 \u00d7 \u00f7',
    [
      49406, 6025, 17788, 495, 17788, 360, 17788, 504, 22684, 510, 22684, 353, 126, 365, 16165, 127, 371,
      49407,
    ],
  ],
  ['zero\u200bwidth joiner\u200d', [49406, 5848, 9844, 23571, 683, 5155, 728, 491, 49407]],
  ['1st, 2nd; 3rd: 4th!', [49406, 272, 545, 267, 273, 1764, 282, 274, 1973, 281, 275, 640, 256, 49407]],
];

describe.runIf(haveData)('CLIP tokenizer (real vocabulary)', () => {
  let tok: ClipTokenizer;
  beforeAll(async () => {
    tok = await loadClipTokenizer(TOK_DIR);
  });

  it('encodes the README example and pads with <|endoftext|> to 77', () => {
    expect(tok.encode('a photo of a cat')).toEqual([49406, 320, 1125, 539, 320, 2368, 49407]);
    expect(tok.countTokens('a photo of a cat')).toBe(5);
    expect([tok.bosId, tok.eosId, tok.padId]).toEqual([49406, 49407, 49407]);
    const batch = tok.encodeBatch(['a photo of a cat']);
    expect(batch.ids.length).toBe(77);
    expect(Array.from(batch.ids.slice(0, 7), Number)).toEqual([49406, 320, 1125, 539, 320, 2368, 49407]);
    expect(Array.from(batch.ids.slice(7), Number)).toEqual(new Array(70).fill(49407));
    expect(Array.from(batch.attentionMask, Number)).toEqual([
      ...new Array(7).fill(1),
      ...new Array(70).fill(0),
    ]);
    expect(batch.truncated).toEqual([false]);
  });

  it('matches OpenAI simple_tokenizer on hand-picked cases', () => {
    for (const [text, ids] of OPENAI_VECTORS) expect(tok.encode(text), JSON.stringify(text)).toEqual(ids);
  });

  it('applies the ftfy fixes CLIP was trained with', () => {
    const same = (a: string, b: string): void =>
      expect(tok.encode(a), JSON.stringify(a)).toEqual(tok.encode(b));
    same('\ufb01ne \ufb02ower', 'fine flower'); // Latin ligatures
    same('\u201cquoted\u201d it\u2019s', '"quoted" it\'s'); // curly quotes
    same('cafe\u0301', 'caf\u00e9'); // NFC
    same('\uff21\uff22\uff23\uff11\uff12\uff13\u3000\uff01', 'ABC123 !'); // full-width forms
    same('bell\u0007 nul\u0000 bom\ufeff', 'bell nul bom'); // control characters
    same('\u001b[31mred\u001b[0m text', 'red text'); // terminal escapes
    same('line\u2028break\u2029para', 'line break para');
    // `'s` is one token after uncurling; the curly apostrophe alone would be its own piece.
    expect(tok.encode('dog\u2019s')).toEqual(tok.encode("dog's"));
    expect(tok.encode('dog\u2019s')).not.toEqual(tok.encode('dog s'));
  });

  it('unescapes HTML entities twice, like html.unescape(html.unescape(...))', () => {
    expect(clipCleanText('Tom &amp; Jerry &amp;amp; &#x263A; &copy &lt;b&gt;')).toBe(
      'tom & jerry & \u263a \u00a9 <b>',
    );
    expect(tok.encode('fish &amp; chips')).toEqual(tok.encode('fish & chips'));
  });

  it('is case-insensitive and collapses whitespace', () => {
    expect(tok.encode('  A   Dog\n\tON a\u00a0Beach  ')).toEqual(tok.encode('a dog on a beach'));
    expect(tok.encode('')).toEqual([49406, 49407]);
    expect(tok.encode(' \n\t ')).toEqual([49406, 49407]);
  });

  it('truncates to 76 tokens + EOS and flags it; a 75-token text fits exactly', () => {
    const fits = new Array(75).fill('cat').join(' '); // 75 single-token words
    const over = new Array(76).fill('cat').join(' ');
    const long = 'the quick brown fox jumps over the lazy dog. '.repeat(40);
    expect(tok.countTokens(fits)).toBe(75);
    const batch = tok.encodeBatch([fits, over, long, 'short']);
    const row = (r: number): number[] => Array.from(batch.ids.slice(r * 77, (r + 1) * 77), Number);
    expect(batch.truncated).toEqual([false, true, true, false]);
    expect(row(0)).toEqual([49406, ...new Array(75).fill(tok.encode('cat')[1]), 49407]);
    expect(row(1)).toEqual(row(0)); // 76 content tokens: the 76th is dropped for EOS
    const full = tok.encode(long);
    expect(full.length).toBeGreaterThan(77);
    expect(row(2)).toEqual([...full.slice(0, 76), 49407]);
    expect(Array.from(batch.attentionMask.slice(2 * 77, 3 * 77), Number)).toEqual(new Array(77).fill(1));
    expect(tok.encodeBatch([long], 10).ids.length).toBe(10);
  });

  it("reads the same vocabulary from OpenAI's original BPE file as from vocab.json/merges.txt", () => {
    const openai = bpeDataFromOpenAiMerges(
      gunzipSync(readFileSync(path.join(TOK_DIR, 'bpe_simple_vocab_16e6.txt.gz'))).toString('utf8'),
    );
    const vocab = JSON.parse(readFileSync(path.join(TOK_DIR, 'vocab.json'), 'utf8')) as Record<
      string,
      number
    >;
    expect(openai.vocab.size).toBe(Object.keys(vocab).length);
    expect([...openai.vocab].filter(([token, id]) => vocab[token] !== id).length).toBe(0);
    // merges.txt ships with CRLF line ends; compare the pairs, and count mismatches (a 48k-row diff is unreadable).
    const merges = readFileSync(path.join(TOK_DIR, 'merges.txt'), 'utf8')
      .split(/\r?\n/)
      .slice(1)
      .filter((l) => l !== '');
    expect(merges.length).toBe(48_894);
    expect(openai.merges.filter(([a, b], i) => `${a} ${b}` !== merges[i]).length).toBe(0);
  });

  describe('against an independent implementation (@huggingface/tokenizers over tokenizer.json)', () => {
    let hf: HfTokenizer;
    beforeAll(() => {
      const json = JSON.parse(readFileSync(path.join(TOK_DIR, 'tokenizer.json'), 'utf8')) as object;
      const config = JSON.parse(readFileSync(path.join(TOK_DIR, 'tokenizer_config.json'), 'utf8')) as object;
      hf = new HfTokenizer(json, config);
    });

    it('agrees on a few hundred real and generated strings', () => {
      const texts = [...cocoCaptions(), ...OPENAI_VECTORS.map(([t]) => t), ...randomStrings(300, 42)];
      expect(texts.length).toBeGreaterThan(500);
      let compared = 0;
      for (const text of texts) {
        // HF's fast CLIP tokenizer normalises with NFC + whitespace + lower-case only (no ftfy, no
        // HTML unescape), so it gets our cleaned text; BPE, regex and byte mapping are its own.
        const cleaned = clipCleanText(text);
        expect(tok.encode(text), JSON.stringify(text)).toEqual(hf.encode(cleaned).ids);
        compared++;
      }
      expect(compared).toBe(texts.length);
    });
  });

  it('loads tokenizer.json alone, and honours the pad token the config names', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'glint-tok-'));
    try {
      await copyFile(path.join(TOK_DIR, 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
      const fromJson = await loadClipTokenizer(dir);
      for (const [text, ids] of OPENAI_VECTORS) expect(fromJson.encode(text)).toEqual(ids);
      await writeFile(path.join(dir, 'special_tokens_map.json'), JSON.stringify({ pad_token: '!' }));
      const bangPad = await loadClipTokenizer(dir);
      expect(bangPad.padId).toBe(0);
      expect(Number(bangPad.encodeBatch(['cat']).ids[3])).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('tokenizes thousands of notes quickly (BPE cache)', () => {
    const captions = cocoCaptions();
    const texts = Array.from({ length: 20_000 }, (_, i) => `${captions[i % captions.length]} #${i}`);
    const t0 = performance.now();
    let total = 0;
    for (const text of texts) total += tok.countTokens(text);
    const ms = performance.now() - t0;
    expect(total).toBeGreaterThan(200_000);
    expect(ms).toBeLessThan(3000);
  });
});

describe('CLIP tokenizer loading errors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'glint-tok-bad-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says which files are missing', async () => {
    await expect(loadClipTokenizer(dir)).rejects.toMatchObject({ code: 'tokenizer-missing' });
  });

  it('reports a damaged vocabulary', async () => {
    await writeFile(path.join(dir, 'vocab.json'), '{"a": 0,');
    await writeFile(path.join(dir, 'merges.txt'), '#version: 0.2\na b\n');
    await expect(loadClipTokenizer(dir)).rejects.toMatchObject({
      code: 'tokenizer-invalid',
      message: expect.stringContaining('vocab.json is not valid JSON'),
    });
  });

  it('reports a vocabulary without CLIP special tokens', async () => {
    await writeFile(path.join(dir, 'vocab.json'), '{"a": 0, "b": 1}');
    await expect(loadClipTokenizer(dir)).rejects.toMatchObject({
      code: 'tokenizer-invalid',
      message: expect.stringContaining('<|startoftext|>'),
    });
  });
});

function cocoCaptions(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(DATA, 'photos', 'manifest.json'), 'utf8')) as {
    items: Array<{ captions: string[] }>;
  };
  return manifest.items.flatMap((item) => item.captions);
}

/** Seeded strings over letters, digits, punctuation, accents, CJK, emoji and whitespace. */
function randomStrings(count: number, seed: number): string[] {
  const alphabet = [
    ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    ...'.,;:!?\'"()[]{}<>-_/\\@#$%^&*+=~`|',
    ...'éèêëàâäôöûüçñøåßœæ',
    ...'日本語中文한국어ひらがなカタカナ',
    '🐶',
    '🎉',
    '👍🏽',
    '∑',
    '€',
    ' ',
    ' ',
    ' ',
    '\n',
    '\t',
    "'s",
    "'ll",
  ];
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, () => {
    const len = 1 + Math.floor(next() * 40);
    let s = '';
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(next() * alphabet.length)];
    return s;
  });
}
