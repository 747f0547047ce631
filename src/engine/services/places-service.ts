import { itemsAtPlace, listPlaces, type PlaceCount } from '../store/places.ts';
import type { EngineCore } from './engine-core.ts';

/** The places photos were taken at (named offline from their GPS), for every client. */
export class PlacesService {
  private readonly core: EngineCore;

  constructor(core: EngineCore) {
    this.core = core;
  }

  /** The library's places with their photo counts, most photos first. */
  list(): PlaceCount[] {
    return listPlaces(this.core.store);
  }

  /** Ids of the photos taken at the place a word names ("Lisbon", "japan"); see `itemsAtPlace`. */
  photosAt(word: string): number[] {
    return itemsAtPlace(this.core.store, word);
  }
}
