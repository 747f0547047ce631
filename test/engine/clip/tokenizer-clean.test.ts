import { describe, expect, it } from 'vitest';
import { clipCleanText, ftfyLikeFix, htmlUnescape } from '../../../src/engine/clip/tokenizer-clean.ts';

describe('ftfyLikeFix', () => {
  it('uncurls quotes and splits Latin ligatures', () => {
    expect(ftfyLikeFix('\u201cit\u2019s\u201d \u2018x\u201b \u02bcy')).toBe("\"it's\" 'x' 'y");
    expect(ftfyLikeFix('\ufb01ne \ufb02ow \ufb00 \u0132')).toBe('fine flow ff IJ');
  });

  it('narrows full-width forms and the ideographic space', () => {
    expect(ftfyLikeFix('\uff21\uff42\uff43\uff11\u3000\uff01\uff1f')).toBe('Abc1 !?');
    // Half-width katakana become full-width (NFKC).
    expect(ftfyLikeFix('\uff76')).toBe('\u30ab');
  });

  it('normalises line breaks to LF', () => {
    expect(ftfyLikeFix('a\r\nb\rc\u2028d\u2029e')).toBe('a\nb\nc\nd\ne');
    // As in ftfy, C1 controls are read as Windows-1252 first, so NEL (U+0085) becomes an ellipsis.
    expect(ftfyLikeFix('e\u0085f')).toBe('e\u2026f');
  });

  it('drops control characters and terminal escapes, keeping tab, LF and FF', () => {
    expect(ftfyLikeFix('a\u0000b\u0007c\u000bd\u007fe\ufeff')).toBe('abcde');
    expect(ftfyLikeFix('\u001b[1;31mred\u001b[0m')).toBe('red');
    expect(ftfyLikeFix('t\tl\nf\f')).toBe('t\tl\nf\f');
    // Zero-width joiners and bidi marks stay.
    expect(ftfyLikeFix('a\u200db\u200ec')).toBe('a\u200db\u200ec');
  });

  it('reads C1 controls as Windows-1252 and replaces lone surrogates', () => {
    expect(ftfyLikeFix('\u0080 \u0093q\u0094 \u0099')).toBe('\u20ac "q" \u2122');
    expect(ftfyLikeFix('x\ud800y')).toBe('x\ufffdy');
    expect(ftfyLikeFix('x\udc00y')).toBe('x\ufffdy');
    expect(ftfyLikeFix('\ud83d\ude00')).toBe('\ud83d\ude00'); // a valid pair is kept
  });

  it('composes to NFC and leaves mojibake as written', () => {
    expect(ftfyLikeFix('cafe\u0301')).toBe('caf\u00e9');
    expect(ftfyLikeFix('Caf\u00c3\u00a9')).toBe('Caf\u00c3\u00a9');
  });
});

describe('htmlUnescape', () => {
  it('returns text without an ampersand unchanged', () => {
    const s = 'plain <b> text';
    expect(htmlUnescape(s)).toBe(s);
  });

  it("matches Python's html.unescape (applied twice) on edge cases", () => {
    // Expected values printed by Python 3.11: html.unescape(html.unescape(s)).
    const cases: Array<[string, string]> = [
      ['&amp;', '&'],
      ['&amp', '&'],
      ['&ampfoo', '&foo'],
      ['&AMP;', '&'],
      ['&lt;&gt;', '<>'],
      ['&notit;', '\u00acit;'],
      ['&notin;', '\u2209'],
      ['&#39;', "'"],
      ['&#x27;', "'"],
      ['&#X27;', "'"],
      ['&#0;', '\ufffd'],
      ['&#128;', '\u20ac'],
      ['&#x80;', '\u20ac'],
      ['&#1;', ''],
      ['&#xD800;', '\ufffd'],
      ['&#1114112;', '\ufffd'],
      ['&#65;&#66', 'AB'],
      ['&copy2024', '\u00a92024'],
      ['&nbsp;x', '\u00a0x'],
      ['&hellip;', '\u2026'],
      ['&Aacute;', '\u00c1'],
      ['&aacute', '\u00e1'],
      ['& amp;', '& amp;'],
      ['&;', '&;'],
      ['&#;', '&#;'],
      ['&#x;', '&#x;'],
      ['&foo;', '&foo;'],
      ['a&b', 'a&b'],
      ['&amp;amp;amp;', '&amp;'],
      ['&NotEqualTilde;', '\u2242\u0338'],
      ['&eacute;t&eacute;', '\u00e9t\u00e9'],
    ];
    for (const [text, want] of cases)
      expect(htmlUnescape(htmlUnescape(text)), JSON.stringify(text)).toBe(want);
  });
});

describe('clipCleanText', () => {
  it('fixes, unescapes twice, collapses Unicode whitespace and lower-cases', () => {
    expect(clipCleanText('  A \u201cDog\u201d\u00a0&amp;amp;\u3000CAT\n\n ')).toBe('a "dog" & cat');
    expect(clipCleanText('Tom &amp; Jerry &amp;amp; &#x263A; &copy &lt;b&gt;')).toBe(
      'tom & jerry & \u263a \u00a9 <b>',
    );
  });

  it('gives the empty string for whitespace and controls only', () => {
    expect(clipCleanText(' \t\n\u00a0\u2003\u0000 ')).toBe('');
  });

  it('collapses an NBSP made by unescaping and narrow spaces, like Python regex \\s', () => {
    expect(clipCleanText('a&nbsp;&nbsp;b')).toBe('a b');
    expect(clipCleanText('a&#x85;b')).toBe('a\u2026b'); // html.unescape reads &#x85; as Windows-1252 too
    expect(clipCleanText('a&#x2028;b')).toBe('a b');
    expect(clipCleanText('a\u202fb\u205fc')).toBe('a b c');
  });

  it('lower-cases beyond ASCII', () => {
    expect(clipCleanText('\u00c9T\u00c9 \u0130STANBUL \u03a3\u039f\u03a6\u0399\u0391')).toBe(
      '\u00e9t\u00e9 i\u0307stanbul \u03c3\u03bf\u03c6\u03b9\u03b1',
    );
  });
});
