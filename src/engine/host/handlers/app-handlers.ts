/**
 * The methods both hosts answer the same way, with or without an open engine: what the app is, and the
 * first-run model download (one at a time, progress and outcome as events).
 */
import type { AppInfo, GlintEvent, ModelsStatus } from '../../../contract/api.ts';
import { GLINT_VERSION } from '../../../contract/limits.ts';
import { GlintError, errorMessage } from '../../errors.ts';
import type { HandlerSet, HandlerTable } from './handler-table.ts';

/** Downloads the CLIP models into `into` (the models folder in use), reporting progress (the app's puller). */
export type ModelsPuller = (
  onProgress: (p: { file: string; bytes: number; total: number | null; rate: number }) => void,
  into: string,
) => Promise<void>;

/** `appInfo`: the app's name, version, platform and shell. */
export function appInfo(shell: AppInfo['shell'], version = GLINT_VERSION): AppInfo {
  return { name: 'Glint', version, platform: process.platform, shell };
}

/**
 * `pullModels` over a puller: starts a download into the folder `into()` names now (GlintError when none can
 * start) and `running` awaits it.
 */
export function modelsDownload(
  puller: ModelsPuller | undefined,
  emit: (event: GlintEvent) => void,
  into: () => string,
): { start(): { started: true }; running(): Promise<void> | undefined } {
  let pulling: Promise<void> | undefined;
  return {
    start() {
      if (!puller)
        throw new GlintError(
          'not-available',
          'Run `glint models pull` in a terminal to download the models.',
        );
      if (pulling) throw new GlintError('busy', 'The models are already downloading.');
      const dir = into();
      pulling = puller((p) => emit({ type: 'models-progress', ...p }), dir)
        .then(
          () =>
            emit({
              type: 'notice',
              message: `The models are downloaded into ${dir}: restart Glint to use them.`,
            }),
          (err: unknown) =>
            emit({ type: 'notice', message: `The model download failed: ${errorMessage(err)}` }),
        )
        .finally(() => (pulling = undefined));
      return { started: true };
    },
    running: () => pulling,
  };
}

/** What the app handlers need: the shell, the version, the model download and the models folder's state. */
export interface AppContext {
  shell: AppInfo['shell'];
  version?: string;
  download: ReturnType<typeof modelsDownload>;
  modelsStatus(): ModelsStatus;
}

/** The app handlers, answered the same with or without an engine: what the app is, and its models. */
export function appHandlers(ctx: AppContext): HandlerSet<'appInfo' | 'modelsStatus' | 'pullModels'> {
  return {
    appInfo: () => appInfo(ctx.shell, ctx.version),
    modelsStatus: () => ctx.modelsStatus(),
    pullModels: () => ctx.download.start(),
  };
}

/** Registers the app handlers. */
export function registerApp(table: HandlerTable, ctx: AppContext): void {
  table.register(appHandlers(ctx));
}
