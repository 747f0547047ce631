/** settle: a call's value, or null after telling the user why (expected failure or crash). */
import { describe, expect, it } from 'vitest';
import { settle } from '../../../src/renderer/src/state/result.ts';
import { Toasts } from '../../../src/renderer/src/state/toasts.svelte.ts';

describe('settle', () => {
  it('gives the value of a success and shows nothing', async () => {
    const toasts = new Toasts();
    expect(await settle(Promise.resolve({ ok: true as const, value: { n: 3 } }), toasts)).toEqual({ n: 3 });
    expect(toasts.list).toEqual([]);
  });

  it('shows an expected failure’s message as an error and gives null', async () => {
    const toasts = new Toasts();
    const res = await settle(
      Promise.resolve({ ok: false as const, error: { code: 'not-found', message: 'That photo is gone.' } }),
      toasts,
    );
    expect(res).toBeNull();
    expect(toasts.list.map((t) => [t.kind, t.message])).toEqual([['error', 'That photo is gone.']]);
  });

  it('turns a rejected call (a bug or a dead transport) into an error toast instead of throwing', async () => {
    const toasts = new Toasts();
    expect(await settle(Promise.reject(new Error('engine crashed')), toasts)).toBeNull();
    expect(await settle(Promise.reject('plain string'), toasts)).toBeNull();
    expect(toasts.list.map((t) => [t.kind, t.message])).toEqual([
      ['error', 'Something went wrong: engine crashed'],
      ['error', 'Something went wrong: plain string'],
    ]);
  });
});
