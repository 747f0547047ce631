import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, type GlintApi } from './contract.ts';

// NOTE: only the typed API crosses the bridge; ipcRenderer itself is never exposed.
const api: GlintApi = {
  appInfo: () => ipcRenderer.invoke(CHANNELS.appInfo),
};

contextBridge.exposeInMainWorld('glint', api);
