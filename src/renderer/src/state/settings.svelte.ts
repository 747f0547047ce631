import type { GlintApi, GlintEvent, ModelsStatus, Settings } from '../../../contract/api.ts';
import { settle } from './result.ts';
import { ViewState } from './view-state.ts';
import type { Toasts } from './toasts.svelte.ts';

type ModelsProgress = Extract<GlintEvent, { type: 'models-progress' }>;

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
    localStorage.setItem(THEME_KEY, s.theme);
  }

  /** Saves code length, device and models folder. */
  async save(): Promise<void> {
    this.saving = true;
    const s = await settle(
      this.api.setSettings({ bits: this.bits, device: this.device, modelsDir: this.modelsDir.trim() }),
      this.toasts,
    );
    this.saving = false;
    if (s) {
      this.#adopt(s);
      this.toasts.show('Settings saved.');
      const models = await settle(this.api.modelsStatus(), this.toasts);
      if (models) this.models = models;
    }
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
    }
  }

  /** Called when the download finished or stopped (the host then reports a new models state). */
  async downloadEnded(message?: string): Promise<void> {
    this.downloading = false;
    if (message) this.downloadError = message;
    const models = await settle(this.api.modelsStatus(), this.toasts);
    if (models) this.models = models;
  }
}
