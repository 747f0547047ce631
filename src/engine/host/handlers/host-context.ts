import type { GlintEvent, Settings } from '../../../contract/api.ts';
import type { Engine } from '../../engine.ts';
import { GlintError } from '../../errors.ts';
import type { Folder } from '../../store/index.ts';
import type { IndexProgressReporter } from '../index-progress.ts';
import type { TrainingRunner } from '../training-runner.ts';

/** What the shell lends the host: native abilities that only some shells have (absent: 'not-available'). */
export interface ShellAbilities {
  /** Shows a file in the OS file manager. */
  revealer?: (path: string) => Promise<void> | void;
  /** Opens a file with its default app. */
  opener?: (path: string) => Promise<void> | void;
  /** A native folder dialog; null when the user cancels. */
  picker?: () => Promise<string | null>;
  /** Where dropped images are written while they are searched (default: the OS temp folder). */
  tempDir?: string;
}

/** What the engine host's feature handlers share. */
export interface HostContext {
  engine: Engine;
  shell: ShellAbilities;
  emit(event: GlintEvent): void;
  progress: IndexProgressReporter;
  training: TrainingRunner;
  /** The settings with their defaults filled in. */
  settings(): Settings;
  /** Saves the host's own settings (theme, XMP write-back); returns the settings after it. */
  saveSettings(patch: Partial<Pick<Settings, 'theme' | 'xmpWriteBack'>>): Settings;
}

/** The library folder with this id; a clear error when it is gone. */
export function libraryFolder(engine: Engine, id: number): Folder {
  const folder = engine.folders.list().find((f) => f.id === id);
  if (!folder) throw new GlintError('not-found', `Folder ${id} is not in the library any more.`);
  return folder;
}

/** The file behind an item id (a photo or a note); a clear error for an unknown id. */
export function itemFilePath(engine: Engine, id: number): string {
  const item = engine.search.item(id);
  if (!item)
    throw new GlintError('not-found', `There is no item ${id}: search again to refresh the results.`);
  return item.path;
}
