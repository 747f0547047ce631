/** exiftool (Debian's libimage-exiftool-perl, installed by .ci/run) as the outside reference for XMP. */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether exiftool runs here. */
export const HAS_EXIFTOOL = spawnSync('exiftool', ['-ver'], { encoding: 'utf8' }).status === 0;
/** In CI a missing exiftool fails the tests that need it instead of skipping them. */
export const RUN_EXIFTOOL_TESTS = HAS_EXIFTOOL || Boolean(process.env['CI']);

if (!RUN_EXIFTOOL_TESTS)
  console.warn(
    'xmp: exiftool round-trip tests skipped, exiftool is not installed (apt-get install libimage-exiftool-perl)',
  );

/** Runs exiftool with `args`; throws with exiftool's own words (or how to install it) on failure. */
export function exiftool(args: readonly string[]): string {
  if (!HAS_EXIFTOOL) throw new Error('exiftool is not installed: apt-get install libimage-exiftool-perl');
  return execFileSync('exiftool', [...args], { encoding: 'utf8' });
}

/** exiftool's JSON of one file (`-j` plus `args`), as an object. */
export function exifJson(file: string, args: readonly string[] = []): Record<string, unknown> {
  const out = JSON.parse(exiftool(['-j', ...args, file])) as Array<Record<string, unknown>>;
  return out[0] ?? {};
}

/** Every tag of a sidecar by group (`-a -G1`), less the file-system ones and `except` (e.g. the subjects). */
export function allTags(file: string, except: readonly string[] = []): Record<string, unknown> {
  const json = exifJson(file, ['-a', '-G1', '-struct']);
  return Object.fromEntries(
    Object.entries(json).filter(
      ([k]) =>
        !k.startsWith('System:') && !k.startsWith('ExifTool:') && k !== 'SourceFile' && !except.includes(k),
    ),
  );
}

/** exiftool's dc:subject and lr:hierarchicalSubject of a sidecar, always as lists. */
export function exifSubjects(file: string): { subjects: string[]; hierarchical: string[] } {
  const j = exifJson(file, ['-XMP-dc:Subject', '-XMP-lr:HierarchicalSubject']);
  const list = (v: unknown): string[] =>
    v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
  return { subjects: list(j['Subject']), hierarchical: list(j['HierarchicalSubject']) };
}

/**
 * Makes `dir` refuse new files, even to root (chmod, then the immutable flag where chmod does not bind);
 * returns the undo, or undefined when this machine cannot make a folder read-only.
 */
export function makeReadOnly(dir: string): (() => void) | undefined {
  chmodSync(dir, 0o555);
  if (!canWrite(dir)) return () => chmodSync(dir, 0o755);
  chmodSync(dir, 0o755);
  if (spawnSync('chattr', ['+i', dir]).status === 0) {
    if (!canWrite(dir)) return () => void spawnSync('chattr', ['-i', dir]);
    spawnSync('chattr', ['-i', dir]);
  }
  return undefined;
}

function canWrite(dir: string): boolean {
  try {
    writeFileSync(join(dir, '.probe'), '');
    execFileSync('rm', ['-f', join(dir, '.probe')]);
    return true;
  } catch {
    return false;
  }
}
