import type { Engine } from '../../src/engine/engine.ts';
import type { SearchResult } from '../../src/engine/search/results.ts';

/** The engine's one search entry point asked for photos only, described as the CLI prints them. */
export async function photosFor(engine: Engine, phrase: string, k: number): Promise<SearchResult[]> {
  const found = await engine.search.query({ terms: [{ text: phrase }], photos: k, notes: 0 });
  return engine.search.describe(found.photos);
}
