import type { Command } from 'commander';
import { placeLabel } from '../../store/places.ts';
import { withEngine } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Run } from './library-commands.ts';

/** Registers `glint places`: the places the library's photos were taken at, or the photos at one. */
export function registerPlacesCommand(program: Command, run: Run): void {
  program
    .command('places')
    .description('the places your photos were taken at (named offline from their GPS), or the photos at one')
    .argument('[place]', 'a city, region or country, e.g. "Lisbon" or "Lisbon, Portugal": lists its photos')
    .action(
      run(async ({ out, opts, args }) => {
        const [name] = args;
        return withEngine(opts, out, async (engine) => {
          if (name === undefined) {
            const places = engine.places.list().map((p) => ({ ...p, label: placeLabel(p) }));
            out.result(
              { ok: true, places },
              () =>
                places.map((p) => `${String(p.count).padStart(6)}  ${p.label}`).join('\n') ||
                '  (no photos with a place yet: places come from the GPS of indexed photos)',
            );
            return EXIT.ok;
          }
          const photos = engine.places
            .photosAt(name)
            .flatMap((id) => engine.search.item(id) ?? [])
            .map((item) => ({ id: item.id, path: item.path, place: item.place && placeLabel(item.place) }));
          out.result(
            { ok: true, place: name, photos },
            () => photos.map((p) => `${p.path}  (${p.place})`).join('\n') || `  (no photos taken at ${name})`,
          );
          return EXIT.ok;
        });
      }),
    );
}
