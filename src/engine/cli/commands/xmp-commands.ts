/** `glint xmp status|write`: XMP write-back of the user's tags to sidecars, the same service the app uses. */
import { Option, type Command } from 'commander';
import type { XmpWriteBack } from '../../services/sidecar-service.ts';
import { withEngine } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Run } from './library-commands.ts';

/** The CLI's names for the sidecar styles. */
const STYLES: Record<string, XmpWriteBack> = {
  darktable: 'photo.jpg.xmp',
  lightroom: 'photo.xmp',
  off: 'off',
};

/** Registers `glint xmp status` and `glint xmp write [--style darktable|lightroom|off]`. */
export function registerXmpCommands(program: Command, run: Run): void {
  const xmp = program
    .command('xmp')
    .description('write your tags to XMP sidecars beside the photos (opt-in)');
  xmp
    .command('status')
    .description('whether tags are written to sidecars, in which style, and how many photos have tags')
    .action(
      run(async ({ out, opts }) =>
        withEngine(opts, out, async (engine) => {
          const mode = engine.sidecars.mode();
          const { photos } = engine.sidecars.pending();
          out.result({ ok: true, mode, photos }, () =>
            mode === 'off'
              ? `writing tags to sidecars is off (${photos} photos have tags); turn it on with \`glint xmp write --style darktable\` or \`--style lightroom\``
              : `tags are written to ${mode} sidecars; ${photos} photos have tags`,
          );
          return EXIT.ok;
        }),
      ),
    );
  xmp
    .command('write')
    .description(
      'write the tags of every tagged photo to its sidecar, merged with what is there (photos untouched)',
    )
    .addOption(
      new Option(
        '--style <style>',
        'darktable (photo.jpg.xmp, also digiKam) or lightroom (photo.xmp, also Capture One); saved for this library; off turns it off',
      ).choices(Object.keys(STYLES)),
    )
    .action(
      run(async ({ out, opts, local }) =>
        withEngine(opts, out, async (engine) => {
          const style = local.style as string | undefined;
          if (style !== undefined) engine.sidecars.setMode(STYLES[style] as XmpWriteBack);
          if (engine.sidecars.mode() === 'off') {
            out.result({ ok: true, mode: 'off' }, () =>
              style === 'off'
                ? 'writing tags to sidecars is off now; sidecars already written stay as they are'
                : 'writing tags to sidecars is off: choose one with --style darktable or --style lightroom',
            );
            return style === 'off' ? EXIT.ok : EXIT.usage;
          }
          let last = 0;
          const pass = await engine.sidecars.writeAll((done, total) => {
            if (done === total || done - last >= 100) {
              last = done;
              out.info(`  ${done} of ${total} photos`);
            }
          });
          out.result({ ok: pass.failed === 0, mode: engine.sidecars.mode(), ...pass }, () =>
            [
              `wrote ${pass.written} sidecars, ${pass.unchanged} already up to date, ${pass.failed} failed (${engine.sidecars.mode()})`,
              ...engine
                .errors(20)
                .filter((e) => e.stage === 'sidecar')
                .map((e) => `  ${e.message}`),
            ].join('\n'),
          );
          // Failures are per photo and listed; the ones that worked are done, as `glint index` treats unreadable files.
          return EXIT.ok;
        }),
      ),
    );
}
