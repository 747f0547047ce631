import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  EVENT_CHANNEL,
  channelOf,
  createApiClient,
  type ApiResult,
  type GlintEvent,
} from '../contract/api.ts';

// NOTE: only the typed API crosses the bridge; ipcRenderer itself is never exposed.
const api = createApiClient({
  call: (method, request) => ipcRenderer.invoke(channelOf(method), request) as Promise<ApiResult<unknown>>,
  mediaUrl: (kind: 'thumb' | 'original', id: number) => `glint-media://${kind}/${Math.trunc(id)}`,
  onEvent: (listener: (event: GlintEvent) => void) => {
    const handler = (_event: IpcRendererEvent, payload: GlintEvent): void => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
});

contextBridge.exposeInMainWorld('glint', api);
