/** The window's size and position, remembered across launches in a small JSON file and kept on screen. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';

/** What is saved. */
export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

// NOTE: at least this much of the title bar region must be on a display, or the window is re-centred.
const MIN_VISIBLE = { width: 120, height: 60 };

/** The saved state, or null when missing or unreadable. */
export function loadWindowState(file: string): WindowState | null {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    const b = s.bounds;
    const ok = b && [b.x, b.y, b.width, b.height].every((n) => Number.isFinite(n));
    return ok ? { bounds: b, maximized: s.maximized === true } : null;
  } catch {
    return null;
  }
}

/** Writes the state atomically (a crash mid-write never leaves half a file). */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

/**
 * Fits saved bounds to the current displays' work areas: no larger than the display it is on, and
 * re-centred on the primary display when too little of it would be visible (a monitor was unplugged).
 */
export function clampToDisplays(bounds: Rectangle, workAreas: readonly Rectangle[]): Rectangle {
  const primary = workAreas[0];
  if (!primary) return bounds;
  const visible = (a: Rectangle): boolean => {
    const w = Math.min(bounds.x + bounds.width, a.x + a.width) - Math.max(bounds.x, a.x);
    const h = Math.min(bounds.y + bounds.height, a.y + a.height) - Math.max(bounds.y, a.y);
    return w >= MIN_VISIBLE.width && h >= MIN_VISIBLE.height;
  };
  const home = workAreas.find(visible);
  const area = home ?? primary;
  const width = Math.round(Math.min(Math.max(bounds.width, 1), area.width));
  const height = Math.round(Math.min(Math.max(bounds.height, 1), area.height));
  if (!home)
    return {
      x: Math.round(area.x + (area.width - width) / 2),
      y: Math.round(area.y + (area.height - height) / 2),
      width,
      height,
    };
  return {
    x: Math.round(Math.min(Math.max(bounds.x, area.x), area.x + area.width - width)),
    y: Math.round(Math.min(Math.max(bounds.y, area.y), area.y + area.height - height)),
    width,
    height,
  };
}

/** Saves the window's normal bounds and maximised state when it closes. */
export function trackWindowState(win: BrowserWindow, file: string): void {
  win.on('close', () => {
    saveWindowState(file, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
  });
}
