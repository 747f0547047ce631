/**
 * Planted photos for suggestion and feedback tests, written through the store modules only: photos grouped
 * around a few random 64-bit codes (each member a few bits from its group's centre), with image embeddings
 * near a group direction; the tagged ones carry their group's tag as a metadata keyword.
 */
import * as S from '../../src/engine/store/index.ts';

/** One planted group: `tagged` photos carry `tag` (as a metadata keyword), `untagged` carry nothing. */
export interface PlantedGroup {
  tag: string;
  tagged: number;
  untagged: number;
}

/** The planted photos, by group. */
export interface PlantedPhoto {
  itemId: number;
  group: number;
  tagged: boolean;
}

/** A seeded generator (mulberry32). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes the groups' photos into `store` under head `headId` and model `modelId` (embedding dim `dim`). */
export function plantPhotos(
  store: S.Store,
  p: { headId: string; modelId: string; dim: number; groups: PlantedGroup[]; flips?: number; seed?: number },
): PlantedPhoto[] {
  const r = seeded(p.seed ?? 1);
  const folder = S.addFolder(store, '/planted');
  const out: PlantedPhoto[] = [];
  p.groups.forEach((g, gi) => {
    const centre = BigInt.asUintN(32, BigInt(Math.floor(r() * 2 ** 32))) << 32n;
    const low = BigInt(Math.floor(r() * 2 ** 32));
    const base = centre | low;
    const direction = Float32Array.from({ length: p.dim }, () => r() - 0.5);
    for (let m = 0; m < g.tagged + g.untagged; m++) {
      let code = base;
      for (let f = 0; f < (p.flips ?? 3); f++) code ^= 1n << BigInt(Math.floor(r() * 64));
      const fileId = S.upsertFile(store, {
        path: `/planted/${g.tag}-${m}.jpg`,
        folderId: folder.id,
        kind: 'photo',
        size: 1,
        mtimeMs: 1,
        hash: `${g.tag}-${m}`,
      });
      const [itemId] = S.replaceFileItems(store, fileId, [{ kind: 'photo', modality: 'image' }]) as [number];
      S.putCodes(store, p.headId, [{ itemId, words: [BigInt.asIntN(64, code)] }]);
      const vector = direction.map((x) => x + (r() - 0.5) * 0.1);
      S.putEmbeddings(store, p.modelId, [{ itemId, vector }]);
      const tagged = m < g.tagged;
      if (tagged) S.addItemTag(store, itemId, g.tag, 'xmp');
      out.push({ itemId, group: gi, tagged });
    }
  });
  return out;
}
