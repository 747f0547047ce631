import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeStandinClip } from '../../src/engine/clip/standin.ts';
import { TOKENIZER_DIR } from './shared-data.ts';

const made = new Map<string, Promise<string>>();

/**
 * A tiny stand-in CLIP model folder with the real tokenizer files, written once per test process
 * under `dir` (tests pass a temp dir).
 */
export function tinyModels(dir: string, seed = 0): Promise<string> {
  const key = `${dir}:${seed}`;
  let p = made.get(key);
  if (!p) {
    p = (async () => {
      if (!existsSync(join(dir, 'onnx', 'text_model.onnx'))) await writeStandinClip(dir, 'tiny', { seed });
      mkdirSync(dir, { recursive: true });
      for (const name of readdirSync(TOKENIZER_DIR)) {
        if (/\.(json|txt)$/.test(name)) copyFileSync(join(TOKENIZER_DIR, name), join(dir, name));
      }
      return dir;
    })();
    made.set(key, p);
  }
  return p;
}
