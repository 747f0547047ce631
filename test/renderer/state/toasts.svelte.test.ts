/** Toasts: the last four messages, no duplicates, info going away by itself (later with an action), errors staying. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Toasts } from '../../../src/renderer/src/state/toasts.svelte.ts';

describe('Toasts', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('shows info for 7 s and errors until dismissed', () => {
    const t = new Toasts();
    t.show('Saved.');
    t.show('Disk full.', 'error');
    expect(t.list.map((x) => [x.kind, x.message])).toEqual([
      ['info', 'Saved.'],
      ['error', 'Disk full.'],
    ]);
    vi.advanceTimersByTime(6999);
    expect(t.list).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(t.list.map((x) => x.message)).toEqual(['Disk full.']);
    vi.advanceTimersByTime(60_000);
    expect(t.list.map((x) => x.message)).toEqual(['Disk full.']);
    t.dismiss(t.list[0]!.id);
    expect(t.list).toEqual([]);
  });

  it('keeps a message with an action twice as long, and carries the action', () => {
    const t = new Toasts();
    const run = vi.fn();
    t.show('Folder removed.', 'info', { label: 'Undo', run });
    vi.advanceTimersByTime(7000);
    expect(t.list).toHaveLength(1);
    t.list[0]!.action!.run();
    expect(run).toHaveBeenCalledOnce();
    expect(t.list[0]!.action!.label).toBe('Undo');
    vi.advanceTimersByTime(7000);
    expect(t.list).toEqual([]);
  });

  it('shows a repeated message once, as the newest, and keeps only the last four', () => {
    const t = new Toasts();
    for (const m of ['a', 'b', 'a']) t.show(m, 'error');
    expect(t.list.map((x) => x.message)).toEqual(['b', 'a']);
    for (const m of ['c', 'd', 'e', 'f']) t.show(m, 'error');
    expect(t.list.map((x) => x.message)).toEqual(['c', 'd', 'e', 'f']);
    expect(new Set(t.list.map((x) => x.id)).size).toBe(4);
    expect(Object.keys(t.list[0]!)).not.toContain('action');
  });

  it('dismissing one message leaves the others, and a stale timer does not remove a newer copy', () => {
    const t = new Toasts();
    t.show('x');
    vi.advanceTimersByTime(5000);
    t.show('x');
    vi.advanceTimersByTime(2000);
    // The first copy's timer fired, but the newer copy has its own id and stays.
    expect(t.list.map((x) => x.message)).toEqual(['x']);
    t.show('y', 'error');
    t.dismiss(t.list.find((x) => x.message === 'y')!.id);
    expect(t.list.map((x) => x.message)).toEqual(['x']);
  });
});
