import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, METHODS, channelOf, type GlintApi, type GlintEvent } from '../contract/api.ts';

// NOTE: only the typed API crosses the bridge; ipcRenderer itself is never exposed.
const methods = Object.fromEntries(
  METHODS.map((method) => [method, (request?: unknown) => ipcRenderer.invoke(channelOf(method), request)]),
);

const api = {
  ...methods,
  mediaUrl: (kind: 'thumb' | 'original', id: number) => `glint-media://${kind}/${Math.trunc(id)}`,
  onEvent: (listener: (event: GlintEvent) => void) => {
    const handler = (_event: IpcRendererEvent, payload: GlintEvent): void => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
} as GlintApi;

contextBridge.exposeInMainWorld('glint', api);
