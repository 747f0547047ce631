import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The shared data folder beside the repository (absent on users' machines: tests skip). */
export const SHARED_DATA = resolve(process.cwd(), '../shared/data');
/** The real CLIP tokenizer files. */
export const TOKENIZER_DIR = resolve(SHARED_DATA, 'clip-tokenizer');
/** The 51 CC-licensed COCO photos. */
export const PHOTOS_DIR = resolve(SHARED_DATA, 'photos');
/** Whether the shared photos and tokenizer are there. */
export const HAS_SHARED_DATA =
  existsSync(resolve(PHOTOS_DIR, 'manifest.json')) && existsSync(resolve(TOKENIZER_DIR, 'vocab.json'));

/** One photo of the manifest. */
export interface ManifestPhoto {
  file: string;
  labels: string[];
  captions: string[];
}

/** The photos manifest (captions and COCO labels). */
export function photoManifest(): ManifestPhoto[] {
  return (
    JSON.parse(readFileSync(resolve(PHOTOS_DIR, 'manifest.json'), 'utf8')) as { items: ManifestPhoto[] }
  ).items;
}
