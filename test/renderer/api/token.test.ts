/** The `glint serve` token: from the URL once (then hidden from it), from this tab's storage on reload. */
import { describe, expect, it } from 'vitest';
import { readToken } from '../../../src/renderer/src/api/token.ts';
import { memoryStorage } from '../state/fake-api.ts';

describe('readToken', () => {
  it('takes the token from the URL, keeps it for reloads and drops it from the address', () => {
    const s = memoryStorage();
    let dropped = 0;
    expect(readToken({ search: '?token=abc%2Bdef', storage: s, dropFromUrl: () => dropped++ })).toBe(
      'abc+def',
    );
    expect(dropped).toBe(1);
    expect(s.getItem('glint.token')).toBe('abc+def');
    expect(readToken({ search: '', storage: s, dropFromUrl: () => dropped++ })).toBe('abc+def');
    expect(dropped).toBe(1);
    expect(readToken({ search: '', storage: memoryStorage() })).toBeNull();
  });

  it('lets a new token in the URL replace the stored one (glint serve restarted)', () => {
    const s = memoryStorage();
    readToken({ search: '?token=old', storage: s });
    expect(readToken({ search: '?x=1&token=new', storage: s })).toBe('new');
    expect(readToken({ search: '', storage: s })).toBe('new');
  });

  it('ignores an empty token parameter', () => {
    const s = memoryStorage();
    s.setItem('glint.token', 'kept');
    let dropped = false;
    expect(readToken({ search: '?token=', storage: s, dropFromUrl: () => (dropped = true) })).toBe('kept');
    expect(dropped).toBe(false);
  });
});
