import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GlintError } from '../../../src/engine/errors.ts';
import {
  HEAD_FILE,
  HEAD_INPUT,
  HEAD_OUTPUT,
  headMetaSchema,
  readHeadMeta,
  writeHeadMeta,
  type HeadMeta,
} from '../../../src/engine/hash/head-format.ts';

const META: HeadMeta = {
  id: 'h1',
  kind: 'dghdgh',
  bits: 64,
  embeddingDim: 512,
  embeddingDims: { image: 128, text: 10 },
  modelId: 'wiki',
  createdAt: '2026-11-23T00:00:00.000Z',
  files: { image: 'image.onnx', text: 'text.onnx' },
  metrics: { map: 0.5 },
  params: { tau: 0.3 },
};

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'glint-head-format-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function failure(p: Promise<unknown>): Promise<GlintError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GlintError);
  expect((err as GlintError).code).toBe('head-invalid');
  return err as GlintError;
}

describe('head format', () => {
  it('names the file, the graph input and the graph output', () => {
    expect([HEAD_FILE, HEAD_INPUT, HEAD_OUTPUT]).toEqual(['head.json', 'embedding', 'code']);
  });

  it('writes pretty JSON with a final newline and reads back the same metadata', async () => {
    const dir = join(root, 'ok');
    await mkdir(dir);
    await writeHeadMeta(dir, META);
    const text = await readFile(join(dir, HEAD_FILE), 'utf8');
    expect(text).toBe(`${JSON.stringify(META, null, 2)}\n`);
    expect(await readHeadMeta(dir)).toEqual(META);
  });

  it('drops keys the schema does not know', async () => {
    const dir = join(root, 'extra');
    await mkdir(dir);
    await writeFile(join(dir, HEAD_FILE), JSON.stringify({ ...META, extra: 1 }));
    expect(await readHeadMeta(dir)).toEqual(META);
  });

  it('never writes an invalid head.json', async () => {
    const dir = join(root, 'never');
    await mkdir(dir);
    await expect(writeHeadMeta(dir, { ...META, bits: 48 })).rejects.toThrow();
    await expect(readFile(join(dir, HEAD_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('says what is wrong, file by file, field by field', async () => {
    expect((await failure(readHeadMeta(join(root, 'missing')))).message).toMatch(
      /No hash head at .*missing: head\.json cannot be read/,
    );
    const dir = join(root, 'bad');
    await mkdir(dir);
    const bad = async (content: unknown): Promise<string> => {
      await writeFile(join(dir, HEAD_FILE), typeof content === 'string' ? content : JSON.stringify(content));
      return (await failure(readHeadMeta(dir))).message;
    };
    expect(await bad('{')).toMatch(/head\.json is not valid JSON/);
    expect(await bad('[]')).toMatch(/\(root\): /);
    expect(await bad({ ...META, bits: 20 })).toMatch(/bits: must be one of 16, 32, 64, 128/);
    expect(await bad({ ...META, bits: 16.5 })).toMatch(/bits: /);
    expect(await bad({ ...META, embeddingDim: 0 })).toMatch(/embeddingDim: /);
    expect(await bad({ ...META, embeddingDims: { image: 128 } })).toMatch(/embeddingDims\.text: /);
    expect(await bad({ ...META, id: '' })).toMatch(/id: /);
    for (const name of ['sub/x.onnx', '..\\x.onnx', '..', '.', ''])
      expect(await bad({ ...META, files: { image: 'image.onnx', text: name } })).toMatch(/files\.text: /);
  });

  it('the schema accepts every supported code length and both kinds', () => {
    for (const bits of [16, 32, 64, 128])
      for (const kind of ['default', 'dghdgh'] as const)
        expect(headMetaSchema.safeParse({ ...META, bits, kind }).success).toBe(true);
    const { embeddingDims: _d, metrics: _m, params: _p, ...minimal } = META;
    expect(headMetaSchema.safeParse(minimal).success).toBe(true);
  });
});
