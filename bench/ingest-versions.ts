/**
 * The operations bench:ingest times, written once against the engine API that both the baseline and the
 * current code share (each version's own modules are imported from its own folder).
 */
import { readdirSync, statSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as EngineModule from '../src/engine/engine.ts';
import type * as StoreModule from '../src/engine/store/index.ts';
import type * as ScanModule from '../src/engine/ingest/enqueue-scan.ts';
import type * as HostModule from '../src/engine/host/api-host.ts';
import type * as HeadFormatModule from '../src/engine/hash/head-format.ts';

/** One version of the engine, as the bench drives it. */
export interface Version {
  populate(library: string, models: string, photos: string): Promise<void>;
  rescan(library: string, photos: string): Promise<{ ms: number; queued: number }>;
  drainRemovals(library: string, models: string, photos: string, n: number): Promise<number>;
  watchToSearchable(
    library: string,
    models: string,
    photos: string,
    photo: string,
    run: number,
  ): Promise<number>;
}

/** Every file below `dir`, by path. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Loads a version's modules from `engineDir` (its src/engine folder). */
export async function loadVersion(engineDir: string, label: 'baseline' | 'current'): Promise<Version> {
  const E = (await import(join(engineDir, 'engine.ts'))) as typeof EngineModule;
  const S = (await import(join(engineDir, 'store/index.ts'))) as typeof StoreModule;
  const Scan = (await import(join(engineDir, 'ingest/enqueue-scan.ts'))) as typeof ScanModule;
  const Host = (await import(join(engineDir, 'host/api-host.ts'))) as typeof HostModule;
  const Head = (await import(join(engineDir, 'hash/head-format.ts'))) as typeof HeadFormatModule;
  const db = (library: string): string => join(library, 'glint.db');
  const open = (library: string, models: string): Promise<EngineModule.Engine> =>
    E.Engine.open({ libraryDir: library, modelsDir: models });

  return {
    async populate(library, models, photos) {
      let engine = await open(library, models);
      await engine.folders.add(photos);
      const modelId = engine.modelId;
      await engine.close();
      const store = S.openStore(db(library));
      const head = S.getActiveHead(store, modelId);
      if (!head) throw new Error(`${label}: no active head`);
      const dim = (await Head.readHeadMeta(head.dir)).embeddingDim;
      const folderId = S.getFolder(store, photos)?.id ?? null;
      const vector = new Float32Array(dim);
      store.tx(() => {
        filesUnder(photos).forEach((path, i) => {
          const st = statSync(path);
          const fileId = S.upsertFile(store, {
            path,
            kind: 'photo',
            size: st.size,
            mtimeMs: st.mtimeMs,
            hash: i.toString(16).padStart(64, '0'),
            folderId,
            dev: st.dev,
          });
          const [itemId] = S.replaceFileItems(store, fileId, [{ kind: 'photo', modality: 'image' }]);
          vector[i % dim] = 1;
          S.putEmbeddings(store, modelId, [{ itemId: itemId as number, vector }]);
          vector[i % dim] = 0;
          S.putCodes(store, head.id, [{ itemId: itemId as number, words: [BigInt(i)] }]);
        });
      });
      store.close();
      // One pass, so the default head is fitted to the library before anything is timed.
      engine = await open(library, models);
      await engine.ingest.index();
      await engine.close();
    },

    async rescan(library, photos) {
      const store = S.openStore(db(library));
      try {
        const t0 = performance.now();
        const onError = (): void => {};
        const summary =
          label === 'current'
            ? await Scan.enqueueFolderScan(
                store,
                S.getFolder(store, photos) as StoreModule.Folder,
                modelIdOf(store),
                onError,
              )
            : await (
                Scan.enqueueFolderScan as unknown as (
                  s: StoreModule.Store,
                  root: string,
                  model: string,
                  onError: () => void,
                ) => Promise<{ queued: number }>
              )(store, photos, modelIdOf(store), onError);
        return { ms: performance.now() - t0, queued: summary.queued };
      } finally {
        store.close();
      }
    },

    async drainRemovals(library, models, photos, n) {
      const engine = await open(library, models);
      const store = S.openStore(db(library));
      const paths = filesUnder(photos).slice(0, n);
      store.tx(() => paths.forEach((p) => S.enqueueJob(store, 'remove', p)));
      try {
        const t0 = performance.now();
        await engine.ingest.drain();
        const ms = performance.now() - t0;
        const left = store.stmt('SELECT count(*) FROM files').pluck().get() as number;
        if (left !== filesUnder(photos).length - n)
          throw new Error(`${label}: ${left} files left after ${n} removals`);
        return ms;
      } finally {
        store.close();
        await engine.close();
      }
    },

    async watchToSearchable(library, models, photos, photo, run) {
      const engine = await open(library, models);
      const host = Host.createApiHost(engine, { shell: 'browser', watch: true });
      const store = S.openStore(db(library), { readonly: true });
      try {
        // NOTE: chokidar walks 20,000 files to place its watches; give both versions the same head start.
        await sleep(6_000);
        const target = join(photos, `new-${label}-${run}.jpg`);
        copyFileSync(photo, target);
        const t0 = performance.now();
        const deadline = t0 + 60_000;
        while (performance.now() < deadline) {
          const id = store
            .stmt(
              "SELECT i.id FROM items i JOIN files f ON f.id = i.file_id WHERE f.path = ? AND i.kind = 'photo'",
            )
            .pluck()
            .get(target) as number | undefined;
          if (id !== undefined) {
            const res = await host.handlers.search({ text: 'a photo', target: 'photos', limit: 100_000 });
            if (res.ok && (res.value as { results: Array<{ id: number }> }).results.some((r) => r.id === id))
              return performance.now() - t0;
          }
          await sleep(50);
        }
        throw new Error(`${label}: the new photo was not searchable within 60 s`);
      } finally {
        store.close();
        await host.close();
        await engine.close();
      }
    },
  };

  function modelIdOf(store: StoreModule.Store): string {
    return (store.stmt('SELECT model_id FROM embeddings LIMIT 1').pluck().get() as string | undefined) ?? 'm';
  }
}
