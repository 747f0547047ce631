import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sizeIfFile } from '../ingest/file-hash.ts';
import type { ModelManifest } from './manifest.ts';
import { modelSetDir } from './paths.ts';

/** What a stand-in model folder says about itself in `glint-standin.json`. */
export interface StandinInfo {
  size?: string;
  seed?: number;
}

/** The state of one model folder under the models root. */
export interface ModelSetStatus {
  /** The set id (for manifest sets) or the folder name (for other folders). */
  id: string;
  dir: string;
  /**
   * 'complete': every manifest file is there (at its pinned size where one is pinned);
   * 'incomplete': some are missing, of the wrong size, or still `.part` downloads;
   * 'absent': the folder does not exist or holds none of them;
   * 'standin': a test stand-in (has `glint-standin.json`), whatever else it holds.
   */
  state: 'complete' | 'incomplete' | 'absent' | 'standin';
  /** Manifest files not present. */
  missing: string[];
  /** Manifest files present with a size other than the pinned one. */
  wrongSize: string[];
  /** Manifest files with an interrupted download (`.part`) that the next pull resumes. */
  partial: string[];
  /** Set for stand-ins: what `glint-standin.json` says (empty when it is unreadable). */
  standin?: StandinInfo;
}

/**
 * Which model sets are in the models root `dir`: every set of the manifest (by its folder,
 * `<dir>/<id>`), plus any other subfolder that is a stand-in. Checks presence and sizes only (no
 * hashing, so it is cheap enough for a status screen); `pullModels` does the full verification.
 */
export async function listModels(dir: string, manifest: ModelManifest): Promise<ModelSetStatus[]> {
  const out: ModelSetStatus[] = [];
  for (const set of manifest.sets) {
    const setDir = modelSetDir(dir, set.id);
    const status: ModelSetStatus = {
      id: set.id,
      dir: setDir,
      state: 'absent',
      missing: [],
      wrongSize: [],
      partial: [],
    };
    let present = 0;
    for (const file of set.files) {
      const size = await sizeIfFile(join(setDir, file.path));
      if (size === undefined) {
        status.missing.push(file.path);
        if ((await sizeIfFile(join(setDir, `${file.path}.part`))) !== undefined)
          status.partial.push(file.path);
      } else {
        present++;
        if (file.size !== null && size !== file.size) status.wrongSize.push(file.path);
      }
    }
    const standin = await readStandin(setDir);
    if (standin !== undefined) {
      status.state = 'standin';
      status.standin = standin;
    } else if (status.missing.length === 0 && status.wrongSize.length === 0) status.state = 'complete';
    else if (present > 0 || status.partial.length > 0) status.state = 'incomplete';
    out.push(status);
  }

  const known = new Set(manifest.sets.map((s) => s.id));
  let names: string[] = [];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !known.has(e.name))
      .map((e) => e.name);
  } catch {
    // No models root yet: only the manifest sets (all absent) to report.
  }
  for (const name of names.sort()) {
    const setDir = join(dir, name);
    const standin = await readStandin(setDir);
    if (standin !== undefined)
      out.push({ id: name, dir: setDir, state: 'standin', missing: [], wrongSize: [], partial: [], standin });
  }
  return out;
}

/** `glint-standin.json` of `dir`: undefined when absent, `{}` when present but unreadable. */
async function readStandin(dir: string): Promise<StandinInfo | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, 'glint-standin.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const info: StandinInfo = {};
    if (typeof json.size === 'string') info.size = json.size;
    if (typeof json.seed === 'number') info.seed = json.seed;
    return info;
  } catch {
    return {};
  }
}
