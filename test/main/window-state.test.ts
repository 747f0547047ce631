/** The window's size and place across launches: saved atomically, loaded defensively, kept on a display. */
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  clampToDisplays,
  loadWindowState,
  saveWindowState,
  trackWindowState,
} from '../../src/main/window-state.ts';

const primary = { x: 0, y: 0, width: 1920, height: 1080 };
const right = { x: 1920, y: 0, width: 1280, height: 1024 };

describe('clampToDisplays', () => {
  it('keeps bounds that are on a display', () => {
    expect(clampToDisplays({ x: 100, y: 50, width: 1200, height: 800 }, [primary, right])).toEqual({
      x: 100,
      y: 50,
      width: 1200,
      height: 800,
    });
    expect(clampToDisplays({ x: 2000, y: 10, width: 800, height: 600 }, [primary, right]).x).toBe(2000);
  });

  it('re-centres a window whose display is gone, and shrinks one larger than its display', () => {
    expect(clampToDisplays({ x: 2000, y: 10, width: 800, height: 600 }, [primary])).toEqual({
      x: 560,
      y: 240,
      width: 800,
      height: 600,
    });
    const big = clampToDisplays({ x: -50, y: -50, width: 5000, height: 3000 }, [primary]);
    expect(big).toEqual({ x: 0, y: 0, width: 1920, height: 1080 });
  });

  it('pulls a window hanging off its display’s edge back inside it', () => {
    // 200 px of it on the right display: enough to find it, so it stays there, pulled fully inside.
    expect(clampToDisplays({ x: 3000, y: 900, width: 400, height: 300 }, [primary, right])).toEqual({
      x: 2800,
      y: 724,
      width: 400,
      height: 300,
    });
  });

  it('re-centres a window with only a sliver on screen', () => {
    // 100 px visible: less than the 120 px needed to grab it.
    expect(clampToDisplays({ x: 1820, y: 100, width: 400, height: 300 }, [primary])).toEqual({
      x: 760,
      y: 390,
      width: 400,
      height: 300,
    });
  });

  it('keeps the bounds when no display is known', () => {
    const b = { x: 5, y: 6, width: 7, height: 8 };
    expect(clampToDisplays(b, [])).toBe(b);
  });
});

describe('loadWindowState / saveWindowState / trackWindowState', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glint-winstate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('saves and loads the state, and ignores a broken file', () => {
    const file = join(dir, 'sub', 'window-state.json');
    expect(loadWindowState(file)).toBeNull();
    saveWindowState(file, { bounds: { x: 1, y: 2, width: 3, height: 4 }, maximized: true });
    expect(loadWindowState(file)).toEqual({ bounds: { x: 1, y: 2, width: 3, height: 4 }, maximized: true });
    expect(JSON.parse(readFileSync(file, 'utf8')).maximized).toBe(true);
    expect(existsSync(`${file}.tmp`)).toBe(false);
    writeFileSync(file, '{"bounds": {"x": "a"}}');
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, '{"bounds": {"x": 1, "y": 2, "width": 3}}');
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, 'null');
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, 'not json');
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, '{"bounds": {"x": 1, "y": 2, "width": 3, "height": 4}, "maximized": "yes"}');
    expect(loadWindowState(file)?.maximized).toBe(false);
  });

  it('saves the normal bounds and the maximised state when the window closes', () => {
    const file = join(dir, 'tracked.json');
    const win = Object.assign(new EventEmitter(), {
      getNormalBounds: () => ({ x: 10, y: 20, width: 1000, height: 700 }),
      isMaximized: () => true,
    });
    trackWindowState(win as never, file);
    expect(existsSync(file)).toBe(false);
    win.emit('close');
    expect(loadWindowState(file)).toEqual({
      bounds: { x: 10, y: 20, width: 1000, height: 700 },
      maximized: true,
    });
  });
});
