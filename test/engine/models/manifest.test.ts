import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GlintError } from '../../../src/engine/errors.ts';
import { loadManifest, parseManifest } from '../../../src/engine/models/manifest.ts';

const TOKENIZER = join(import.meta.dirname, '../../../../shared/data/clip-tokenizer');

describe('the shipped model manifest', () => {
  it('validates and lists the Xenova CLIP ViT-B/32 export with the pinned vision model', async () => {
    const m = await loadManifest();
    expect(m.sets.map((s) => s.id)).toEqual(['clip-vit-base-patch32']);
    const files = m.sets[0]?.files ?? [];
    expect(files.map((f) => f.path)).toEqual([
      'onnx/vision_model.onnx',
      'onnx/text_model.onnx',
      'vocab.json',
      'merges.txt',
      'tokenizer.json',
      'tokenizer_config.json',
      'special_tokens_map.json',
      'preprocessor_config.json',
      'config.json',
    ]);
    for (const f of files)
      expect(f.url).toBe(`https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/main/${f.path}`);
    expect(files[0]).toMatchObject({
      size: 351_685_709,
      sha256: 'fd6e1402a588279d1723c7534d4bcba5bc0b14b47dfab0e46f8c47b8270d7d40',
      verify: 'sha256',
    });
    // No hash could be found for the text model: pinned by size only, never by an invented hash.
    expect(files[1]).toMatchObject({ size: 254_058_553, sha256: null, verify: 'size-only' });
  });

  it.skipIf(!existsSync(TOKENIZER))(
    'pins no hash for tokenizer files, because the shared copies differ from the published bytes',
    async () => {
      const m = await loadManifest();
      const tokenizerFiles = (m.sets[0]?.files ?? []).slice(2);
      for (const f of tokenizerFiles)
        expect(f).toMatchObject({ size: null, sha256: null, verify: 'size-unknown' });
      // The evidence: the shared merges.txt has CRLF line ends (the published one has LF, 524,619
      // bytes), and the shared tokenizer.json is pretty-printed (the published one is 2,224,119 bytes).
      const merges = readFileSync(join(TOKENIZER, 'merges.txt'));
      expect(merges.includes(Buffer.from('\r\n'))).toBe(true);
      expect(statSync(join(TOKENIZER, 'tokenizer.json')).size).not.toBe(2_224_119);
      const hash = createHash('sha256').update(merges).digest('hex');
      expect(tokenizerFiles.some((f) => f.sha256 === hash)).toBe(false);
    },
  );
});

describe('parseManifest', () => {
  const file = {
    path: 'a/b.onnx',
    url: 'https://example.org/a/b.onnx',
    size: 10,
    sha256: 'a'.repeat(64),
    verify: 'sha256',
  };
  const wrap = (files: unknown[]): unknown => ({
    schema: 1,
    sets: [{ id: 'x', description: '', license: '', files }],
  });
  const problem = (value: unknown): string => {
    try {
      parseManifest(value);
    } catch (err) {
      expect(err).toBeInstanceOf(GlintError);
      expect((err as GlintError).code).toBe('bad-manifest');
      return (err as GlintError).message;
    }
    throw new Error('expected parseManifest to throw');
  };

  it('accepts a well-formed manifest', () => {
    expect(parseManifest(wrap([file])).sets[0]?.files[0]?.path).toBe('a/b.onnx');
  });
  it('names each problem', () => {
    expect(problem(wrap([{ ...file, sha256: 'ABC' }]))).toMatch(/sha256: must be 64 lower-case hex digits/);
    expect(problem(wrap([{ ...file, sha256: null }]))).toMatch(/verify 'sha256' needs sha256 set/);
    expect(problem(wrap([{ ...file, verify: 'size-unknown' }]))).toMatch(/needs size null/);
    expect(problem(wrap([{ ...file, path: '../escape' }]))).toMatch(/relative path/);
    expect(problem(wrap([{ ...file, path: '/abs' }]))).toMatch(/relative path/);
    expect(problem(wrap([file, file]))).toMatch(/unique/);
    expect(problem(wrap([{ ...file, url: 'file:///etc/passwd' }]))).toMatch(/url/);
    expect(problem({ schema: 2, sets: [] })).toMatch(/schema/);
  });
});
