import type { PhotoMetadata } from './metadata.ts';

/** Splits a photo's metadata keywords by source, as the store records them. */
export function keywordsBySource(meta: PhotoMetadata): { xmp: string[]; iptc: string[] } {
  return {
    xmp: meta.keywords.filter((k) => k.source === 'xmp').map((k) => k.name),
    iptc: meta.keywords.filter((k) => k.source === 'iptc').map((k) => k.name),
  };
}
