import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GlintError } from '../../../src/engine/errors.ts';
import { loadHead } from '../../../src/engine/hash/head.ts';
import { writeDefaultHead } from '../../../src/engine/hash/head-default.ts';
import {
  HEAD_FILE,
  HEAD_INPUT,
  HEAD_OUTPUT,
  readHeadMeta,
  writeHeadMeta,
} from '../../../src/engine/hash/head-format.ts';
import { GraphBuilder } from '../../../src/engine/onnx/graph-builder.ts';

describe('head.json validation', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'glint-head-bad-'));
    await writeDefaultHead(dir, { bits: 16, modelId: 'm', seed: 1 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function expectInvalid(content: string | null, pattern: RegExp): Promise<void> {
    const path = join(dir, HEAD_FILE);
    const original = await readFile(path, 'utf8');
    try {
      if (content === null) await rm(path);
      else await writeFile(path, content);
      const err = await loadHead(dir).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(GlintError);
      expect((err as GlintError).code).toBe('head-invalid');
      expect((err as GlintError).message).toMatch(pattern);
    } finally {
      await writeFile(path, original);
    }
  }

  it('gives a clear GlintError for malformed or missing head.json', async () => {
    const good = JSON.parse(await readFile(join(dir, HEAD_FILE), 'utf8')) as Record<string, unknown>;
    await expectInvalid(null, /cannot be read/);
    await expectInvalid('{ not json', /not valid JSON/);
    await expectInvalid(JSON.stringify({ ...good, bits: 20 }), /bits: must be one of 16, 32, 64, 128/);
    await expectInvalid(JSON.stringify({ ...good, kind: 'magic' }), /kind/);
    await expectInvalid(
      JSON.stringify({ ...good, files: { image: '../x.onnx', text: 'text.onnx' } }),
      /files\.image/,
    );
    const { modelId: _drop, ...noModel } = good;
    await expectInvalid(JSON.stringify(noModel), /modelId/);
    await expectInvalid(
      JSON.stringify({ ...good, files: { image: 'missing.onnx', text: 'text.onnx' } }),
      /cannot be loaded/,
    );
    await expectInvalid(
      JSON.stringify({ ...good, files: { image: HEAD_FILE, text: 'text.onnx' } }),
      /cannot be loaded/,
    );
    expect((await readHeadMeta(dir)).bits).toBe(16);
  });
});

describe('loadHead', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'glint-head-load-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A head of tanh(x) graphs over 16-d inputs, whose input is named `inputName`. */
  async function tanhHead(
    sub: string,
    inputName: string,
    dims?: { image: number; text: number },
  ): Promise<string> {
    const d = join(dir, sub);
    await mkdir(d, { recursive: true });
    for (const [m, width] of [
      ['image', dims?.image ?? 16],
      ['text', dims?.text ?? 16],
    ] as const) {
      const g = new GraphBuilder({ name: 'tanh' });
      const x = g.input(inputName, 'float32', ['batch', width]);
      const y =
        width === 16
          ? g.tanh(x)
          : g.tanh(
              g.matMul(x, g.initializer('W', 'float32', [width, 16], new Float32Array(width * 16).fill(1))),
            );
      g.output(y, HEAD_OUTPUT, ['batch', 16]);
      await g.writeFile(join(d, `${m}.onnx`));
    }
    await writeHeadMeta(d, {
      id: sub,
      kind: 'dghdgh',
      bits: 16,
      embeddingDim: 16,
      ...(dims ? { embeddingDims: dims } : {}),
      modelId: 'm',
      createdAt: '2026-01-01T00:00:00Z',
      files: { image: 'image.onnx', text: 'text.onnx' },
    });
    return d;
  }

  it('runs each modality through its own graph at its own input size', async () => {
    const head = await loadHead(await tanhHead('dims', HEAD_INPUT, { image: 2, text: 16 }));
    try {
      expect(head.bits).toBe(16);
      // image: tanh(x · ones(2×16)) = tanh(0.25 + 0.5) in every position
      const img = await head.encode('image', Float32Array.of(0.25, 0.5), 1);
      expect(img).toHaveLength(16);
      for (const v of img) expect(v).toBeCloseTo(Math.tanh(0.75), 6);
      const txt = await head.encode(
        'text',
        Float32Array.from({ length: 16 }, (_, i) => i / 16),
        1,
      );
      txt.forEach((v, i) => expect(v).toBeCloseTo(Math.tanh(i / 16), 6));
      await expect(head.encode('image', new Float32Array(16), 1)).rejects.toThrow(
        /16 values for 1 embeddings of dimension 2/,
      );
    } finally {
      await head.release();
    }
  });

  it('refuses a graph whose input is not named `embedding`, naming what it takes', async () => {
    const err = await loadHead(await tanhHead('badname', 'x')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GlintError);
    expect((err as GlintError).code).toBe('head-invalid');
    expect((err as GlintError).message).toMatch(
      /must take 'embedding' and produce 'code' \(it takes x and produces code\)/,
    );
  });
});
