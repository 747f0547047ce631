import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listModels } from '../../../src/engine/models/list.ts';
import { parseManifest } from '../../../src/engine/models/manifest.ts';
import { modelSetDir } from '../../../src/engine/models/paths.ts';

const manifest = parseManifest({
  schema: 1,
  sets: [
    {
      id: 'clip-test',
      description: '',
      license: '',
      files: [
        {
          path: 'onnx/vision.onnx',
          url: 'https://example.org/v',
          size: 4,
          sha256: null,
          verify: 'size-only',
        },
        {
          path: 'vocab.json',
          url: 'https://example.org/j',
          size: null,
          sha256: null,
          verify: 'size-unknown',
        },
      ],
    },
  ],
});

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'glint-models-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const put = (rel: string, data: string): void => {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), data);
};

describe('listModels', () => {
  it('reports an absent set when the root does not even exist', async () => {
    const [status] = await listModels(join(root, 'nothing-here'), manifest);
    expect(status).toMatchObject({
      id: 'clip-test',
      state: 'absent',
      missing: ['onnx/vision.onnx', 'vocab.json'],
    });
  });

  it('tells incomplete (missing, wrong size, .part pending) from complete', async () => {
    put('clip-test/onnx/vision.onnx.part', 'ab');
    put('clip-test/vocab.json', '{}');
    expect((await listModels(root, manifest))[0]).toMatchObject({
      state: 'incomplete',
      missing: ['onnx/vision.onnx'],
      partial: ['onnx/vision.onnx'],
      wrongSize: [],
    });
    put('clip-test/onnx/vision.onnx', 'abcdef');
    expect((await listModels(root, manifest))[0]).toMatchObject({
      state: 'incomplete',
      missing: [],
      wrongSize: ['onnx/vision.onnx'],
    });
    put('clip-test/onnx/vision.onnx', 'abcd');
    expect((await listModels(root, manifest))[0]).toMatchObject({
      state: 'complete',
      dir: modelSetDir(root, 'clip-test'),
    });
  });

  it('marks stand-ins, in the set folder or in a folder of their own', async () => {
    put('clip-test/glint-standin.json', JSON.stringify({ size: 'tiny', seed: 7 }));
    put('bench-vit/glint-standin.json', JSON.stringify({ size: 'vit-b-32', seed: 1 }));
    put('broken/glint-standin.json', '{not json');
    put('unrelated/readme.txt', 'hi');
    const list = await listModels(root, manifest);
    expect(list.map((s) => [s.id, s.state, s.standin])).toEqual([
      ['clip-test', 'standin', { size: 'tiny', seed: 7 }],
      ['bench-vit', 'standin', { size: 'vit-b-32', seed: 1 }],
      ['broken', 'standin', {}],
    ]);
  });
});
