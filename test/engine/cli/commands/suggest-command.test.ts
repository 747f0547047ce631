/** `glint suggest` through a real glint process, on a library with planted structure (tiny stand-in CLIP). */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SuggestionQuality, SuggestionView } from '../../../../src/contract/api.ts';
import { glint, json } from '../../../helpers/glint-cli.ts';
import { openPlantedLibrary, type PlantedPhoto } from '../../../helpers/planted-library.ts';
import { HAS_SHARED_DATA } from '../../../helpers/shared-data.ts';

interface Listing {
  suggestions: Array<SuggestionView & { path: string }>;
  total: number;
  quality: SuggestionQuality;
}

describe.runIf(HAS_SHARED_DATA)('glint suggest (a real glint process)', () => {
  let root: string;
  let base: string[];
  let photos: PlantedPhoto[];
  const groups = [
    { tag: 'max', tagged: 6, untagged: 2 },
    { tag: 'beach', tagged: 6, untagged: 2 },
  ];
  beforeAll(async () => {
    const fx = await openPlantedLibrary(groups, { seed: 9 });
    root = fx.root;
    photos = fx.photos;
    // The CLI takes the library's write lock: the test's engine lets go first.
    await fx.engine.close();
    base = ['--library', join(root, 'library'), '--models', join(root, 'models')];
  }, 120_000);
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('lists the untagged photos’ suggestions with ids, confidence and paths, and the quality in words', () => {
    const r = glint([...base, 'suggest']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ 1 {2}very likely 0\.9\d {2}max +\/planted\/max-6\.jpg/);
    expect(r.stdout).toMatch(/4 suggestions \((max 2, beach 2|beach 2, max 2)\)/);
    expect(r.stdout).toMatch(
      /Suggestions were right 10 times in 10 on photos you had already tagged \(12 of 12\)/,
    );
    const listed = json<Listing>(glint([...base, '--json', 'suggest']));
    const untagged = photos.filter((p) => !p.tagged).map((p) => p.itemId);
    expect(listed.suggestions.map((s) => s.itemId).sort()).toEqual(untagged.sort());
  });

  it('accepts and rejects by id, and a decided id is not decided twice', () => {
    const listed = json<Listing>(glint([...base, '--json', 'suggest']));
    const [a, b] = listed.suggestions;
    const r = json<{ accepted: number; rejected: number }>(
      glint([...base, '--json', 'suggest', '--accept', String(a!.id), '--reject', String(b!.id)]),
    );
    expect(r).toMatchObject({ accepted: 1, rejected: 1 });
    const again = glint([...base, 'suggest', '--accept', String(a!.id)]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/1 of the ids named were not pending suggestions/);
    const after = json<Listing>(glint([...base, '--json', 'suggest']));
    expect(after.suggestions.map((s) => s.id)).not.toContain(a!.id);
    expect(after.suggestions.map((s) => s.id)).not.toContain(b!.id);
    expect(after.total).toBe(2);
    const tags = glint([...base, '--json', 'tag', 'add', a!.path, a!.tag]);
    // The accepted suggestion is a user tag on the photo already.
    expect(json<{ tags: Array<{ name: string; source: string }> }>(tags).tags).toContainEqual({
      name: a!.tag,
      source: 'user',
    });
  });

  it('evaluates on the tagged photos in words, and refuses a bad id in words', () => {
    const e = glint([...base, 'suggest', '--evaluate']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/right 10 times in 10/);
    expect(e.stdout).toMatch(
      /held out 1[2-9] tagged photos one at a time; threshold \d\.\d\d; precision 100\.0 %/,
    );
    const bad = glint([...base, 'suggest', '--accept', 'seven']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--accept takes suggestion ids as listed by `glint suggest` \(got "seven"\)/);
  });
});
