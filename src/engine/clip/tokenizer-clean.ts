/**
 * Text clean-up that OpenAI CLIP's `simple_tokenizer` applies before BPE:
 * `whitespace_clean(basic_clean(text)).lower()`, where
 * `basic_clean = html.unescape(html.unescape(ftfy.fix_text(text))).strip()`.
 *
 * ftfy is reproduced for the fixes that change clean, real-world text (curly quotes, ligatures,
 * full-width forms, control characters, terminal escapes, C1 controls, line breaks, NFC). Its
 * mojibake repair ("CafÃ©" → "Café") is a statistical heuristic and is NOT reproduced: such text
 * tokenizes as written. Notes are decoded as strict UTF-8 (see ingest/text-decode.ts), so mojibake
 * only reaches the tokenizer when the file itself already contains it.
 */
/* eslint-disable no-control-regex -- these patterns exist to find control characters. */
import { decodeHTML, DecodingMode } from 'entities/decode';

// NOTE: ftfy's remove_control_chars table: U+00–08, U+0B, U+0E–1F, U+7F, U+206A–206F, U+FEFF,
// U+FFF9–FFFC. Whitespace controls (\t \n \f \r) and joiners/bidi marks are kept.
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f\u206a-\u206f\ufeff\ufff9-\ufffc]/g;
// ftfy's remove_terminal_escapes: ESC [ digits/semicolons letter.
const ANSI_ESCAPES = /\u001b\[[\d;]*[A-Za-z]/g;
// ftfy's uncurl_quotes (modifier letter apostrophe and the curly single/double quotes).
const SINGLE_QUOTES = /[\u02bc\u2018-\u201b]/g;
const DOUBLE_QUOTES = /[\u201c-\u201f]/g;
// ftfy's fix_line_breaks: CRLF, CR, LINE SEPARATOR, PARAGRAPH SEPARATOR, NEL → LF.
const LINE_BREAKS = /\r\n|[\r\u2028\u2029\u0085]/g;
const C1_CONTROLS = /[\u0080-\u009f]/g;
// Lone UTF-16 surrogates (ftfy's fix_surrogates turns them into U+FFFD).
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// ftfy's fix_latin_ligatures: the Latin ligature code points, replaced by their letters.
const LATIN_LIGATURES = /[\u0132\u0133\u0149\u01c4-\u01cc\u01f1-\u01f3\ufb00-\ufb06]/g;
// ftfy's fix_character_width: U+3000 and U+FF01–FFEF → their NFKC (half-/normal-width) form.
const WIDE_FORMS = /[\u3000\uff01-\uffef]/g;
// Python `regex`'s \s (the Unicode White_Space property); JS \s adds U+FEFF and lacks U+0085.
const WHITESPACE_RUNS = /[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

// Numeric character references, as Python's html.unescape reads them (the `;` is optional).
const NUMERIC_REF = /&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?/g;

const cp1252 = new TextDecoder('windows-1252');

/** Code points Python's html.unescape turns into '' when written as numeric references. */
function droppedByPython(cp: number): boolean {
  return (
    (cp >= 0x1 && cp <= 0x8) ||
    cp === 0xb ||
    (cp >= 0xe && cp <= 0x1f) ||
    cp === 0x7f ||
    (cp >= 0xfdd0 && cp <= 0xfdef) ||
    (cp <= 0x10ffff && (cp & 0xfffe) === 0xfffe)
  );
}

/** The ftfy-like part of CLIP's clean-up (see the module comment for what is not reproduced). */
export function ftfyLikeFix(text: string): string {
  return text
    .replace(C1_CONTROLS, (c) => cp1252.decode(Uint8Array.of(c.charCodeAt(0))))
    .replace(LATIN_LIGATURES, (c) => c.normalize('NFKC'))
    .replace(WIDE_FORMS, (c) => (c === '\u3000' ? ' ' : c.normalize('NFKC')))
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(LINE_BREAKS, '\n')
    .replace(LONE_SURROGATES, '\ufffd')
    .replace(ANSI_ESCAPES, '')
    .replace(CONTROL_CHARS, '')
    .normalize('NFC');
}

/**
 * Python's `html.unescape`: named references (with the HTML5 legacy forms that need no `;`) and
 * numeric references, decoded as in HTML text content. The HTML spec keeps references to control
 * characters and non-characters (a parse error), Python drops them; Python is the reference here.
 */
export function htmlUnescape(text: string): string {
  if (!text.includes('&')) return text;
  const pythonDrops = text.replace(NUMERIC_REF, (ref: string, hex?: string, dec?: string) =>
    droppedByPython(hex === undefined ? Number(dec) : parseInt(hex, 16)) ? '' : ref,
  );
  return decodeHTML(pythonDrops, DecodingMode.Legacy);
}

/** CLIP's full clean-up: ftfy-like fix, HTML unescape twice, whitespace collapsed, lower-cased. */
export function clipCleanText(text: string): string {
  const basic = htmlUnescape(htmlUnescape(ftfyLikeFix(text))).trim();
  return basic.replace(WHITESPACE_RUNS, ' ').trim().toLowerCase();
}
