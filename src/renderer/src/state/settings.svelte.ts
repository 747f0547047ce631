import type {
  GlintApi,
  GlintEvent,
  ModelsStatus,
  SidecarPassView,
  SidecarStatus,
  Settings,
} from '../../../contract/api.ts';
import { settle } from './result.ts';
import { ViewState } from './view-state.ts';
import type { Toasts } from './toasts.svelte.ts';

type ModelsProgress = Extract<GlintEvent, { type: 'models-progress' }>;
type SidecarProgress = Extract<GlintEvent, { type: 'sidecar-progress' }>;
type RehashProgress = Extract<GlintEvent, { type: 'rehash-progress' }>;

/** The user's theme choice, remembered locally so the first paint already uses it. */
const THEME_KEY = 'glint.theme';

/** The Settings view: code length, device, models folder, theme, and the first-run model download. */
export class SettingsState extends ViewState {
  saved = $state.raw<Settings | null>(null);
  bits = $state<Settings['bits']>(64);
  device = $state<Settings['device']>('cpu');
  modelsDir = $state('');
  theme = $state<Settings['theme']>('system');
  models = $state.raw<ModelsStatus | null>(null);
  download = $state.raw<ModelsProgress | null>(null);
  downloading = $state(false);
  downloadError = $state<string | null>(null);
  saving = $state(false);
  /** Re-hashing after a new code length was saved: items done of all. */
  rehash = $state.raw<RehashProgress | null>(null);
  /** What the last save changed, in words ("Search now uses 16-bit codes."), shown in the card. */
  outcome = $state<string | null>(null);
  /** Why the host refused the last save (e.g. a models folder that is not a complete model set); nothing was saved. */
  saveError = $state<string | null>(null);
  xmpWriteBack = $state<Settings['xmpWriteBack']>('off');
  /** What writing every sidecar would cover, fetched when write-back is turned on. */
  sidecars = $state.raw<SidecarStatus | null>(null);
  sidecarProgress = $state.raw<SidecarProgress | null>(null);
  sidecarPass = $state.raw<SidecarPassView | null>(null);
  writingSidecars = $state(false);

  dirty = $derived(
    this.saved !== null &&
      (this.bits !== this.saved.bits ||
        this.device !== this.saved.device ||
        this.modelsDir !== this.saved.modelsDir),
  );

  constructor(api: GlintApi, toasts: Toasts) {
    super(api, toasts);
    const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(THEME_KEY);
    if (stored === 'light' || stored === 'dark' || stored === 'system') this.theme = stored;
  }

  /** Loads settings and the models' state. */
  async refresh(): Promise<void> {
    const [settings, models] = await Promise.all([
      settle(this.api.getSettings(), this.toasts),
      settle(this.api.modelsStatus(), this.toasts),
    ]);
    if (settings) this.#adopt(settings);
    if (models) this.models = models;
  }

  #adopt(s: Settings): void {
    this.saved = s;
    this.bits = s.bits;
    this.device = s.device;
    this.modelsDir = s.modelsDir;
    this.theme = s.theme;
    this.xmpWriteBack = s.xmpWriteBack;
    localStorage.setItem(THEME_KEY, s.theme);
  }

  /** Turns XMP write-back off or on in a style, saved at once; turning it on offers writing existing tags. */
  async setXmpWriteBack(mode: Settings['xmpWriteBack']): Promise<void> {
    const before = this.xmpWriteBack;
    this.xmpWriteBack = mode;
    const s = await settle(this.api.setSettings({ xmpWriteBack: mode }), this.toasts);
    if (!s) {
      this.xmpWriteBack = before;
      return;
    }
    this.saved = s;
    this.xmpWriteBack = s.xmpWriteBack;
    this.sidecarPass = null;
    this.sidecars = s.xmpWriteBack === 'off' ? null : await settle(this.api.sidecarStatus(), this.toasts);
  }

  /** Writes the sidecars of every photo with user tags; progress arrives as events. */
  async writeAllSidecars(): Promise<void> {
    this.writingSidecars = true;
    this.sidecarProgress = null;
    const pass = await settle(this.api.writeSidecars(), this.toasts);
    this.writingSidecars = false;
    if (!pass) return;
    this.sidecarPass = pass;
    this.sidecars = null;
    this.toasts.show(
      pass.failed > 0
        ? `Sidecars written for ${pass.total - pass.failed} of ${pass.total} photos; the Library view lists the ${pass.failed} that failed.`
        : `Sidecars written for ${pass.total} photos.`,
    );
  }

  /**
   * Saves code length, device and models folder, which apply at once: a new code length re-hashes the library
   * (progress arrives as events) and the models folder is checked; a refusal is shown in the card, edits kept.
   */
  async save(): Promise<void> {
    const before = this.saved;
    this.saving = true;
    this.rehash = null;
    this.outcome = null;
    this.saveError = null;
    const res = await this.api
      .setSettings({ bits: this.bits, device: this.device, modelsDir: this.modelsDir.trim() })
      .catch((err: unknown) => ({
        ok: false as const,
        error: {
          code: 'internal',
          message: `Something went wrong: ${err instanceof Error ? err.message : String(err)}`,
        },
      }));
    this.saving = false;
    this.rehash = null;
    if (!res.ok) {
      this.saveError = res.error.message;
      return;
    }
    const s = res.value;
    this.#adopt(s);
    const changes: string[] = [];
    if (before && s.bits !== before.bits) changes.push(`Search now uses ${s.bits}-bit codes.`);
    if (before && s.modelsDir !== before.modelsDir) changes.push(`The models in ${s.modelsDir} are in use.`);
    this.outcome = changes.length > 0 ? changes.join(' ') : null;
    // A new code length is told by the host's own notice; anything else by this toast.
    if (!(before && s.bits !== before.bits)) this.toasts.show('Settings saved.');
    const models = await settle(this.api.modelsStatus(), this.toasts);
    if (models) this.models = models;
  }

  /** Switches the theme at once and saves it. */
  async setTheme(theme: Settings['theme']): Promise<void> {
    this.theme = theme;
    localStorage.setItem(THEME_KEY, theme);
    const s = await settle(this.api.setSettings({ theme }), this.toasts);
    if (s) this.saved = s;
  }

  /** Starts the model download; progress and failures arrive as events. */
  async pull(): Promise<void> {
    this.downloadError = null;
    // Set first: the first progress (or a quick failure) can arrive over events before the answer does.
    this.downloading = true;
    const res = await this.api.pullModels().catch(() => null);
    if (res?.ok) return;
    this.downloading = false;
    this.downloadError = res ? res.error.message : 'The download could not be started.';
  }

  /** Folds download events in. */
  onEvent(e: GlintEvent): void {
    if (e.type === 'models-progress') {
      this.downloading = true;
      this.download = e;
    } else if (e.type === 'sidecar-progress') this.sidecarProgress = e;
    else if (e.type === 'rehash-progress') this.rehash = e;
  }

  /** Called when the download finished or stopped (the host then reports a new models state). */
  async downloadEnded(message?: string): Promise<void> {
    this.downloading = false;
    if (message) this.downloadError = message;
    const models = await settle(this.api.modelsStatus(), this.toasts);
    if (models) this.models = models;
  }
}
