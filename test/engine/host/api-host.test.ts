import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine.ts';
import { createApiHost, type ApiHost } from '../../../src/engine/host/api-host.ts';
import type {
  ApiResult,
  GlintEvent,
  ItemDetail,
  SearchResponse,
  Settings,
  TagView,
} from '../../../src/contract/api.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../../helpers/shared-data.ts';
import { openHostFixture, type HostFixture } from './host-fixture.ts';

function value<T>(r: ApiResult<unknown>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe.skipIf(!HAS_SHARED_DATA)('engine host over a real engine (tiny stand-ins, shared photos)', () => {
  let fx: HostFixture;
  let host: ApiHost;
  let tempDir: string;
  const revealed: string[] = [];
  /** Engine methods the host called (the real engine, observed through a proxy). */
  const calls: string[] = [];

  beforeAll(async () => {
    fx = await openHostFixture();
    tempDir = mkdtempSync(join(tmpdir(), 'glint-host-drop-'));
    const observed = new Proxy(fx.engine, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          calls.push(String(prop));
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Engine;
    host = createApiHost(observed, {
      shell: 'browser',
      tempDir,
      revealer: (p) => void revealed.push(p),
      watch: true,
    });
  });

  afterAll(async () => {
    await host?.close();
    await fx?.cleanup();
    rmSync(tempDir, { recursive: true, force: true });
  });

  const photoIds = async (limit = 50): Promise<number[]> =>
    value<SearchResponse>(await host.handlers.search({ text: 'a photo', limit })).photos.map((r) => r.id);

  it('searches photos and notes, best first, with names and sizes but no paths', async () => {
    const photos = value<SearchResponse>(await host.handlers.search({ text: 'a dog', limit: 4 }));
    expect(photos.photos).toHaveLength(4);
    expect(photos.photos.every((r) => r.kind === 'photo' && r.name.endsWith('.jpg') && r.width! > 0)).toBe(
      true,
    );
    expect(JSON.stringify(photos)).not.toContain(fx.photos);
    const d = photos.photos.map((r) => r.distance);
    expect(d).toEqual([...d].sort((a, b) => a - b));
    expect(photos.bits).toBe(64);
    expect(photos.radius.photos).toBeGreaterThanOrEqual(-1);
    const everything = value<SearchResponse>(
      await host.handlers.search({ text: 'a dog', limit: 4, radius: 'all' }),
    );
    expect(everything.photos).toHaveLength(4);
    expect(everything.nearestOnly).toEqual({ photos: false, notes: false });
    const within = value<SearchResponse>(
      await host.handlers.search({ text: 'a dog', limit: 50, radius: 20 }),
    );
    expect(within.radius.photos).toBe(20);
    expect(within.nearestOnly.photos || within.photos.every((p) => p.distance <= 20)).toBe(true);
    // The same one call answers the notes and captions too.
    expect(photos.notes.length).toBeGreaterThan(0);
    expect(photos.notes.every((r) => r.kind !== 'photo' && typeof r.text === 'string')).toBe(true);
    const fewer = value<SearchResponse>(
      await host.handlers.search({ text: 'a dog', limit: 4, noteLimit: 2 }),
    );
    expect(fewer.notes.map((n) => n.id)).toEqual(photos.notes.slice(0, 2).map((n) => n.id));
    expect(value<SearchResponse>(await host.handlers.search({ text: 'a dog', noteLimit: 0 })).notes).toEqual(
      [],
    );
  });

  it('tags photos in bulk, filters a search by tag and folder, and untags', async () => {
    const [a, b] = await photoIds();
    expect(
      value<{ changed: number }>(await host.handlers.tagItems({ ids: [a, b], tag: ' Max ' })).changed,
    ).toBe(2);
    expect(
      value<{ changed: number }>(await host.handlers.tagItems({ ids: [a, b], tag: 'max' })).changed,
    ).toBe(0);
    const filtered = value<SearchResponse>(
      await host.handlers.search({ text: 'a dog', limit: 50, filters: { tags: ['MAX'] } }),
    );
    expect(filtered.photos.map((r) => r.id).sort()).toEqual([a, b].sort());
    const tags = value<TagView[]>(await host.handlers.listTags());
    expect(tags.find((t) => t.name === 'Max')).toEqual({
      name: 'Max',
      count: 2,
      userCount: 2,
      sources: ['user'],
      parent: null,
      leaf: 'Max',
    });
    const folders = value<Array<{ id: number; path: string; files: number }>>(
      await host.handlers.listFolders(),
    );
    const notesFolder = folders.find((f) => f.path === fx.notes)!;
    expect(notesFolder.files).toBe(fx.manifest.length);
    const inNotes = value<SearchResponse>(
      await host.handlers.search({ text: 'dog', filters: { folderId: notesFolder.id } }),
    );
    expect(inNotes.photos).toEqual([]);
    const future = value<SearchResponse>(
      await host.handlers.search({ text: 'dog', filters: { from: Date.now() + 1e12 } }),
    );
    expect(future.photos).toEqual([]);
    expect(value<{ changed: number }>(await host.handlers.untagItems({ ids: [a], tag: 'max' })).changed).toBe(
      1,
    );
    const after = value<SearchResponse>(
      await host.handlers.search({ text: 'x', filters: { tags: ['Max'] } }),
    );
    expect(after.photos.map((r) => r.id)).toEqual([b]);
  });

  it('shows an item in detail and reveals it by id', async () => {
    const [id] = await photoIds();
    const detail = value<ItemDetail>(await host.handlers.item({ id }));
    expect(detail.kind).toBe('photo');
    expect(detail.folder).toBe(fx.photos);
    expect(detail.path.startsWith(fx.photos)).toBe(true);
    expect(value(await host.handlers.reveal({ id }))).toBeNull();
    expect(revealed.at(-1)).toBe(detail.path);
    const missing = await host.handlers.item({ id: 999_999 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await host.handlers.openExternal({ id })).toMatchObject({
      ok: false,
      error: { code: 'not-available' },
    });
  });

  it('searches with dropped image bytes (Uint8Array or base64) and deletes the temp file', async () => {
    const bytes = new Uint8Array(readFileSync(join(fx.photos, fx.manifest[0]!.file)));
    const found = value<SearchResponse>(
      await host.handlers.search({ images: [{ bytes, name: 'drop.JPG' }], limit: 3, noteLimit: 3 }),
    );
    expect(found.notes).toHaveLength(3);
    expect(found.notes.every((n) => n.kind === 'note_chunk')).toBe(true);
    expect(found.photos.length).toBeGreaterThan(0);
    const b64 = Buffer.from(bytes).toString('base64');
    const again = value<SearchResponse>(
      await host.handlers.search({ images: [{ bytes: b64, name: 'x' }], limit: 3, noteLimit: 3 }),
    );
    expect(again.notes.map((n) => n.id)).toEqual(found.notes.map((n) => n.id));
    expect(readdirSync(tempDir)).toEqual([]);
    const bad = await host.handlers.search({
      images: [{ bytes: new Uint8Array([1, 2, 3]), name: 'a.jpg' }],
    });
    expect(bad).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^image-/) } });
    expect(readdirSync(tempDir)).toEqual([]);
    const [id] = await photoIds();
    const byId = value<SearchResponse>(await host.handlers.search({ images: [{ itemId: id! }], limit: 50 }));
    expect(byId.photos.some((p) => p.id === id)).toBe(false);
    // Words, an image and an avoided word in one query; the image counts double.
    const mixed = value<SearchResponse>(
      await host.handlers.search({
        text: 'a dog -a cat',
        images: [{ itemId: id!, weight: 2 }],
        limit: 50,
        radius: 'all',
      }),
    );
    expect(mixed.photos.length).toBe(fx.manifest.length - 1);
    expect(mixed.photos.some((p) => p.id === id)).toBe(false);
    const onlyAvoid = await host.handlers.search({ text: '-dog', limit: 3, radius: 'all' });
    expect(value<SearchResponse>(onlyAvoid).photos).toHaveLength(3);
  });

  it('rejects malformed payloads with ok:false before they reach the engine', async () => {
    const bad: Array<[keyof ApiHost['handlers'], unknown]> = [
      ['search', { text: 5 }],
      ['search', { text: 'x', extra: 1 }],
      ['search', { text: 'x'.repeat(1_001) }],
      ['search', { text: 'x', limit: 0 }],
      ['search', { text: 'x', limit: Number.NaN }],
      ['search', { text: 'x', limit: 100_001 }],
      ['search', { text: 'x', target: 'notes' }],
      ['search', { images: [{ itemId: 1 }], noteLimit: -1 }],
      ['search', { text: 'x', radius: 129 }],
      ['search', { images: [{ itemId: 1, weight: 5 }] }],
      ['search', { text: 'x', radius: 'wide' }],
      ['search', { text: 'x', radius: 1.5 }],
      ['search', { text: 'x', filters: { tags: 'Max' } }],
      ['search', null],
      ['item', { id: -1 }],
      ['item', { id: 1.5 }],
      ['item', { id: '1' }],
      ['item', { id: Number.NaN }],
      ['tagItems', { ids: [], tag: 'x' }],
      ['tagItems', { ids: [1], tag: '   ' }],
      ['tagItems', { ids: [0], tag: 'x' }],
      ['addFolder', { path: '' }],
      ['addFolder', { path: 'x'.repeat(5_000) }],
      ['search', { images: [{ bytes: 'not base64!', name: 'a' }] }],
      ['search', { images: [{ path: '/etc/passwd' }] }],
      ['setSettings', { theme: 'neon' }],
      ['setSettings', { bits: 48 }],
      ['removeFolder', { id: 1, path: '/' }],
      ['status', { anything: true }],
    ];
    calls.length = 0;
    for (const [method, payload] of bad) {
      const r = await host.handlers[method](payload);
      expect(r, `${method} ${JSON.stringify(payload)}`).toMatchObject({
        ok: false,
        error: { code: 'invalid-request' },
      });
    }
    expect(calls).toEqual([]);
    expect(await host.call('constructor', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-method' },
    });
    for (const empty of [{ text: '  ' }, {}, { images: [] }])
      expect(await host.handlers.search(empty)).toMatchObject({ ok: false, error: { code: 'usage' } });
  });

  it('keeps settings in the library, with defaults', async () => {
    const defaults = value<Settings>(await host.handlers.getSettings());
    expect(defaults).toEqual({
      bits: 64,
      device: 'cpu',
      modelsDir: fx.engine.modelsDir,
      theme: 'system',
      xmpWriteBack: 'off',
    });
    const set = value<Settings>(await host.handlers.setSettings({ theme: 'dark', bits: 32 }));
    expect(set).toMatchObject({ theme: 'dark', bits: 32, device: 'cpu' });
    expect(value<Settings>(await host.handlers.getSettings())).toEqual(set);
    // The code length is the active head's (saving 32 bits switched search to a 32-bit head), not a stored value.
    expect(fx.engine.heads.active.bits).toBe(32);
    expect(fx.engine.setting('app.settings', {})).toEqual({ theme: 'dark' });
    await host.handlers.setSettings({ theme: 'system', bits: 64 });
    // XMP write-back is the library's own setting, which the engine's SidecarService follows.
    const xmp = value<Settings>(await host.handlers.setSettings({ xmpWriteBack: 'photo.xmp' }));
    expect(xmp.xmpWriteBack).toBe('photo.xmp');
    expect(fx.engine.sidecars.mode()).toBe('photo.xmp');
    expect(value<{ mode: string; photos: number }>(await host.handlers.sidecarStatus())).toMatchObject({
      mode: 'photo.xmp',
    });
    expect(await host.handlers.setSettings({ xmpWriteBack: 'photo.tif.xmp' })).toMatchObject({ ok: false });
    await host.handlers.setSettings({ xmpWriteBack: 'off' });
  });

  it('indexes an added folder in the background with progress (rate, ETA) and an idle event', async () => {
    const events: GlintEvent[] = [];
    const off = host.onEvent((e) => events.push(e));
    const added = await host.handlers.addFolder({ path: fx.more });
    expect(added.ok).toBe(true);
    await host.idle();
    off();
    const progress = events.flatMap((e) => (e.type === 'index-progress' ? [e.progress] : []));
    expect(progress.at(-1)).toMatchObject({ done: 4, total: 4, failed: 0, etaSeconds: 0 });
    expect(progress.every((p) => p.rate >= 0)).toBe(true);
    expect(events.some((e) => e.type === 'index-idle')).toBe(true);
    expect(value<{ photos: number }>(await host.handlers.status()).photos).toBe(fx.manifest.length + 4);
    expect(await host.handlers.addFolder({ path: join(fx.root, 'nope') })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('watches library folders and indexes a photo copied in', async () => {
    const before = value<{ photos: number }>(await host.handlers.status()).photos;
    const idle = new Promise<void>((resolve) => {
      const off = host.onEvent((e) => {
        if (e.type === 'index-idle') {
          off();
          resolve();
        }
      });
    });
    const extra = photoManifest()[30]!.file;
    copyFileSync(join(PHOTOS_DIR, extra), join(fx.photos, extra));
    await idle;
    await host.idle();
    expect(value<{ photos: number }>(await host.handlers.status()).photos).toBe(before + 1);
  }, 20_000);

  it('reports retraining as unavailable with too few tags, and fails a start with a clear reason', async () => {
    const info = value<{ available: boolean; reason?: string; taggedPhotos: number }>(
      await host.handlers.trainingInfo(),
    );
    expect(info.available).toBe(false);
    expect(info.reason).toMatch(/20 photos|not available/);
    const events: GlintEvent[] = [];
    const off = host.onEvent((e) => events.push(e));
    const started = await host.handlers.startTraining({ epochs: 1 });
    if (started.ok) await host.idle();
    off();
    const failed = events.find((e) => e.type === 'train-failed');
    expect(started.ok ? failed : started).toMatchObject(
      started.ok ? { error: { code: expect.any(String) } } : { error: { code: 'not-available' } },
    );
    expect(await host.handlers.cancelTraining()).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('serves media by id only', async () => {
    const [id] = await photoIds();
    expect(host.media('thumb', String(id))?.contentType).toBe('image/webp');
    expect(host.media('original', id!)?.contentType).toBe('image/jpeg');
    for (const bad of ['0', '-1', '1.5', '..', '%2e%2e', '1e3', 'abc', '', '99999999']) {
      expect(host.media('thumb', bad), bad).toBeNull();
    }
    expect(host.media('../thumb', String(id))).toBeNull();
  });
});
