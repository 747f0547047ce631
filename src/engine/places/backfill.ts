/**
 * Names the places of photos indexed before Glint named places, or under other place data: once per
 * library and data set, from the coordinates already in the store (no image is read again).
 */
import { getJsonSetting, photosWithGps, setItemPlaces, setJsonSetting, type Store } from '../store/index.ts';
import { gazetteerId, placeAt, type Place } from './reverse-geocode.ts';

/** The library setting that records which place data the stored places came from. */
export const PLACES_DATA_SETTING = 'places.data';

/** What names a point, and which data and rule it names with (the default: GeoNames, see reverse-geocode). */
export interface PlaceNamer {
  id: string;
  placeAt(lat: number, lon: number): Place | undefined;
}

/** The offline GeoNames geocoder as a PlaceNamer. */
export function geonamesNamer(): PlaceNamer {
  return { id: gazetteerId(), placeAt };
}

/**
 * Names (or names again) every photo with GPS when the library's places came from other data than
 * `namer`'s, in one transaction; returns how many photos were looked up (0 when already current). A
 * library without GPS photos is marked current without loading the data.
 */
export function backfillPlaces(store: Store, namer: PlaceNamer = geonamesNamer()): number {
  if (getJsonSetting<string | null>(store, PLACES_DATA_SETTING, null) === namer.id) return 0;
  const photos = photosWithGps(store);
  // Looked up before the write lock is taken (the data loads on the first lookup).
  const named = photos.map((p) => ({ itemId: p.id, place: namer.placeAt(p.lat, p.lon) }));
  return store.tx(() => {
    setItemPlaces(store, named);
    setJsonSetting(store, PLACES_DATA_SETTING, namer.id);
    return photos.length;
  });
}
