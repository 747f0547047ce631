/**
 * The host when the engine cannot open (first run without models, a locked library): the UI still
 * loads, learns why, and can download the models; every other method answers the opening error.
 */
import { GLINT_VERSION } from '../../contract/limits.ts';
import type { ApiError, ApiResult, GlintEvent, MethodName } from '../../contract/api.ts';
import { errorMessage } from '../errors.ts';
import type { MediaFile } from './api-host.ts';

/** What the offline host can still do. */
export interface OfflineHostOptions {
  shell: 'electron' | 'browser';
  version?: string;
  /** The models folder the engine looked in. */
  modelsDir: string;
  /** Bytes a first download would fetch (from the model manifest), when known. */
  bytesToDownload?: number;
  modelsPuller?: (
    onProgress: (p: { file: string; bytes: number; total: number | null; rate: number }) => void,
  ) => Promise<void>;
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
  let pulling = false;
  const missingModels = error.code === 'models-missing' || error.code === 'models-invalid';
  const answers: Partial<Record<MethodName, () => ApiResult<unknown>>> = {
    appInfo: () => ({
      ok: true,
      value: {
        name: 'Glint',
        version: options.version ?? GLINT_VERSION,
        platform: process.platform,
        shell: options.shell,
      },
    }),
    modelsStatus: () => ({
      ok: true,
      value: {
        dir: options.modelsDir,
        state: missingModels ? 'absent' : 'complete',
        bytesToDownload: options.bytesToDownload ?? 0,
      },
    }),
    pullModels: () => {
      const puller = options.modelsPuller;
      if (!puller || pulling)
        return { ok: false, error: { code: 'busy', message: 'The models are already downloading.' } };
      pulling = true;
      void puller((p) => emit({ type: 'models-progress', ...p }))
        .then(
          () => emit({ type: 'notice', message: 'The models are downloaded: restart Glint to use them.' }),
          (err: unknown) =>
            emit({ type: 'notice', message: `The model download failed: ${errorMessage(err)}` }),
        )
        .finally(() => (pulling = false));
      return { ok: true, value: { started: true } };
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
