/**
 * Names the places of photos indexed before Glint named places, or under other place data: once per
 * library and data set, from the coordinates already in the store (no image is read again).
 */
import { getJsonSetting, photosWithGps, setItemPlace, setJsonSetting, type Store } from '../store/index.ts';
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
  return store.tx(() => {
    for (const p of photos) setItemPlace(store, p.id, namer.placeAt(p.lat, p.lon));
    setJsonSetting(store, PLACES_DATA_SETTING, namer.id);
    return photos.length;
  });
}
