/**
 * The one-time re-read (migration REREAD): a library indexed by an older Glint, whose readers kept XML
 * entities, camera placeholders as captions and whole notes as one chunk, is read again at the next pass,
 * keeping everything the user made. The old rows are written as the old version wrote them: the same
 * encoder and head embedding and hashing the old texts, over real files on disk.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type EngineEvent } from '../../../src/engine/engine.ts';
import { activeHeadOf } from '../../../src/engine/hash/active-head.ts';
import { codeToWords } from '../../../src/engine/hash/bits.ts';
import { libraryPaths } from '../../../src/engine/library-paths.ts';
import {
  SCHEMA_VERSION,
  getEmbedding,
  getFileByPath,
  listFileItems,
  listItemTags,
  openStore,
  type ItemRecord,
  type Store,
} from '../../../src/engine/store/index.ts';
import { EncoderClient } from '../../../src/engine/worker/encoder-client.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../../helpers/shared-data.ts';
import { tinyModels } from '../../helpers/standin-models.ts';

const EXIFTOOL = '/usr/bin/exiftool';
const HEADING = 'Brittany, July 2019';
const SCENES = [
  'Rex ran along the beach at low tide, chasing the gulls until he was soaked.',
  'In the evening we ate crêpes in the old town of Saint-Malo, under the ramparts.',
];
const NOTE = `# ${HEADING}\n\n${SCENES.join('\n\n')}\n`;
const TRIP = 'Day one: the train to Porto.\n\nDay two: the bridge at dusk.\n';
const XMP = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Grandma&#39;s kitchen &amp; garden</rdf:li></rdf:Alt></dc:description>
<dc:subject><rdf:Bag><rdf:li>R&amp;D</rdf:li></rdf:Bag></dc:subject>
</rdf:Description></rdf:RDF></x:xmpmeta>`;

describe.skipIf(!HAS_SHARED_DATA || !existsSync(EXIFTOOL))(
  'the one-time re-read of a library indexed by older readers (tiny stand-in CLIP, real files; needs ../shared/data and exiftool)',
  () => {
    const root = mkdtempSync(join(tmpdir(), 'glint-reread-'));
    const photos = join(root, 'photos');
    const notes = join(root, 'notes');
    const trip = join(root, 'trip');
    const away = join(root, 'trip-unplugged');
    const library = join(root, 'library');
    const kitchen = join(photos, 'kitchen.jpg');
    const scan = join(photos, 'scan.tif');
    const [first, second] = photoManifest();
    let modelsDir: string;
    let engine: Engine | undefined;
    let kitchenPhoto: ItemRecord;
    let kitchenEmbedding: Float32Array;

    const itemsOf = (store: Store, path: string): ItemRecord[] => {
      const file = getFileByPath(store, path);
      expect(file, path).toBeDefined();
      return listFileItems(store, file!.id);
    };
    const reading = <T>(read: (store: Store) => T): T => {
      const store = openStore(libraryPaths(library).db, { readonly: true });
      try {
        return read(store);
      } finally {
        store.close();
      }
    };
    const indexWithProgress = async (): Promise<{ queued: number; processed: number; done: number[] }> => {
      const done: number[] = [];
      const off = engine!.on((e: EngineEvent) => {
        if (e.type === 'progress') done.push(e.done);
      });
      const summary = await engine!.ingest.index();
      off();
      expect(summary.failed).toBe(0);
      return { queued: summary.queued, processed: summary.processed, done };
    };

    /** Rewrites the library as the readers before REREAD left it, with the schema version before it. */
    async function writeOldRows(): Promise<void> {
      const paths = libraryPaths(library);
      const store = openStore(paths.db);
      const encoder = new EncoderClient();
      try {
        const { modelId } = await encoder.init(modelsDir, 'cpu');
        const head = activeHeadOf(store, modelId)!;
        const old = [
          { path: kitchen, kind: 'caption', text: 'Grandma&#39;s kitchen &amp; garden' },
          { path: scan, kind: 'caption', text: 'AppleMark' },
          { path: join(notes, 'brittany.md'), kind: 'note_chunk', text: NOTE },
          { path: join(trip, 'porto.md'), kind: 'note_chunk', text: TRIP },
        ] as const;
        const { embeddings, codes } = await encoder.texts(
          old.map((o) => o.text),
          head.dir,
        );
        const dim = embeddings.length / old.length;
        store.tx(() => {
          for (const [i, o] of old.entries()) {
            const fileId = getFileByPath(store, o.path)!.id;
            // The old caption reader made a caption of whatever the file said; the old chunker one chunk per note.
            store.db.prepare("DELETE FROM items WHERE file_id = ? AND kind != 'photo'").run(fileId);
            const id = Number(
              store.db
                .prepare(
                  'INSERT INTO items(file_id, kind, modality, text, char_start, char_end) VALUES (?, ?, ?, ?, 0, ?)',
                )
                .run(fileId, o.kind, 'text', o.text, o.text.length).lastInsertRowid,
            );
            store.db
              .prepare('INSERT INTO embeddings(item_id, model_id, vector) VALUES (?, ?, ?)')
              .run(id, modelId, Buffer.from(embeddings.slice(i * dim, (i + 1) * dim).buffer));
            const [w0, w1] = codeToWords(codes!, head.bits, i);
            store.db
              .prepare('INSERT INTO codes(head_id, item_id, w0, w1) VALUES (?, ?, ?, ?)')
              .run(head.id, id, w0, w1 ?? null);
          }
          // The old XMP reader kept the keyword's entity.
          const photoId = listFileItems(store, getFileByPath(store, kitchen)!.id).find(
            (i) => i.kind === 'photo',
          )!.id;
          store.db.prepare("DELETE FROM item_tags WHERE item_id = ? AND source = 'xmp'").run(photoId);
          store.db.prepare("INSERT INTO tags(name) VALUES ('R&amp;D')").run();
          store.db
            .prepare(
              "INSERT INTO item_tags(item_id, tag_id, source) SELECT ?, id, 'xmp' FROM tags WHERE name = 'R&amp;D'",
            )
            .run(photoId);
        });
      } finally {
        await encoder.close();
        store.close();
      }
      // The schema of the version before REREAD.
      const db = new Database(paths.db);
      db.exec('ALTER TABLE files DROP COLUMN reread');
      db.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
      db.close();
    }

    beforeAll(async () => {
      mkdirSync(photos);
      mkdirSync(notes);
      mkdirSync(trip);
      copyFileSync(join(PHOTOS_DIR, first!.file), kitchen);
      writeFileSync(`${kitchen}.xmp`, XMP);
      await sharp(join(PHOTOS_DIR, second!.file)).tiff().toFile(scan);
      execFileSync(EXIFTOOL, ['-q', '-overwrite_original', '-IFD0:ImageDescription=AppleMark', scan]);
      writeFileSync(join(notes, 'brittany.md'), NOTE);
      writeFileSync(join(trip, 'porto.md'), TRIP);
      modelsDir = await tinyModels(join(root, 'models'));

      // Indexed, tagged by the user (a tag and a rejected suggestion), then rewritten as the old readers left it.
      engine = await Engine.open({ libraryDir: library, modelsDir, bits: 64 });
      expect((await engine.ingest.index([photos, notes, trip])).failed).toBe(0);
      const store = openStore(libraryPaths(library).db, { readonly: true });
      kitchenPhoto = itemsOf(store, kitchen).find((i) => i.kind === 'photo')!;
      kitchenEmbedding = getEmbedding(store, kitchenPhoto.id, engine.modelId)!;
      store.close();
      expect(engine.tags.add([kitchenPhoto.id], 'Grandma')).toBe(1);
      await engine.close();
      engine = undefined;
      await writeOldRows();
      const db = new Database(libraryPaths(library).db);
      db.prepare(
        `INSERT INTO tag_suggestions(item_id, tag_id, score, status, head_id, decided_at)
         SELECT ?, t.id, 0.8, 'rejected', h.id, 1 FROM tags t, heads h WHERE t.name = 'Grandma' AND h.active = 1`,
      ).run(kitchenPhoto.id);
      db.close();
      // The trip notes' drive is unplugged when the new Glint first opens the library.
      renameSync(trip, away);
    }, 180_000);

    afterAll(async () => {
      await engine?.close();
      rmSync(root, { recursive: true, force: true });
    });

    it('the old rows are what the issue describes, in a library one schema version behind', () => {
      const db = new Database(libraryPaths(library).db, { readonly: true });
      const texts = (path: string): unknown[] =>
        db
          .prepare(
            "SELECT i.text FROM items i JOIN files f ON f.id = i.file_id WHERE f.path = ? AND i.kind != 'photo'",
          )
          .pluck()
          .all(path);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION - 1);
      expect(texts(kitchen)).toEqual(['Grandma&#39;s kitchen &amp; garden']);
      expect(texts(scan)).toEqual(['AppleMark']);
      expect(texts(join(notes, 'brittany.md'))).toEqual([NOTE]);
      db.close();
    });

    it('reads every file on disk again at the next pass, with progress, and keeps what the user made', async () => {
      engine = await Engine.open({ libraryDir: library, modelsDir, bits: 64 });
      const pass = await indexWithProgress();
      // kitchen.jpg, scan.tif and brittany.md; the unplugged trip folder's note is not queued.
      expect(pass.queued).toBe(3);
      expect(pass.processed).toBe(3);
      expect(pass.done).toEqual([1, 2, 3]);
      reading((store) => {
        const items = itemsOf(store, kitchen);
        const photo = items.find((i) => i.kind === 'photo')!;
        // The same photo item: its embedding was not recomputed, its user tag and suggestion stayed.
        expect(photo.id).toBe(kitchenPhoto.id);
        expect(getEmbedding(store, photo.id, engine!.modelId)).toEqual(kitchenEmbedding);
        expect(items.find((i) => i.kind === 'caption')?.text).toBe("Grandma's kitchen & garden");
        expect(listItemTags(store, photo.id)).toEqual([
          { name: 'Grandma', source: 'user' },
          { name: 'R&D', source: 'xmp' },
        ]);
        expect(
          store.db
            .prepare(
              'SELECT t.name, s.status FROM tag_suggestions s JOIN tags t ON t.id = s.tag_id WHERE item_id = ?',
            )
            .all(photo.id),
        ).toEqual([{ name: 'Grandma', status: 'rejected' }]);
        // A caption with a search code, findable by text.
        const caption = items.find((i) => i.kind === 'caption')!;
        expect(store.db.prepare('SELECT count(*) FROM codes WHERE item_id = ?').pluck().get(caption.id)).toBe(
          1,
        );
        expect(itemsOf(store, scan).map((i) => i.kind)).toEqual(['photo']);
        expect(itemsOf(store, join(notes, 'brittany.md')).map((i) => i.text)).toEqual(SCENES);
        // The unplugged note is kept as it was, not deleted.
        expect(itemsOf(store, join(trip, 'porto.md')).map((i) => i.text)).toEqual([TRIP]);
      });
    }, 120_000);

    it('is done once: the next pass reads nothing again; the unplugged note is read when its drive is back', async () => {
      expect((await indexWithProgress()).queued).toBe(0);
      renameSync(away, trip);
      const back = await indexWithProgress();
      expect(back.queued).toBe(1);
      reading((store) => {
        expect(itemsOf(store, join(trip, 'porto.md')).map((i) => i.text)).toEqual([
          'Day one: the train to Porto.',
          'Day two: the bridge at dusk.',
        ]);
      });
      expect((await indexWithProgress()).queued).toBe(0);
    }, 120_000);

    it('reads a sidecar edited outside Glint in place too: same photo, same embedding, decisions kept', async () => {
      // Written after the last pass, as another app would: its mtime is newer than the photo's indexing.
      await new Promise((r) => setTimeout(r, 20));
      writeFileSync(
        `${kitchen}.xmp`,
        XMP.replace('<rdf:li>R&amp;D</rdf:li>', '<rdf:li>Sunday lunch</rdf:li>'),
      );
      const pass = await indexWithProgress();
      expect(pass.queued).toBe(1);
      reading((store) => {
        const photo = itemsOf(store, kitchen).find((i) => i.kind === 'photo')!;
        expect(photo.id).toBe(kitchenPhoto.id);
        expect(getEmbedding(store, photo.id, engine!.modelId)).toEqual(kitchenEmbedding);
        expect(listItemTags(store, photo.id)).toEqual([
          { name: 'Grandma', source: 'user' },
          { name: 'Sunday lunch', source: 'xmp' },
        ]);
        expect(
          store.db
            .prepare(
              'SELECT t.name, s.status FROM tag_suggestions s JOIN tags t ON t.id = s.tag_id WHERE item_id = ?',
            )
            .all(photo.id),
        ).toEqual([{ name: 'Grandma', status: 'rejected' }]);
      });
      expect((await indexWithProgress()).queued).toBe(0);
    }, 120_000);
  },
);
