import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClipEncoders } from '../../../src/engine/clip/encoders.ts';
import { resolveModelFolder } from '../../../src/engine/clip/model-folder.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { libraryPaths } from '../../../src/engine/library-paths.ts';
import {
  getEmbedding,
  getFileByPath,
  listFileItems,
  listItemTags,
  openStore,
  type ItemRecord,
  type Store,
} from '../../../src/engine/store/index.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../../helpers/shared-data.ts';
import { tinyModels } from '../../helpers/standin-models.ts';

const HEADING = 'Brittany, July 2019';
const SCENES = [
  'Rex ran along the beach at low tide, chasing the gulls until he was soaked.',
  'In the evening we ate crêpes in the old town of Saint-Malo, under the ramparts.',
  'Next morning the ferry left for Jersey in thick fog, and Anna was seasick.',
];
const EXIFTOOL = '/usr/bin/exiftool';
const HAS_EXIFTOOL = existsSync(EXIFTOOL);
const exiftool = (args: string[], path: string): void => {
  execFileSync(EXIFTOOL, ['-q', '-overwrite_original', ...args, path]);
};
const LONG = 'The path follows the cliffs past the lighthouse and down to the cove. '.repeat(12).trim();

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

describe.skipIf(!HAS_SHARED_DATA)(
  'JobProcessor through the engine (tiny stand-in CLIP, real photos and files; needs ../shared/data)',
  () => {
    const root = mkdtempSync(join(tmpdir(), 'glint-job-processor-'));
    const photos = join(root, 'photos');
    const notes = join(root, 'notes');
    const library = join(root, 'library');
    const [first, second, third] = photoManifest();
    let engine: Engine;
    let store: Store;
    let modelsDir: string;

    const itemsOf = (path: string): ItemRecord[] => {
      const file = getFileByPath(store, path);
      expect(file, path).toBeDefined();
      return listFileItems(store, file!.id);
    };

    beforeAll(async () => {
      mkdirSync(photos);
      mkdirSync(notes);
      writeFileSync(join(notes, 'brittany.md'), `# ${HEADING}\n\n${SCENES.join('\n\n')}\n`);
      writeFileSync(join(notes, 'cliffs.txt'), `${LONG}\n`);

      // A sidecar written the way Lightroom writes it: apostrophe and ampersand as references.
      copyFileSync(join(PHOTOS_DIR, first!.file), join(photos, 'kitchen.jpg'));
      writeFileSync(
        join(photos, 'kitchen.jpg.xmp'),
        `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Grandma&#39;s kitchen &amp; garden</rdf:li></rdf:Alt></dc:description>
<dc:subject><rdf:Bag><rdf:li>R&amp;D</rdf:li></rdf:Bag></dc:subject>
</rdf:Description></rdf:RDF></x:xmpmeta>`,
      );
      // A scan saved by Apple software: "AppleMark" in the TIFF's ImageDescription (sharp writes no
      // EXIF into a TIFF; exiftool does, as the real software does).
      await sharp(join(PHOTOS_DIR, second!.file)).tiff().toFile(join(photos, 'scan.tif'));
      // An IPTC caption a web tool HTML-escaped.
      copyFileSync(join(PHOTOS_DIR, third!.file), join(photos, 'cafe.jpg'));
      if (HAS_EXIFTOOL) {
        exiftool(['-IFD0:ImageDescription=AppleMark'], join(photos, 'scan.tif'));
        exiftool(
          [
            '-charset',
            'iptc=UTF8',
            '-IPTC:CodedCharacterSet=UTF8',
            '-IPTC:Caption-Abstract=Caf&eacute; &amp; bar on the corner',
          ],
          join(photos, 'cafe.jpg'),
        );
      }

      modelsDir = await tinyModels(join(root, 'models'));
      engine = await Engine.open({ libraryDir: library, modelsDir, bits: 64 });
      const summary = await engine.ingest.index([photos, notes]);
      expect(summary.failed).toBe(0);
      // A reader beside the writer (WAL), as the design allows.
      store = openStore(libraryPaths(library).db, { readonly: true });
    }, 120_000);

    afterAll(async () => {
      store?.close();
      await engine?.close();
      rmSync(root, { recursive: true, force: true });
    });

    it('stores one item per paragraph of a note about two scenes, each showing its paragraph', () => {
      const items = itemsOf(join(notes, 'brittany.md'));
      expect(items.map((i) => [i.kind, i.text])).toEqual(SCENES.map((s) => ['note_chunk', s]));
      const text = `# ${HEADING}\n\n${SCENES.join('\n\n')}\n`;
      for (const i of items) expect(text.slice(i.charStart!, i.charEnd!)).toBe(i.text);
    });

    it('embeds each paragraph with its heading: the stored embedding is that of "heading — paragraph"', async () => {
      const reference = await ClipEncoders.load(resolveModelFolder(modelsDir));
      const withHeading = await reference.encodeTexts(SCENES.map((s) => `${HEADING} — ${s}`));
      const alone = await reference.encodeTexts(SCENES);
      const dim = withHeading.length / SCENES.length;
      const row = (m: Float32Array, i: number): Float32Array => m.subarray(i * dim, (i + 1) * dim);
      for (const [i, item] of itemsOf(join(notes, 'brittany.md')).entries()) {
        const stored = getEmbedding(store, item.id, engine.modelId);
        expect(stored).toBeDefined();
        expect(cosine(stored!, row(withHeading, i))).toBeGreaterThan(0.99999);
        expect(cosine(stored!, row(alone, i))).toBeLessThan(0.9999);
      }
    });

    it('splits an over-long paragraph into pieces within the window, covering all of it', () => {
      const items = itemsOf(join(notes, 'cliffs.txt'));
      expect(items.length).toBeGreaterThan(1);
      expect(items.map((i) => i.text).join(' ')).toBe(LONG);
    });

    it('finds a scene’s paragraph on its own, not the note as one block', async () => {
      const found = await engine.search.query({ terms: [{ text: SCENES[1]! }], notes: 1, photos: 0 });
      const [top] = engine.search.describe(found.notes);
      expect(top?.text).toBe(SCENES[1]);
    });

    it('stores the sidecar description and keyword with their references decoded', () => {
      const items = itemsOf(join(photos, 'kitchen.jpg'));
      expect(items.find((i) => i.kind === 'caption')?.text).toBe("Grandma's kitchen & garden");
      const photo = items.find((i) => i.kind === 'photo')!;
      expect(listItemTags(store, photo.id)).toEqual([{ name: 'R&D', source: 'xmp' }]);
    });

    it.runIf(HAS_EXIFTOOL)('makes no caption item of "AppleMark" in a TIFF', async () => {
      const scan = join(photos, 'scan.tif');
      expect(execFileSync(EXIFTOOL, ['-s3', '-ImageDescription', scan], { encoding: 'utf8' }).trim()).toBe(
        'AppleMark',
      );
      expect(itemsOf(scan).map((i) => i.kind)).toEqual(['photo']);
    });

    it.runIf(HAS_EXIFTOOL)('stores an HTML-escaped IPTC caption decoded', () => {
      const items = itemsOf(join(photos, 'cafe.jpg'));
      expect(items.find((i) => i.kind === 'caption')?.text).toBe('Café & bar on the corner');
    });
  },
);
