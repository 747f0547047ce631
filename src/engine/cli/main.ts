/** The `glint` command line: index, watch, search and manage a library from a terminal. */
import { GLINT_VERSION } from '../../contract/limits.ts';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { registerLibraryCommands, type CommandContext, type Run } from './commands/library-commands.ts';
import { registerSearchCommands } from './commands/search-commands.ts';
import { registerModelCommands } from './commands/models-commands.ts';
import { registerTrainCommands } from './commands/train-commands.ts';
import { registerServeCommand } from './commands/serve-command.ts';
import { registerFolderCommands } from './commands/folder-commands.ts';
import { registerPlacesCommand } from './commands/places-command.ts';
import { registerTimelineCommand } from './commands/timeline-command.ts';
import { registerXmpCommands } from './commands/xmp-commands.ts';
import { registerSuggestCommand } from './commands/suggest-command.ts';
import { createOutput, reportFailure } from './output.ts';
import { EXIT } from './exit-codes.ts';
import { engineOptions, type GlobalOptions } from './context.ts';
import { libraryPaths } from '../library-paths.ts';
import { CODE_BITS } from '../types.ts';

/** The global --bits value, checked: exactly one code length (a comma list is refused, naming the choices). */
function oneCodeLength(value: string): string {
  if (!CODE_BITS.some((b) => String(b) === value))
    throw new InvalidArgumentError(`--bits takes one code length (${CODE_BITS.join(', ')})`);
  return value;
}

const program = new Command('glint')
  .description(
    'Glint: private cross-modal photo search. Type a phrase, find your photos; give a photo, find its notes.',
  )
  .version(GLINT_VERSION)
  .option('--library <dir>', 'library folder (default: $GLINT_LIBRARY or the app-data folder)')
  .option('--models <dir>', 'CLIP model folder (default: <models root>/clip-vit-base-patch32)')
  .option('--json', 'print one JSON document on stdout, for scripts')
  .addOption(
    // NOTE: no default here: without the flag, the device chosen in Settings (else the CPU) is used.
    new Option(
      '--device <device>',
      'where the encoders run (default: as chosen in Settings, else cpu)',
    ).choices(['cpu', 'cuda']),
  )
  .addOption(
    new Option(
      '--bits <n>',
      `code length of a new library’s default hash head: ${CODE_BITS.join(', ')}`,
    ).argParser(oneCodeLength),
  )
  .showHelpAfterError()
  .exitOverride();

const run: Run =
  (action) =>
  async (...params: unknown[]) => {
    const command = params[params.length - 1] as Command;
    const parent = command.parent && command.parent !== program ? `${command.parent.name()} ` : '';
    const opts = { ...command.optsWithGlobals<GlobalOptions>(), command: `${parent}${command.name()}` };
    const out = createOutput(Boolean(opts.json));
    const ctx: CommandContext = { out, opts, args: command.args, local: command.opts() };
    const db = libraryPaths(engineOptions(opts).libraryDir).db;
    process.exitCode = await action(ctx).catch((err: unknown) => reportFailure(err, out.json, db));
  };

registerLibraryCommands(program, run);
registerSearchCommands(program, run);
registerFolderCommands(program, run);
registerPlacesCommand(program, run);
registerModelCommands(program, run);
registerTrainCommands(program, run);
registerServeCommand(program, run);
registerTimelineCommand(program, run);
registerXmpCommands(program, run);
registerSuggestCommand(program, run);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    process.exitCode = reportFailure(err, false);
  }
}
