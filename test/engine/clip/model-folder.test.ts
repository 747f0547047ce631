import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_FILES, resolveModelFolder } from '../../../src/engine/clip/model-folder.ts';
import { GlintError } from '../../../src/engine/errors.ts';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'glint-model-folder-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder holding (empty) files with these relative names. */
function folder(name: string, files: string[]): string {
  const dir = join(root, name);
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), f === 'glint-standin.json' ? '{"size":"tiny","seed":7}' : '');
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const COMPLETE = [MODEL_FILES.vision, MODEL_FILES.text, MODEL_FILES.preprocessor, 'vocab.json', 'merges.txt'];

function missing(dir: string): GlintError {
  try {
    resolveModelFolder(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(GlintError);
    expect((err as GlintError).code).toBe('models-missing');
    return err as GlintError;
  }
  throw new Error('expected models-missing');
}

describe('resolveModelFolder', () => {
  it('resolves a complete folder of the real model to its files and the real model id', () => {
    const dir = folder('real', COMPLETE);
    expect(resolveModelFolder(dir)).toEqual({
      dir,
      modelId: 'clip-vit-base-patch32',
      standin: false,
      vision: join(dir, 'onnx', 'vision_model.onnx'),
      text: join(dir, 'onnx', 'text_model.onnx'),
    });
  });

  it('accepts tokenizer.json in place of vocab.json + merges.txt', () => {
    const dir = folder('hf', [
      MODEL_FILES.vision,
      MODEL_FILES.text,
      MODEL_FILES.preprocessor,
      'tokenizer.json',
    ]);
    expect(resolveModelFolder(dir).modelId).toBe('clip-vit-base-patch32');
  });

  it('gives a stand-in its own model id from glint-standin.json, so its embeddings are never mixed up', () => {
    const dir = folder('standin', [...COMPLETE, 'glint-standin.json']);
    expect(resolveModelFolder(dir)).toMatchObject({ modelId: 'standin-tiny-seed7', standin: true });
    writeFileSync(join(dir, 'glint-standin.json'), '{}');
    expect(resolveModelFolder(dir).modelId).toBe('standin-unknown-seed0');
  });

  it('names every missing file and what fixes it, in the app and on the command line', () => {
    const err = missing(folder('empty', []));
    expect(err.message).toContain(
      'is missing onnx/vision_model.onnx, onnx/text_model.onnx, preprocessor_config.json, vocab.json + merges.txt (or tokenizer.json)',
    );
    expect(err.message).toContain('glint models pull');
    // Words for both the app and the CLI: the Settings card shows this message too.
    expect(err.message).toContain('Settings → Models folder');
    expect(err.message).toContain('--models');
  });

  it('counts half a tokenizer (vocab.json without merges.txt) as missing', () => {
    const err = missing(
      folder('half', [MODEL_FILES.vision, MODEL_FILES.text, MODEL_FILES.preprocessor, 'vocab.json']),
    );
    expect(err.message).toMatch(/is missing vocab\.json \+ merges\.txt \(or tokenizer\.json\)\./);
  });

  it('names only the one file that is missing', () => {
    const dir = folder(
      'novision',
      COMPLETE.filter((f) => f !== MODEL_FILES.vision),
    );
    expect(missing(dir).message).toContain(`${dir} is missing onnx/vision_model.onnx. Run`);
  });

  it('reports a damaged glint-standin.json as models-invalid instead of a raw parse error', () => {
    const dir = folder('damaged', [...COMPLETE, 'glint-standin.json']);
    writeFileSync(join(dir, 'glint-standin.json'), '{"size": "tiny",');
    let err: unknown;
    try {
      resolveModelFolder(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GlintError);
    expect((err as GlintError).code).toBe('models-invalid');
    expect((err as GlintError).message).toContain(`${join(dir, 'glint-standin.json')} is damaged`);
    expect((err as GlintError).message).toContain('glint models make-standin');
  });
});
