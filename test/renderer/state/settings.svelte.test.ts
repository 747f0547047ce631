/**
 * SettingsState against a fake host: loading, unsaved changes, saving (and what the host refuses),
 * the theme remembered for the first paint, the first-run model download with its events, and XMP
 * write-back: turned on or off at once, the count of tagged photos offered, writing all with progress.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelsStatus, SidecarPassView, Settings } from '../../../src/contract/api.ts';
import { SettingsState } from '../../../src/renderer/src/state/settings.svelte.ts';
import { Toasts } from '../../../src/renderer/src/state/toasts.svelte.ts';
import { fail, fakeApi, flush, memoryStorage, ok } from './fake-api.ts';

const saved: Settings = { bits: 64, device: 'cpu', modelsDir: '/models', theme: 'dark', xmpWriteBack: 'off' };
const absent: ModelsStatus = { dir: '/models', state: 'absent', bytesToDownload: 605_000_000 };
const complete: ModelsStatus = { dir: '/models', state: 'complete', bytesToDownload: 0 };

function setup() {
  let settings = { ...saved };
  let models = absent;
  const host = fakeApi({
    getSettings: () => ok(settings),
    setSettings: (req) => ok((settings = { ...settings, ...req })),
    modelsStatus: () => ok(models),
    pullModels: () => ok({ started: true as const }),
  });
  const toasts = new Toasts();
  return {
    host,
    toasts,
    s: new SettingsState(host.api, toasts),
    setModels: (m: ModelsStatus) => void (models = m),
  };
}

describe('SettingsState', () => {
  let storage: Storage;
  beforeEach(() => {
    storage = memoryStorage();
    vi.stubGlobal('localStorage', storage);
  });
  afterEach(() => void vi.unstubAllGlobals());

  it('starts with the theme remembered locally, before the host answers', () => {
    storage.setItem('glint.theme', 'light');
    expect(new SettingsState(fakeApi().api, new Toasts()).theme).toBe('light');
    storage.setItem('glint.theme', 'neon');
    expect(new SettingsState(fakeApi().api, new Toasts()).theme).toBe('system');
  });

  it('loads the settings and the models’ state, and remembers the theme', async () => {
    const { s } = setup();
    await s.refresh();
    expect([s.bits, s.device, s.modelsDir, s.theme]).toEqual([64, 'cpu', '/models', 'dark']);
    expect(s.models).toEqual(absent);
    expect(storage.getItem('glint.theme')).toBe('dark');
    expect(s.dirty).toBe(false);
  });

  it('knows when there are unsaved changes', async () => {
    const { s } = setup();
    expect(s.dirty).toBe(false);
    await s.refresh();
    s.bits = 128;
    expect(s.dirty).toBe(true);
    s.bits = 64;
    s.modelsDir = '/elsewhere';
    expect(s.dirty).toBe(true);
    s.modelsDir = '/models';
    s.device = 'cuda';
    expect(s.dirty).toBe(true);
    s.device = 'cpu';
    expect(s.dirty).toBe(false);
  });

  it('saves code length, device and the trimmed models folder, then re-reads the models’ state', async () => {
    const { s, host, toasts, setModels } = setup();
    await s.refresh();
    s.bits = 32;
    s.modelsDir = '  /new/models  ';
    setModels(complete);
    const saving = s.save();
    expect(s.saving).toBe(true);
    await saving;
    expect(s.saving).toBe(false);
    expect(host.calls.find((c) => c.method === 'setSettings')?.request).toEqual({
      bits: 32,
      device: 'cpu',
      modelsDir: '/new/models',
    });
    expect(s.saved).toMatchObject({ bits: 32, modelsDir: '/new/models' });
    expect(s.modelsDir).toBe('/new/models');
    expect(s.dirty).toBe(false);
    expect(s.models).toEqual(complete);
    expect(s.outcome).toBe('Search now uses 32-bit codes. The models in /new/models are in use.');
    // The host tells a new code length in its own notice; this state adds no second toast.
    expect(toasts.list).toEqual([]);
  });

  it('shows re-hash progress from events while a new code length is saved, then what it did', async () => {
    const { s, host, toasts } = setup();
    await s.refresh();
    let finish: () => void = () => undefined;
    host.answers.setSettings = (req) => new Promise((r) => (finish = () => r(ok({ ...saved, ...req }))));
    s.bits = 16;
    const saving = s.save();
    await flush();
    expect(s.saving).toBe(true);
    s.onEvent({ type: 'rehash-progress', bits: 16, done: 40, total: 102 });
    expect(s.rehash).toEqual({ type: 'rehash-progress', bits: 16, done: 40, total: 102 });
    finish();
    await saving;
    expect(s.rehash).toBeNull();
    expect(s.saved?.bits).toBe(16);
    expect(s.outcome).toBe('Search now uses 16-bit codes.');
    expect(toasts.list).toEqual([]);

    s.device = 'cuda';
    host.answers.setSettings = (req) => ok({ ...saved, ...req });
    await s.save();
    expect(s.outcome).toBeNull();
    expect(toasts.list.at(-1)?.message).toBe('Settings saved.');
  });

  it('keeps the edits and shows why, in the card, when the host refuses them; nothing counts as saved', async () => {
    const { s, host, toasts } = setup();
    await s.refresh();
    host.answers.setSettings = () =>
      fail('models-missing', 'There is no folder /nope. Choose the folder that holds the CLIP models.');
    s.modelsDir = '/nope';
    await s.save();
    expect(s.saving).toBe(false);
    expect(s.modelsDir).toBe('/nope');
    expect(s.dirty).toBe(true);
    expect(s.saved?.modelsDir).toBe('/models');
    expect(s.saveError).toBe('There is no folder /nope. Choose the folder that holds the CLIP models.');
    expect(toasts.list).toEqual([]);
    // The next save starts clean.
    host.answers.setSettings = (req) => ok({ ...saved, ...req });
    s.modelsDir = '/models';
    s.bits = 32;
    await s.save();
    expect(s.saveError).toBeNull();
  });

  it('switches the theme at once, remembers it, and saves only the theme', async () => {
    const { s, host } = setup();
    await s.refresh();
    const switching = s.setTheme('light');
    expect(s.theme).toBe('light');
    expect(storage.getItem('glint.theme')).toBe('light');
    await switching;
    expect(host.calls.at(-1)).toEqual({ method: 'setSettings', request: { theme: 'light' } });
    expect(s.saved?.theme).toBe('light');
  });

  it('downloads the models: busy at once, progress from events, the new state when it ends', async () => {
    const { s, setModels } = setup();
    await s.refresh();
    const pulling = s.pull();
    expect(s.downloading).toBe(true);
    await pulling;
    expect(s.downloading).toBe(true);
    const event = { type: 'models-progress' as const, file: 'vision.onnx', bytes: 10, total: 100, rate: 5 };
    s.onEvent(event);
    expect(s.download).toEqual(event);
    setModels(complete);
    await s.downloadEnded();
    expect(s.downloading).toBe(false);
    expect(s.downloadError).toBeNull();
    expect(s.models).toEqual(complete);
  });

  it('shows why a download could not start or stopped', async () => {
    const { s, host } = setup();
    host.answers.pullModels = () => fail('offline', 'The model server is not reachable.');
    await s.pull();
    expect(s.downloading).toBe(false);
    expect(s.downloadError).toBe('The model server is not reachable.');

    host.answers.pullModels = () => Promise.reject(new Error('ipc closed'));
    await s.pull();
    expect(s.downloadError).toBe('The download could not be started.');

    host.answers.pullModels = () => ok({ started: true as const });
    await s.pull();
    expect(s.downloadError).toBeNull();
    await s.downloadEnded('Download failed: checksum mismatch.');
    expect(s.downloading).toBe(false);
    expect(s.downloadError).toBe('Download failed: checksum mismatch.');
  });

  it('shows progress that arrives without a pull from this window (another window started it)', () => {
    const { s } = setup();
    s.onEvent({ type: 'models-progress', file: 'text.onnx', bytes: 1, total: null, rate: 0 });
    expect(s.downloading).toBe(true);
    s.onEvent({ type: 'index-idle' });
    expect(s.download?.file).toBe('text.onnx');
  });

  describe('XMP write-back', () => {
    it('turns on at once, saves only that setting, and offers the tagged photos; off drops the offer', async () => {
      const { s, host } = setup();
      host.answers.sidecarStatus = () => ok({ mode: 'photo.jpg.xmp' as const, photos: 12 });
      await s.refresh();
      expect(s.xmpWriteBack).toBe('off');
      const turning = s.setXmpWriteBack('photo.jpg.xmp');
      expect(s.xmpWriteBack).toBe('photo.jpg.xmp');
      await turning;
      expect(host.calls.filter((c) => c.method === 'setSettings').map((c) => c.request)).toEqual([
        { xmpWriteBack: 'photo.jpg.xmp' },
      ]);
      expect(s.saved?.xmpWriteBack).toBe('photo.jpg.xmp');
      expect(s.sidecars).toEqual({ mode: 'photo.jpg.xmp', photos: 12 });
      // Not an unsaved change: the other settings' Save button stays as it was.
      expect(s.dirty).toBe(false);

      await s.setXmpWriteBack('off');
      expect(s.xmpWriteBack).toBe('off');
      expect(s.sidecars).toBeNull();
      expect(host.calls.filter((c) => c.method === 'sidecarStatus')).toHaveLength(1);
    });

    it('goes back to what it was, and says why, when the host refuses the change', async () => {
      const { s, host, toasts } = setup();
      await s.refresh();
      host.answers.setSettings = () =>
        fail('read-only', 'This Glint only reads the library; it writes nothing.');
      await s.setXmpWriteBack('photo.xmp');
      expect(s.xmpWriteBack).toBe('off');
      expect(s.saved?.xmpWriteBack).toBe('off');
      expect(s.sidecars).toBeNull();
      expect(toasts.list.map((t) => [t.kind, t.message])).toEqual([
        ['error', 'This Glint only reads the library; it writes nothing.'],
      ]);
      expect(host.calls.some((c) => c.method === 'sidecarStatus')).toBe(false);
    });

    it('writes every sidecar: busy at once, progress from events, then the summary and a toast', async () => {
      const { s, host, toasts } = setup();
      host.answers.sidecarStatus = () => ok({ mode: 'photo.xmp' as const, photos: 3 });
      let finish: (pass: SidecarPassView) => void = () => undefined;
      host.answers.writeSidecars = () => new Promise((r) => (finish = (pass) => r(ok(pass))));
      await s.refresh();
      await s.setXmpWriteBack('photo.xmp');
      const writing = s.writeAllSidecars();
      expect(s.writingSidecars).toBe(true);
      expect(s.sidecarProgress).toBeNull();
      s.onEvent({ type: 'sidecar-progress', done: 2, total: 3, failed: 0 });
      expect(s.sidecarProgress).toEqual({ type: 'sidecar-progress', done: 2, total: 3, failed: 0 });
      await flush();
      finish({ total: 3, written: 2, unchanged: 1, failed: 0 });
      await writing;
      expect(s.writingSidecars).toBe(false);
      expect(s.sidecarPass).toEqual({ total: 3, written: 2, unchanged: 1, failed: 0 });
      // The offer is done with once it has been taken.
      expect(s.sidecars).toBeNull();
      expect(toasts.list.at(-1)?.message).toBe('Sidecars written for 3 photos.');
    });

    it('tells where the failures are listed when some photos could not be written', async () => {
      const { s, host, toasts } = setup();
      host.answers.writeSidecars = () => ok({ total: 5, written: 3, unchanged: 0, failed: 2 });
      await s.writeAllSidecars();
      expect(s.sidecarPass?.failed).toBe(2);
      expect(toasts.list.at(-1)?.message).toBe(
        'Sidecars written for 3 of 5 photos; the Library view lists the 2 that failed.',
      );
    });

    it('a refused pass shows why and leaves no summary behind', async () => {
      const { s, host, toasts } = setup();
      host.answers.writeSidecars = () =>
        fail('sidecars-off', 'Writing tags to sidecars is off: choose a sidecar style first.');
      await s.writeAllSidecars();
      expect(s.writingSidecars).toBe(false);
      expect(s.sidecarPass).toBeNull();
      expect(toasts.list.map((t) => [t.kind, t.message])).toEqual([
        ['error', 'Writing tags to sidecars is off: choose a sidecar style first.'],
      ]);
    });
  });
});
