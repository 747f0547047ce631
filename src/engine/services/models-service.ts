import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveModelFolder, type ModelFolder } from '../clip/model-folder.ts';
import { GlintError } from '../errors.ts';
import { libraryPaths } from '../library-paths.ts';
import type { EngineEvent } from '../engine-events.ts';
import { CUDA_FALLBACK, isCudaFallback, type Device } from '../onnx/device.ts';
import { getJsonSetting, openStore, setJsonSetting, type Store } from '../store/index.ts';
import type { EncoderClient } from '../worker/encoder-client.ts';
import type { EncoderReplies } from '../worker/encoder-protocol.ts';

/** The models folder and device chosen in Settings, kept in the library so every launch uses them. */
export interface ModelsChoice {
  dir: string;
  device: Device;
}

/** The library settings key of the saved choice. */
const CHOICE_KEY = 'models.choice';

/** The part of a stored choice that is still well-formed (a hand-edited or older value is ignored). */
function choiceOf(stored: unknown): Partial<ModelsChoice> {
  if (!stored || typeof stored !== 'object') return {};
  const { dir, device } = stored as Record<string, unknown>;
  return {
    ...(typeof dir === 'string' && dir !== '' ? { dir } : {}),
    ...(device === 'cpu' || device === 'cuda' ? { device } : {}),
  };
}

/**
 * The models folder and device saved in a library's Settings, read without opening it for writing (so a
 * launcher can open the engine with them, and name the saved folder if it is unusable); {} for a new library.
 */
export function savedModelsChoice(libraryDir: string): Partial<ModelsChoice> {
  const db = libraryPaths(libraryDir).db;
  if (!existsSync(db)) return {};
  let store: Store | undefined;
  try {
    store = openStore(db, { readonly: true });
    return choiceOf(getJsonSetting<unknown>(store, CHOICE_KEY, {}));
  } catch {
    // A library that cannot be read says why when the engine opens it; here it only has no choice.
    return {};
  } finally {
    store?.close();
  }
}

/** Saves the choice in the library (what `savedModelsChoice` reads at the next launch). */
export function writeModelsChoice(store: Store, choice: ModelsChoice): void {
  setJsonSetting(store, CHOICE_KEY, { dir: choice.dir, device: choice.device });
}

/** What runs the encoders now: the chosen device, and why another one is used when it is not. */
export interface ModelsInUse extends ModelsChoice {
  runsOn: Device;
  /** Set when CUDA was chosen and the CPU runs the encoders: the reason, in words. */
  fallback?: string;
}

/**
 * The CLIP models folder and the device the engine's encoders use, switched at once from Settings: a folder
 * is checked (a complete model set of this library's model) before anything changes, the worker's sessions
 * are reopened on it, and the choice is saved in the library.
 */
export class ModelsService {
  private readonly store: Store;
  private readonly encoder: EncoderClient;
  private readonly modelId: string;
  private readonly emit: (event: EngineEvent) => void;
  private current: ModelsInUse;
  private readonly threads: number | undefined;

  constructor(deps: {
    store: Store;
    encoder: EncoderClient;
    modelId: string;
    inUse: ModelsInUse;
    emit: (event: EngineEvent) => void;
    /** ONNX Runtime intra-op threads the engine was opened with, kept when the encoders are reopened. */
    threads?: number;
  }) {
    this.threads = deps.threads;
    this.store = deps.store;
    this.encoder = deps.encoder;
    this.modelId = deps.modelId;
    this.current = deps.inUse;
    this.emit = deps.emit;
  }

  /** The folder, device and provider in use. */
  get inUse(): ModelsInUse {
    return this.current;
  }

  /**
   * Checks that `dir` holds a complete set of this library's model: a GlintError naming the folder and what
   * is missing, or the model it holds instead (other weights would need every photo encoded again).
   */
  check(dir: string): ModelFolder {
    const at = resolve(dir);
    if (!existsSync(at))
      throw new GlintError(
        'models-missing',
        `There is no folder ${at}. Choose the folder that holds the CLIP models: it has ` +
          `onnx/vision_model.onnx, onnx/text_model.onnx, preprocessor_config.json and the tokenizer files.`,
      );
    const folder = resolveModelFolder(at);
    if (folder.modelId !== this.modelId)
      throw new GlintError(
        'models-other',
        `The models folder ${folder.dir} holds a different model (${folder.modelId}) from the one this library ` +
          `was indexed with (${this.modelId}). Choose a folder with the same model, or open a new library for it.`,
      );
    return folder;
  }

  /**
   * Switches the encoders to `choice` (checked first; on any failure nothing changes and nothing is saved),
   * opening both sessions so a file that cannot load, or a CUDA fallback, is known now (and told as a
   * notice); saves the choice.
   */
  async use(choice: ModelsChoice): Promise<ModelsInUse> {
    const folder = this.check(choice.dir);
    const init = await this.encoder.init(folder.dir, choice.device, this.threads, true);
    this.current = inUseOf(folder.dir, choice.device, init);
    writeModelsChoice(this.store, { dir: folder.dir, device: choice.device });
    for (const message of init.notices) this.emit({ type: 'notice', message });
    return this.current;
  }

  /** Records a fallback the worker reported later as a notice (a session opened on first use). */
  noted(notice: string): void {
    if (this.current.device === 'cuda' && isCudaFallback(notice))
      this.current = { ...this.current, runsOn: 'cpu', fallback: notice };
  }
}

/** What runs the encoders after an init: CUDA only when both sessions got it; the fallback's reason if not. */
export function inUseOf(dir: string, device: Device, init: EncoderReplies['init']): ModelsInUse {
  const p = init.providers;
  const runsOn: Device = p ? (p.vision === 'cuda' && p.text === 'cuda' ? 'cuda' : 'cpu') : device;
  const fallback = init.notices.find(isCudaFallback);
  return {
    dir,
    device,
    runsOn,
    ...(device === 'cuda' && runsOn === 'cpu' ? { fallback: fallback ?? `${CUDA_FALLBACK}.` } : {}),
  };
}
