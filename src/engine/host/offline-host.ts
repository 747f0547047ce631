/**
 * The host when the engine cannot open (first run without models, a locked library): the UI still
 * loads, learns why, and can download the models; every other method answers the opening error.
 */
import type { ApiError, ApiResult, GlintEvent } from '../../contract/api.ts';
import { GlintError } from '../errors.ts';
import { modelsDownload, registerApp, type ModelsPuller } from './handlers/app-handlers.ts';
import { HandlerTable, isMethod } from './handlers/handler-table.ts';
import type { MediaFile } from './api-host.ts';
/** What the offline host can still do. */
export interface OfflineHostOptions {
  shell: 'electron' | 'browser';
  version?: string;
  /** The models folder the engine looked in (the one chosen in Settings, else the default). */
  modelsDir: string;
  /** Bytes a first download would fetch (from the model manifest), when known. */
  bytesToDownload?: number;
  modelsPuller?: ModelsPuller;
}

/** The host's calling surface without an engine. */
export interface OfflineHost {
  call(method: string, payload: unknown): Promise<ApiResult<unknown>>;
  media(kind: string, id: unknown): MediaFile | null;
  onEvent(listener: (event: GlintEvent) => void): () => void;
}

/** Creates the offline host; `error` is why the engine did not open. */
export function createOfflineHost(error: ApiError, options: OfflineHostOptions): OfflineHost {
  const listeners = new Set<(event: GlintEvent) => void>();
  const emit = (event: GlintEvent): void => listeners.forEach((l) => l(event));
  const download = modelsDownload(options.modelsPuller, emit, () => options.modelsDir);
  const missingModels = error.code === 'models-missing' || error.code === 'models-invalid';
  // The same app handlers as the engine host; every other method answers why the engine did not open.
  const table = new HandlerTable((thrown) =>
    thrown instanceof GlintError ? { code: thrown.code, message: thrown.message } : undefined,
  );
  registerApp(table, {
    shell: options.shell,
    ...(options.version === undefined ? {} : { version: options.version }),
    download,
    modelsStatus: () => ({
      dir: options.modelsDir,
      state: missingModels ? 'absent' : 'complete',
      bytesToDownload: options.bytesToDownload ?? 0,
    }),
  });
  return {
    call: async (method, payload): Promise<ApiResult<unknown>> => {
      const handler = isMethod(method) ? table.handler(method) : undefined;
      return handler ? handler(payload) : { ok: false, error };
    },
    media: () => null,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
