/**
 * Entry of the engine's utility process: opens the library and models, builds the API host, and serves
 * main over the process's parent port. Encoding and indexing block this process, never the window.
 */
import { defaultModelFolder } from '../engine/models/paths.ts';
import { Engine } from '../engine/engine.ts';
import { toApiError } from '../engine/errors.ts';
import { createApiHost } from '../engine/host/api-host.ts';
import { createOfflineHost } from '../engine/host/offline-host.ts';
import { defaultLibraryDir } from '../engine/library-paths.ts';
import { defaultSetPuller } from '../engine/models/pull.ts';
import { createEngineServer, type FromEngine, type ToEngine } from './engine-rpc.ts';

/** The part of Electron's ParentPort this process uses. */
interface ParentPortLike {
  on(event: 'message', listener: (e: { data: ToEngine }) => void): void;
  postMessage(message: FromEngine): void;
}

const port = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (!port) throw new Error('engine-process must run as an Electron utility process');

const rpc = createEngineServer((m) => port.postMessage(m));
const version = process.env['GLINT_APP_VERSION'];
const libraryDir = defaultLibraryDir();
// The models folder and device chosen in Settings, else the defaults.
const saved = Engine.savedModels(libraryDir);
const modelsDir = saved.dir ?? defaultModelFolder();
// The bundle cannot find the manifest beside its source; main says where the app keeps it.
const modelsPuller = defaultSetPuller(process.env['GLINT_MODEL_MANIFEST']);

// Messages that arrive while the engine opens wait for it.
const early: ToEngine[] = [];
let serve = (m: ToEngine): void => void early.push(m);
port.on('message', (e) => serve(e.data));

let engine: Engine | undefined;
try {
  engine = await Engine.open({
    libraryDir,
    modelsDir,
    device: saved.device ?? 'cpu',
    owner: 'the Glint app',
  });
} catch (err) {
  const error = toApiError(err);
  const host = createOfflineHost(error, {
    shell: 'electron',
    modelsDir,
    modelsPuller,
    ...(version ? { version } : {}),
  });
  host.onEvent((event) => port.postMessage({ type: 'event', event }));
  serve = (m) => rpc.serve(host, m);
}
if (engine) {
  const host = createApiHost(engine, {
    shell: 'electron',
    watch: true,
    revealer: (path) => rpc.shell.reveal(path),
    opener: (path) => rpc.shell.open(path),
    picker: () => rpc.shell.pick(),
    modelsPuller,
    ...(version ? { version } : {}),
  });
  host.onEvent((event) => port.postMessage({ type: 'event', event }));
  serve = (m) => rpc.serve(host, m);
  host.reindexAll();
  const opened = engine;
  process.once('SIGTERM', () => {
    void host
      .close()
      .then(() => opened.close())
      .finally(() => process.exit(0));
  });
}
for (const m of early.splice(0)) serve(m);
port.postMessage({ type: 'ready' });
