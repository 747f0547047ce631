/**
 * `glint tag rename|merge|delete|undo|history` through real `glint` processes on a library indexed from
 * real photos: hierarchical renames, merges, a delete that asks first, and undo from a later process.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../../src/engine/cli/exit-codes.ts';
import { Engine } from '../../../../src/engine/engine.ts';
import { openStore } from '../../../../src/engine/store/index.ts';
import { listTagSummaries } from '../../../../src/engine/store/bulk-tags.ts';
import { glint, json } from '../../../helpers/glint-cli.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../../../helpers/shared-data.ts';
import { tinyModels } from '../../../helpers/standin-models.ts';

interface ChangeJson {
  ok: boolean;
  token: number;
  kind: string;
  summary: string;
  photos: number;
  metadataKept: number;
  merged?: boolean;
}

describe.skipIf(!HAS_SHARED_DATA)(
  'glint tag rename|merge|delete|undo (real photos; tiny stand-in CLIP)',
  () => {
    const root = mkdtempSync(join(tmpdir(), 'glint-tag-cli-'));
    const photos = join(root, 'photos');
    const library = join(root, 'library');
    let base: string[];
    const files = photoManifest()
      .slice(0, 3)
      .map((p) => join(photos, p.file)) as [string, string, string];

    /** The library's tags with their photo counts, read from its database after the glint runs. */
    function tags(): Array<[string, number]> {
      const store = openStore(join(library, 'glint.db'));
      try {
        return listTagSummaries(store)
          .map((t): [string, number] => [t.name, t.count])
          .sort((a, b) => a[0].localeCompare(b[0]));
      } finally {
        store.close();
      }
    }

    beforeAll(async () => {
      mkdirSync(photos);
      for (const f of photoManifest().slice(0, 3))
        copyFileSync(join(PHOTOS_DIR, f.file), join(photos, f.file));
      const models = await tinyModels(join(root, 'models'));
      const engine = await Engine.open({ libraryDir: library, modelsDir: models, bits: 64 });
      await engine.ingest.index([photos]);
      await engine.close();
      base = ['--library', library, '--models', models];
      for (const f of files.slice(0, 2))
        expect(glint([...base, 'tag', 'add', f, 'Places/Lisbon']).code).toBe(0);
      expect(glint([...base, 'tag', 'add', files[2], 'Places']).code).toBe(0);
    }, 180_000);

    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('renames a parent with its children and undoes it in a later process', () => {
      const r = json<ChangeJson>(glint([...base, '--json', 'tag', 'rename', 'Places', 'Travel']));
      expect(r).toMatchObject({ ok: true, kind: 'rename', photos: 3, merged: false, metadataKept: 0 });
      expect(tags()).toEqual([
        ['Travel', 1],
        ['Travel/Lisbon', 2],
      ]);
      const undo = glint([...base, 'tag', 'undo', String(r.token)]);
      expect(undo.code).toBe(0);
      expect(undo.stdout).toContain('Undid: Renamed “Places” to “Travel” (3 photos changed).');
      expect(tags()).toEqual([
        ['Places', 1],
        ['Places/Lisbon', 2],
      ]);
    });

    it('merges tags into one, says so, and prints how to undo', () => {
      const m = glint([...base, 'tag', 'merge', 'Places/Lisbon', 'Places', '--into', 'Trips']);
      expect(m.code).toBe(0);
      expect(m.stdout).toMatch(
        /^Merged “Places\/Lisbon”, “Places” into “Trips” \(3 photos changed\)\.\nUndo with: glint tag undo \d+\n$/,
      );
      expect(tags()).toEqual([['Trips', 3]]);
      // Renaming onto a name in use is a merge, and says so.
      expect(glint([...base, 'tag', 'add', files[0], 'trip']).code).toBe(0);
      const r = json<ChangeJson>(glint([...base, '--json', 'tag', 'rename', 'trip', 'Trips']));
      expect(r).toMatchObject({ kind: 'merge', merged: true, summary: 'Merged “trip” into “Trips”' });
      expect(glint([...base, 'tag', 'undo']).code).toBe(0);
      expect(glint([...base, 'tag', 'undo']).code).toBe(0);
      expect(tags()).toEqual([
        ['Places', 1],
        ['Places/Lisbon', 2],
        ['trip', 1],
      ]);
      expect(glint([...base, 'tag', 'remove', files[0], 'trip']).code).toBe(0);
    });

    it('asks before deleting (refusing without a terminal unless --yes), then undoes the delete', () => {
      const asked = glint([...base, 'tag', 'delete', 'Places']);
      expect(asked.code).toBe(EXIT.usage);
      expect(asked.stderr).toContain(
        'Delete your tag “Places” and 1 tag(s) below it from 3 photo(s)? Add --yes to do it without asking (nothing was changed).',
      );
      expect(tags()).toHaveLength(2);
      const del = glint([...base, 'tag', 'delete', 'Places', '--yes']);
      expect(del.code).toBe(0);
      expect(del.stdout).toMatch(
        /Deleted “Places” from 3 photos \(3 photos changed\)\.\nUndo with: glint tag undo (\d+)/,
      );
      expect(tags()).toEqual([]);
      const history = json<{ changes: Array<{ token: number; summary: string }> }>(
        glint([...base, '--json', 'tag', 'history']),
      );
      expect(history.changes[0]?.summary).toBe('Deleted “Places” from 3 photos');
      expect(glint([...base, 'tag', 'undo', String(history.changes[0]?.token)]).code).toBe(0);
      expect(tags()).toEqual([
        ['Places', 1],
        ['Places/Lisbon', 2],
      ]);
    });

    it('refuses unknown tags, bad change numbers and changes already undone in words', () => {
      const unknown = glint([...base, 'tag', 'rename', 'Nowhere', 'x']);
      expect(unknown.code).toBe(EXIT.notFound);
      expect(unknown.stderr).toContain('No photo has the tag “Nowhere”.');
      const bad = glint([...base, 'tag', 'undo', 'last']);
      expect(bad.code).toBe(EXIT.usage);
      expect(bad.stderr).toContain('“last” is not a change number');
      const done = glint([...base, 'tag', 'undo', '1']);
      expect(done.code).toBe(EXIT.notFound);
      expect(done.stderr).toContain('Tag change 1 cannot be undone: it was undone already');
    });
  },
);
