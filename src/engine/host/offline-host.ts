/**
 * The host when the engine cannot open (first run without models, a locked library): the UI still
 * loads, learns why, and can download the models; every other method answers the opening error.
 */
import type { ApiError, ApiResult, GlintEvent, MethodName } from '../../contract/api.ts';
import { GlintError } from '../errors.ts';
import { appInfo, modelsDownload, type ModelsPuller } from './app-handlers.ts';
import type { MediaFile } from './api-host.ts';

/** What the offline host can still do. */
export interface OfflineHostOptions {
  shell: 'electron' | 'browser';
  version?: string;
  /** The models folder the engine looked in. */
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
  const download = modelsDownload(options.modelsPuller, emit);
  const missingModels = error.code === 'models-missing' || error.code === 'models-invalid';
  const answers: Partial<Record<MethodName, () => ApiResult<unknown>>> = {
    appInfo: () => ({ ok: true, value: appInfo(options.shell, options.version) }),
    modelsStatus: () => ({
      ok: true,
      value: {
        dir: options.modelsDir,
        state: missingModels ? 'absent' : 'complete',
        bytesToDownload: options.bytesToDownload ?? 0,
      },
    }),
    pullModels: () => {
      try {
        return { ok: true, value: download.start() };
      } catch (err) {
        if (err instanceof GlintError) return { ok: false, error: { code: err.code, message: err.message } };
        throw err;
      }
    },
  };
  return {
    call: async (method) => answers[method as MethodName]?.() ?? { ok: false, error },
    media: () => null,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
