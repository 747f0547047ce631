/**
 * Place names on real SQLite: one row per place however many photos were taken there, counts for a
 * filter picker, names matched whole (accents and case aside) by filters and search words, labels.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filterItemIds, isEmptyFilter } from '../../../src/engine/store/item-filter.ts';
import { getItemDetail } from '../../../src/engine/store/item-detail.ts';
import {
  getItemPlace,
  itemsAtPlace,
  listPlaces,
  photosWithGps,
  placeIdsMatching,
  placeKey,
  placeLabel,
  placesNamedIn,
  putPlace,
  setItemPlace,
  setItemPlaces,
  type PlaceName,
} from '../../../src/engine/store/places.ts';
import {
  addFolder,
  markFolderRemoved,
  replaceFileItems,
  upsertFile,
  type Store,
} from '../../../src/engine/store/index.ts';
import { open, tempDir } from './helpers.ts';

const LISBON: PlaceName = { city: 'Lisbon', region: 'Lisbon', country: 'Portugal', countryCode: 'PT' };
const LISBON_OHIO: PlaceName = {
  city: 'Lisbon',
  region: 'Ohio',
  country: 'United States',
  countryCode: 'US',
};
const PORTO: PlaceName = { city: 'Porto', region: 'Porto', country: 'Portugal', countryCode: 'PT' };
const ZURICH: PlaceName = { city: 'Zürich', region: 'Zurich', country: 'Switzerland', countryCode: 'CH' };
const VATICAN: PlaceName = { city: 'Vatican City', region: null, country: 'Vatican City', countryCode: 'VA' };

/** A photo item (its own file) at a point; returns its id. */
function photo(store: Store, name: string, lat: number | null = 1, lon: number | null = 2): number {
  const fileId = upsertFile(store, { path: `/photos/${name}`, kind: 'photo' });
  return replaceFileItems(store, fileId, [{ kind: 'photo', modality: 'image', lat, lon }])[0]!;
}

/** A library with photos at five places (three in Portugal), one without a place, and a note. */
function library() {
  const store = open(join(tempDir(), 'library.db'));
  const at = (name: string, place: PlaceName | undefined) => {
    const id = photo(store, name);
    setItemPlace(store, id, place);
    return id;
  };
  const ids = {
    lisbon1: at('l1.jpg', LISBON),
    lisbon2: at('l2.jpg', LISBON),
    porto: at('p.jpg', PORTO),
    ohio: at('o.jpg', LISBON_OHIO),
    zurich: at('z.jpg', ZURICH),
    vatican: at('v.jpg', VATICAN),
    nowhere: at('n.jpg', undefined),
  };
  const noteFile = upsertFile(store, { path: '/notes/lisbon.md', kind: 'note' });
  replaceFileItems(store, noteFile, [{ kind: 'note_chunk', modality: 'text', text: 'Lisbon trip' }]);
  return { store, ids };
}

describe('placeKey and placeLabel', () => {
  it('folds accents, case, punctuation and letters Unicode does not decompose', () => {
    expect(placeKey('Île-de-France')).toBe('ile de france');
    expect(placeKey('  ILE de   france ')).toBe('ile de france');
    expect(placeKey('Zürich')).toBe(placeKey('zurich'));
    expect(placeKey('São Paulo')).toBe('sao paulo');
    expect(placeKey('Łódź')).toBe('lodz');
    expect(placeKey('Tromsø')).toBe('tromso');
    expect(placeKey("Hell's Kitchen")).toBe('hell s kitchen');
  });

  it('labels city, region and country, leaving out a region the data does not name and repeated names', () => {
    expect(placeLabel(LISBON)).toBe('Lisbon, Portugal');
    expect(placeLabel(VATICAN)).toBe('Vatican City');
    expect(placeLabel({ ...LISBON, city: 'Sintra' })).toBe('Sintra, Lisbon, Portugal');
    expect(placeLabel({ ...LISBON, city: 'Lisboa', region: 'LISBOA' })).toBe('Lisboa, Portugal');
  });
});

