/**
 * The one typed IPC contract between the renderer and main. Types and channel names only:
 * preload implements `GlintApi` with contextBridge, the renderer reads it from `window.glint`.
 */

/** IPC channel names, one per API call. */
export const CHANNELS = {
  appInfo: 'glint:app-info',
} as const;

/** What the renderer learns about the running app. */
export interface AppInfo {
  name: string;
  version: string;
  platform: string;
}

/** The API exposed to the renderer as `window.glint`. */
export interface GlintApi {
  appInfo(): Promise<AppInfo>;
}
