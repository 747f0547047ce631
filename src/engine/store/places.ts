/**
 * Place names of photos with GPS (city, region, country), stored once per place: set and read per
 * photo, listed with counts, and matched by name for filters and search words.
 */
import type { Store } from './db.ts';

/** A place name as stored (what the reverse geocoder names a point). */
export interface PlaceName {
  city: string;
  /** Null where the data names no region. */
  region: string | null;
  country: string;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
}

/** A place and how many photos were taken there. */
export interface PlaceCount extends PlaceName {
  id: number;
  count: number;
}

interface PlaceRow {
  id: number;
  city: string;
  region: string;
  country: string;
  country_code: string;
}

const toPlace = (r: PlaceRow): PlaceName => ({
  city: r.city,
  region: r.region || null,
  country: r.country,
  countryCode: r.country_code,
});

// NOTE: letters that Unicode does not decompose into a base letter and an accent (ø, ł, ß…), spelled
// the way an English keyboard types them.
const UNDECOMPOSED: Record<string, string> = {
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ħ: 'h',
  ı: 'i',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
};

/**
 * A name folded for comparison: no accents, no case, punctuation and spaces as one space
 * ("Île-de-France" and "ile de france" are the same key, and so are "Łódź" and "Lodz").
 */
export function placeKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[øłđħıßæœþ]/g, (c) => UNDECOMPOSED[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * "Lisbon, Portugal", "Porto, Porto District, Portugal": city, region and country as the UI shows a place,
 * leaving out a region the data does not name and any part that only repeats the one before it (Lisbon's
 * region is "Lisbon", Singapore's country is "Singapore").
 */
export function placeLabel(p: PlaceName): string {
  const parts: string[] = [];
  for (const part of [p.city, p.region, p.country]) {
    if (part && !parts.some((kept) => placeKey(kept) === placeKey(part))) parts.push(part);
  }
  return parts.join(', ');
}

/** The id of a place row, added the first time a photo is taken there. */
export function putPlace(store: Store, p: PlaceName): number {
  const region = p.region ?? '';
  return store
    .stmt(
      `INSERT INTO places(city, region, country, country_code, city_key, region_key, country_key)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(city, region, country_code) DO UPDATE SET country = excluded.country,
         city_key = excluded.city_key, region_key = excluded.region_key, country_key = excluded.country_key
       RETURNING id`,
    )
    .pluck()
    .get(
      p.city,
      region,
      p.country,
      p.countryCode,
      placeKey(p.city),
      placeKey(region),
      placeKey(p.country),
    ) as number;
}

/** Sets (or, with undefined, clears) the place of an item. */
export function setItemPlace(store: Store, itemId: number, place: PlaceName | undefined): void {
  store.tx(() => {
    const placeId = place ? putPlace(store, place) : null;
    store.stmt('UPDATE items SET place_id = ? WHERE id = ?').run(placeId, itemId);
  });
}

/**
 * Sets the places of many items in one transaction, adding each place once (what naming a whole
 * library again uses: a row per photo, a few hundred places).
 */
export function setItemPlaces(
  store: Store,
  entries: ReadonlyArray<{ itemId: number; place: PlaceName | undefined }>,
): void {
  store.tx(() => {
    const ids = new Map<string, number>();
    const update = store.stmt('UPDATE items SET place_id = ? WHERE id = ?');
    for (const { itemId, place } of entries) {
      let placeId: number | null = null;
      if (place) {
        const key = `${place.city}\u0000${place.region ?? ''}\u0000${place.countryCode}`;
        placeId = ids.get(key) ?? putPlace(store, place);
        ids.set(key, placeId);
      }
      update.run(placeId, itemId);
    }
  });
}

/** The place of an item, if it has one. */
export function getItemPlace(store: Store, itemId: number): PlaceName | undefined {
  const r = store
    .stmt(
      `SELECT p.id, p.city, p.region, p.country, p.country_code FROM items i JOIN places p ON p.id = i.place_id
       WHERE i.id = ?`,
    )
    .get(itemId) as PlaceRow | undefined;
  return r && toPlace(r);
}

// A folder removed by the user (undoable for a while) takes its photos out of the library's view, as
// search and status already leave them out.
const PHOTO_ROWS = 'items i JOIN files f ON f.id = i.file_id LEFT JOIN folders fo ON fo.id = f.folder_id';
const SHOWN_PHOTO = "i.kind = 'photo' AND fo.removed_at IS NULL";

/** The places photos were taken at, with their photo counts: most photos first, then by name. */
export function listPlaces(store: Store): PlaceCount[] {
  const rows = store
    .stmt(
      `SELECT p.id, p.city, p.region, p.country, p.country_code, count(*) AS count
       FROM ${PHOTO_ROWS} JOIN places p ON p.id = i.place_id WHERE ${SHOWN_PHOTO}
       GROUP BY p.id ORDER BY count DESC, p.country, p.region, p.city`,
    )
    .all() as Array<PlaceRow & { count: number }>;
  return rows.map((r) => ({ id: r.id, ...toPlace(r), count: r.count }));
}

/**
 * Ids of the places a text names: one name ("Lisbon", "portugal", "Île-de-France") matches every place
 * whose city, region or country it is, whole (accents and case aside); a label ("Lisbon, Portugal",
 * "Lisbon, Lisbon, Portugal") matches the places that every one of its comma-separated names fits.
 * A blank text names no place.
 */
export function placeIdsMatching(store: Store, text: string): number[] {
  const keys = text.split(',').map(placeKey).filter(Boolean);
  if (!keys.length) return [];
  const where = keys.map(() => '? IN (city_key, region_key, country_key)').join(' AND ');
  return store
    .stmt(`SELECT id FROM places WHERE ${where} ORDER BY id`)
    .pluck()
    .all(...keys) as number[];
}

/**
 * Ids of the photos taken at the place a search word names ("lisbon", "Zurich", "japan"; see
 * `placeIdsMatching`), ascending; empty when the word is no place of the library.
 */
export function itemsAtPlace(store: Store, word: string): number[] {
  const places = placeIdsMatching(store, word);
  if (!places.length) return [];
  return store
    .stmt(
      `SELECT i.id FROM ${PHOTO_ROWS}
       WHERE ${SHOWN_PHOTO} AND i.place_id IN (SELECT value FROM json_each(?)) ORDER BY i.id`,
    )
    .pluck()
    .all(JSON.stringify(places)) as number[];
}

// NOTE: the longest place names people type are four words ("Saint Martin de Ré", "New York City").
const MAX_PLACE_WORDS = 4;

/**
 * The places a query names among its words, longest first and left to right ("beach lisbon" names
 * Lisbon; "dog new york city" names New York City, not York), each with its photos as `itemsAtPlace`
 * finds them; words that name no place of the library are left to the rest of the search.
 */
export function placesNamedIn(store: Store, text: string): Array<{ phrase: string; photoIds: number[] }> {
  const words = placeKey(text).split(' ').filter(Boolean);
  if (!words.length) return [];
  const known = new Set(
    store
      .stmt(
        'SELECT city_key FROM places UNION SELECT region_key FROM places UNION SELECT country_key FROM places',
      )
      .pluck()
      .all() as string[],
  );
  const found: Array<{ phrase: string; photoIds: number[] }> = [];
  for (let i = 0; i < words.length;) {
    let n = Math.min(MAX_PLACE_WORDS, words.length - i);
    while (n > 0 && !known.has(words.slice(i, i + n).join(' '))) n--;
    if (n === 0) {
      i++;
      continue;
    }
    const phrase = words.slice(i, i + n).join(' ');
    found.push({ phrase, photoIds: itemsAtPlace(store, phrase) });
    i += n;
  }
  return found;
}

/** The photos with GPS coordinates (what naming places again reads; no image is opened). */
export function photosWithGps(store: Store): Array<{ id: number; lat: number; lon: number }> {
  return store
    .stmt(`SELECT id, lat, lon FROM items WHERE kind = 'photo' AND lat IS NOT NULL AND lon IS NOT NULL`)
    .all() as Array<{ id: number; lat: number; lon: number }>;
}
