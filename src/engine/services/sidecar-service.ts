import { errorMessage, GlintError } from '../errors.ts';
import { photosOfSidecar, sidecarPathFor, writeSidecar, type SidecarStyle } from '../sidecar/xmp-write.ts';
import { SerialQueue } from '../serial-queue.ts';
import { clearErrors, recordError } from '../store/errors.ts';
import { getJsonSetting, setJsonSetting } from '../store/settings.ts';
import { photoPathsOf, photoPathsWithUserTags } from '../store/sidecars.ts';
import type { EngineCore } from './engine-core.ts';

/** Whether the user's tags are written to XMP sidecars, and to which: off by default. */
export type XmpWriteBack = 'off' | SidecarStyle;

/** The library setting key of `XmpWriteBack`. */
export const XMP_WRITE_BACK_KEY = 'xmpWriteBack';

const MODES: readonly XmpWriteBack[] = ['off', 'photo.jpg.xmp', 'photo.xmp'];

/** What a pass over sidecars did. */
export interface SidecarPass {
  total: number;
  written: number;
  unchanged: number;
  failed: number;
}

/**
 * XMP write-back, opt-in per library: follows `core.onUserTagsChanged` and writes the affected photos'
 * sidecars, one at a time on its own queue (indexing and training never wait for it); failures are recorded
 * in the library's error list, in words, and nothing else stops.
 */
export class SidecarService {
  private readonly core: EngineCore;
  private readonly queue = new SerialQueue();

  constructor(core: EngineCore) {
    this.core = core;
    core.onUserTagsChanged = (ids) => {
      if (this.mode() === 'off' || !core.writer) return;
      const paths = photoPathsOf(core.store, ids);
      void this.queue
        .run(() => this.writePaths(paths))
        .catch((err: unknown) => {
          core.emit({ type: 'notice', message: `Writing sidecars stopped: ${errorMessage(err)}` });
        });
    };
  }

  /** The library's write-back setting. */
  mode(): XmpWriteBack {
    const v = getJsonSetting<unknown>(this.core.store, XMP_WRITE_BACK_KEY, 'off');
    return MODES.includes(v as XmpWriteBack) ? (v as XmpWriteBack) : 'off';
  }

  /** Turns write-back off or on in a style; existing tags are written by `writeAll`, when the user asks. */
  setMode(mode: XmpWriteBack): XmpWriteBack {
    if (!MODES.includes(mode)) throw new GlintError('usage', `Unknown sidecar style ${String(mode)}.`);
    setJsonSetting(this.core.store, XMP_WRITE_BACK_KEY, mode);
    return mode;
  }

  /** How many photos carry user tags: what `writeAll` would write. */
  pending(): { photos: number } {
    return { photos: photoPathsWithUserTags(this.core.store).length };
  }

  /** Writes the sidecar of every photo with user tags (write-back must be on), reporting progress as it goes. */
  writeAll(onProgress?: (done: number, total: number, failed: number) => void): Promise<SidecarPass> {
    if (this.mode() === 'off')
      throw new GlintError('sidecars-off', 'Writing tags to sidecars is off: choose a sidecar style first.');
    if (!this.core.writer)
      throw new GlintError('read-only', 'This Glint only reads the library; it writes nothing.');
    return this.queue.run(() => this.writePaths(photoPathsWithUserTags(this.core.store), onProgress));
  }

  /** Resolves when every queued sidecar write has finished. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async writePaths(
    photoPaths: readonly string[],
    onProgress?: (done: number, total: number, failed: number) => void,
  ): Promise<SidecarPass> {
    const { store } = this.core;
    const pass: SidecarPass = { total: photoPaths.length, written: 0, unchanged: 0, failed: 0 };
    const style = this.mode();
    const done = new Set<string>();
    let n = 0;
    for (const photo of photoPaths) {
      n++;
      if (style === 'off') break;
      const sidecar = await sidecarPathFor(photo, style);
      if (!done.has(sidecar)) {
        done.add(sidecar);
        try {
          const r = await writeSidecar(store, sidecar, photosOfSidecar(store, sidecar, style, photo));
          if (r.outcome === 'written') pass.written++;
          else pass.unchanged++;
          clearErrors(store, photo, 'sidecar');
        } catch (err) {
          pass.failed++;
          const message = errorMessage(err);
          recordError(store, {
            path: photo,
            stage: 'sidecar',
            code: err instanceof GlintError ? err.code : null,
            message,
          });
          this.core.emit({ type: 'file-error', path: photo, stage: 'sidecar', message });
        }
      }
      onProgress?.(n, pass.total, pass.failed);
      this.core.emit({ type: 'sidecar-progress', done: n, total: pass.total, failed: pass.failed });
    }
    return pass;
  }
}
