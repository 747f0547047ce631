import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mergeSidecarXml, readXmpTerms } from '../../../src/engine/sidecar/xmp-merge.ts';
import { allTags, exifSubjects, exiftool, RUN_EXIFTOOL_TESTS } from '../../helpers/exiftool.ts';

const none = { subjects: [], hierarchical: [] };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'glint-xmp-'));
  dirs.push(d);
  return d;
}

/** A darktable sidecar: attribute-form properties, its edit history in an unknown namespace, a comment. */
const DARKTABLE = `<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <!-- written by darktable 4.6 -->
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:darktable="http://darktable.sf.net/"
    xmlns:acme="http://example.com/acme/1.0/"
   xmp:Rating="4"
   darktable:xmp_version="5"
   darktable:history_end="2"
   acme:secret="keep &amp; me">
   <dc:title>
    <rdf:Alt>
     <rdf:li xml:lang="x-default">Harbour at dusk</rdf:li>
    </rdf:Alt>
   </dc:title>
   <dc:subject>
    <rdf:Bag>
     <rdf:li>harbour</rdf:li>
    </rdf:Bag>
   </dc:subject>
   <darktable:history>
    <rdf:Seq>
     <rdf:li darktable:operation="exposure" darktable:enabled="1" darktable:params="0000000000"/>
     <rdf:li darktable:operation="colorin" darktable:enabled="1" darktable:params="gz48eJzjZBgF"/>
    </rdf:Seq>
   </darktable:history>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
`;

describe('merging keyword terms into XMP', () => {
  it('reads element-form bags, lone literals and attribute-form values', () => {
    expect(readXmpTerms(DARKTABLE)).toEqual({ subjects: ['harbour'], hierarchical: [] });
    const attr = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
      <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" dc:subject="boat"/></rdf:RDF></x:xmpmeta>`;
    expect(readXmpTerms(attr).subjects).toEqual(['boat']);
    const merged = mergeSidecarXml(attr, { subjects: ['sea'], hierarchical: [] }, none);
    expect(readXmpTerms(merged.xml).subjects).toEqual(['boat', 'sea']);
  });

  it('refuses a damaged sidecar instead of rewriting it', () => {
    expect(() =>
      mergeSidecarXml('<x:xmpmeta><rdf:RDF>', { subjects: ['a'], hierarchical: [] }, none),
    ).toThrow(/not well-formed XML/);
    expect(() => mergeSidecarXml('<note>hello</note>', { subjects: ['a'], hierarchical: [] }, none)).toThrow(
      /no XMP metadata/,
    );
  });

  it('leaves the text byte for byte as it was when the terms are already there', () => {
    expect(mergeSidecarXml(DARKTABLE, { subjects: ['Harbour'], hierarchical: [] }, none).xml).toBe(DARKTABLE);
  });

  describe.runIf(RUN_EXIFTOOL_TESTS)('round trips with exiftool', () => {
    it('a fresh sidecar Glint writes is read by exiftool, tag paths included', () => {
      const file = join(tempDir(), 'IMG_1.jpg.xmp');
      const merged = mergeSidecarXml(
        undefined,
        { subjects: ['max', 'Paris', 'café & "bar" <1>'], hierarchical: ['Places|France|Paris'] },
        none,
      );
      writeFileSync(file, merged.xml);
      expect(exifSubjects(file)).toEqual({
        subjects: ['max', 'Paris', 'café & "bar" <1>'],
        hierarchical: ['Places|France|Paris'],
      });
    });

    it('a sidecar exiftool wrote is read by Glint, merged into, and keeps every other field', () => {
      const dir = tempDir();
      const file = join(dir, 'IMG_2.xmp');
      exiftool([
        '-q',
        '-o',
        file,
        '-XMP-dc:Subject=dog',
        '-XMP-dc:Subject=beach',
        '-XMP-lr:HierarchicalSubject=Animals|dog',
        '-XMP-xmp:Rating=3',
        '-XMP-dc:Title=Morning walk',
        '-XMP-dc:Description=Low tide',
        '-XMP-photoshop:City=Porto',
      ]);
      const before = allTags(file, ['XMP-dc:Subject', 'XMP-lr:HierarchicalSubject']);
      const text = readFileSync(file, 'utf8');
      expect(readXmpTerms(text)).toEqual({ subjects: ['dog', 'beach'], hierarchical: ['Animals|dog'] });
      const merged = mergeSidecarXml(text, { subjects: ['Max'], hierarchical: ['Pets|Max'] }, none);
      writeFileSync(file, merged.xml);
      expect(exifSubjects(file)).toEqual({
        subjects: ['dog', 'beach', 'Max'],
        hierarchical: ['Animals|dog', 'Pets|Max'],
      });
      expect(allTags(file, ['XMP-dc:Subject', 'XMP-lr:HierarchicalSubject'])).toEqual(before);
    });

    it("a darktable sidecar keeps its history, rating, title, comment and unknown namespace after Glint's write", () => {
      const file = join(tempDir(), 'IMG_3.NEF.xmp');
      writeFileSync(file, DARKTABLE);
      const before = allTags(file, ['XMP-dc:Subject', 'XMP-lr:HierarchicalSubject']);
      expect(Object.keys(before).some((k) => k.startsWith('XMP-darktable:'))).toBe(true);
      const merged = mergeSidecarXml(DARKTABLE, { subjects: ['boat'], hierarchical: ['Trips|Porto'] }, none);
      writeFileSync(file, merged.xml);
      expect(allTags(file, ['XMP-dc:Subject', 'XMP-lr:HierarchicalSubject'])).toEqual(before);
      expect(exifSubjects(file)).toEqual({ subjects: ['harbour', 'boat'], hierarchical: ['Trips|Porto'] });
      expect(merged.xml).toContain('<!-- written by darktable 4.6 -->');
      expect(merged.xml).toContain('acme:secret="keep &amp; me"');
      expect(merged.xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    });
  });
});