describe('places of photos', () => {
  it('stores a place once however many photos were taken there, and reads it back per photo', () => {
    const { store, ids } = library();
    expect(putPlace(store, LISBON)).toBe(putPlace(store, { ...LISBON }));
    expect(store.db.prepare('SELECT count(*) FROM places').pluck().get()).toBe(5);
    expect(getItemPlace(store, ids.lisbon2)).toEqual(LISBON);
    expect(getItemPlace(store, ids.vatican)).toEqual(VATICAN);
    expect(getItemPlace(store, ids.nowhere)).toBeUndefined();
    expect(getItemDetail(store, ids.zurich)?.place).toEqual(ZURICH);
    expect(getItemDetail(store, ids.nowhere)?.place).toBeNull();

    setItemPlace(store, ids.lisbon2, undefined);
    expect(getItemPlace(store, ids.lisbon2)).toBeUndefined();
  });

  it('sets the places of many photos at once, adding each place once and clearing the unnamed', () => {
    const store = open(join(tempDir(), 'library.db'));
    const [a, b, c] = ['a.jpg', 'b.jpg', 'c.jpg'].map((n) => photo(store, n)) as [number, number, number];
    setItemPlace(store, c, PORTO);
    setItemPlaces(store, [
      { itemId: a, place: LISBON },
      { itemId: b, place: { ...LISBON } },
      { itemId: c, place: undefined },
    ]);
    expect(listPlaces(store).map((p) => [p.city, p.count])).toEqual([['Lisbon', 2]]);
    expect(getItemPlace(store, c)).toBeUndefined();
    expect(store.db.prepare('SELECT count(*) FROM places').pluck().get()).toBe(2);
  });

  it('lists the places with their photo counts, most photos first, then by country, region and city', () => {
    const { store } = library();
    const places = listPlaces(store);
    expect(places[0]).toMatchObject({ ...LISBON, count: 2 });
    expect(places.map((p) => [p.city, p.count])).toEqual([
      ['Lisbon', 2],
      ['Porto', 1],
      ['Zürich', 1],
      ['Lisbon', 1],
      ['Vatican City', 1],
    ]);
  });

  it('finds the photos a search word names: a whole city, region or country, accents and case aside', () => {
    const { store, ids } = library();
    expect(itemsAtPlace(store, 'lisbon')).toEqual([ids.lisbon1, ids.lisbon2, ids.ohio]);
    expect(itemsAtPlace(store, 'PORTUGAL')).toEqual([ids.lisbon1, ids.lisbon2, ids.porto]);
    expect(itemsAtPlace(store, 'zurich')).toEqual([ids.zurich]);
    expect(itemsAtPlace(store, 'Zürich')).toEqual([ids.zurich]);
    expect(itemsAtPlace(store, 'ohio')).toEqual([ids.ohio]);
    // Whole names only: part of a name, or a word that is no place of the library, finds nothing.
    expect(itemsAtPlace(store, 'lis')).toEqual([]);
    expect(itemsAtPlace(store, 'vatican')).toEqual([]);
    expect(itemsAtPlace(store, 'dog')).toEqual([]);
    expect(itemsAtPlace(store, '  ')).toEqual([]);
  });

  it('finds the places a query names among its words, longest names first', () => {
    const { store, ids } = library();
    const nyc = photo(store, 'nyc.jpg');
    setItemPlace(store, nyc, {
      city: 'New York City',
      region: 'New York',
      country: 'United States',
      countryCode: 'US',
    });
    expect(placesNamedIn(store, 'beach Lisbon')).toEqual([
      { phrase: 'lisbon', photoIds: [ids.lisbon1, ids.lisbon2, ids.ohio] },
    ]);
    expect(placesNamedIn(store, 'a dog in New York City at night')).toEqual([
      { phrase: 'new york city', photoIds: [nyc] },
    ]);
    expect(placesNamedIn(store, 'Zurich or PORTO')).toEqual([
      { phrase: 'zurich', photoIds: [ids.zurich] },
      { phrase: 'porto', photoIds: [ids.porto] },
    ]);
    expect(placesNamedIn(store, 'a dog on the beach')).toEqual([]);
    expect(placesNamedIn(store, '')).toEqual([]);
  });

  it('leaves out the photos of a folder the user removed (while its removal can be undone)', () => {
    const { store, ids } = library();
    const folder = addFolder(store, '/trip');
    const fileId = upsertFile(store, { path: '/trip/l3.jpg', kind: 'photo', folderId: folder.id });
    const [away] = replaceFileItems(store, fileId, [{ kind: 'photo', modality: 'image', lat: 1, lon: 2 }]);
    setItemPlace(store, away!, LISBON);
    expect(listPlaces(store)[0]?.count).toBe(3);
    markFolderRemoved(store, folder.id);
    expect(listPlaces(store)[0]?.count).toBe(2);
    expect(itemsAtPlace(store, 'lisbon')).toEqual([ids.lisbon1, ids.lisbon2, ids.ohio]);
  });

  it('matches a label by every one of its names, so a picked place selects exactly it', () => {
    const { store } = library();
    const lisbonPt = listPlaces(store)[0]!;
    expect(placeIdsMatching(store, 'Lisbon, Lisbon, Portugal')).toEqual([lisbonPt.id]);
    expect(placeIdsMatching(store, 'lisbon, portugal')).toEqual([lisbonPt.id]);
    expect(placeIdsMatching(store, 'Lisbon')).toHaveLength(2);
    expect(placeIdsMatching(store, 'Lisbon, Spain')).toEqual([]);
    expect(placeIdsMatching(store, ' , ')).toEqual([]);
  });

  it('reads the photos with GPS for naming again', () => {
    const store = open(join(tempDir(), 'library.db'));
    const a = photo(store, 'a.jpg', 38.7, -9.1);
    photo(store, 'b.jpg', null, null);
    expect(photosWithGps(store)).toEqual([{ id: a, lat: 38.7, lon: -9.1 }]);
  });
});

describe('filterItemIds with a place', () => {
  it('keeps the photos taken at the place, with the other conditions', () => {
    const { store, ids } = library();
    expect(filterItemIds(store, { place: 'Portugal' }, ['photo'])).toEqual([
      ids.lisbon1,
      ids.lisbon2,
      ids.porto,
    ]);
    expect(filterItemIds(store, { place: 'Lisbon, Portugal' }, ['photo'])).toEqual([
      ids.lisbon1,
      ids.lisbon2,
    ]);
    expect(filterItemIds(store, { place: 'île-de-france' }, ['photo'])).toEqual([]);
    // Notes have no place: a place filter leaves them all out.
    expect(filterItemIds(store, { place: 'lisbon' }, ['note_chunk'])).toEqual([]);
  });

  it('counts a blank place as no filter', () => {
    expect(isEmptyFilter({ place: '  ' })).toBe(true);
    expect(isEmptyFilter({ place: 'Lisbon' })).toBe(false);
  });
});
