/**
 * Places for photos indexed before Glint named places: a library at the schema before the places
 * migration gains its table and column on open, and the first backfill names its GPS photos from the
 * coordinates in the store, once per place data set.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  PLACES_DATA_SETTING,
  backfillPlaces,
  geonamesNamer,
  type PlaceNamer,
} from '../../../src/engine/places/backfill.ts';
import { MIGRATIONS } from '../../../src/engine/store/migrations.ts';
import {
  SCHEMA_VERSION,
  getItemPlace,
  getJsonSetting,
  listPlaces,
  type Store,
} from '../../../src/engine/store/index.ts';
import { open, tempDir } from '../store/helpers.ts';

// NOTE: found by content, not position: the capture-dates migration may sit before or after it.
const PLACES_MIGRATION = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE places'));

/** Photos at Lisbon, Tokyo and at sea, and one without GPS, in a library written before places. */
function libraryBeforePlaces(): { file: string; ids: Record<'lisbon' | 'tokyo' | 'sea' | 'none', number> } {
  const file = join(tempDir(), 'library.db');
  const db = new Database(file);
  for (const sql of MIGRATIONS.slice(0, PLACES_MIGRATION)) db.exec(sql);
  db.pragma(`user_version = ${PLACES_MIGRATION}`);
  const photo = (name: string, lat: number | null, lon: number | null): number => {
    const fileId = db
      .prepare("INSERT INTO files(path, kind) VALUES (?, 'photo')")
      .run(`/p/${name}`).lastInsertRowid;
    return Number(
      db
        .prepare(
          "INSERT INTO items(file_id, kind, modality, char_start, lat, lon) VALUES (?, 'photo', 'image', 0, ?, ?)",
        )
        .run(fileId, lat, lon).lastInsertRowid,
    );
  };
  const ids = {
    lisbon: photo('lisbon.jpg', 38.7075, -9.1364),
    tokyo: photo('tokyo.jpg', 35.6595, 139.7005),
    sea: photo('sea.jpg', 30, -40),
    none: photo('none.jpg', null, null),
  };
  db.close();
  return { file, ids };
}

/** A namer that counts its lookups and names every point after one city. */
function countingNamer(id: string): PlaceNamer & { calls: number } {
  const namer = {
    id,
    calls: 0,
    placeAt: () => {
      namer.calls++;
      return { city: 'Testville', region: null, country: 'Nowhere', countryCode: 'QX' };
    },
  };
  return namer;
}

const columns = (store: Store, table: string): string[] =>
  (store.db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);

describe('the places migration', () => {
  it('adds the places table and an indexed place column to a library written before it', () => {
    expect(PLACES_MIGRATION).toBeGreaterThan(0);
    const { file, ids } = libraryBeforePlaces();
    const store = open(file);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(columns(store, 'places')).toEqual([
      'id',
      'city',
      'region',
      'country',
      'country_code',
      'city_key',
      'region_key',
      'country_key',
    ]);
    expect(columns(store, 'items')).toContain('place_id');
    const plan = store.db
      .prepare('EXPLAIN QUERY PLAN SELECT id FROM items WHERE place_id IN (1, 2)')
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toContain('items_place');
    expect(getItemPlace(store, ids.lisbon)).toBeUndefined();
  });
});

describe('backfillPlaces', () => {
  it('names the GPS photos of an older library from their stored coordinates, once', () => {
    const { file, ids } = libraryBeforePlaces();
    const store = open(file);
    const namer = geonamesNamer();
    expect(backfillPlaces(store, namer)).toBe(3);
    expect(getItemPlace(store, ids.lisbon)).toEqual({
      city: 'Lisbon',
      region: 'Lisbon',
      country: 'Portugal',
      countryCode: 'PT',
    });
    expect(getItemPlace(store, ids.tokyo)?.city).toBe('Tokyo');
    expect(getItemPlace(store, ids.sea)).toBeUndefined();
    expect(getItemPlace(store, ids.none)).toBeUndefined();
    expect(listPlaces(store).map((p) => [p.city, p.count])).toEqual([
      ['Tokyo', 1],
      ['Lisbon', 1],
    ]);
    expect(getJsonSetting(store, PLACES_DATA_SETTING, null)).toBe(namer.id);
    // Current now: the next open looks nothing up.
    expect(backfillPlaces(store, namer)).toBe(0);
  });

  it('names every GPS photo again under other place data, replacing the old names', () => {
    const { file, ids } = libraryBeforePlaces();
    const store = open(file);
    backfillPlaces(store, geonamesNamer());
    const newer = countingNamer('newer-data');
    expect(backfillPlaces(store, newer)).toBe(3);
    expect(newer.calls).toBe(3);
    expect(getItemPlace(store, ids.lisbon)?.city).toBe('Testville');
    expect(getItemPlace(store, ids.sea)?.city).toBe('Testville');
    expect(backfillPlaces(store, newer)).toBe(0);
    expect(newer.calls).toBe(3);
  });

  it('marks a library without GPS photos current without looking anything up', () => {
    const store = open(join(tempDir(), 'library.db'));
    const namer = countingNamer('any');
    expect(backfillPlaces(store, namer)).toBe(0);
    expect(namer.calls).toBe(0);
    expect(getJsonSetting(store, PLACES_DATA_SETTING, null)).toBe('any');
  });
});
