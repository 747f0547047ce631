import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { library } from './helpers.ts';

describe('store/settings', () => {
  it('get/set/delete, JSON helpers', () => {
    const s = library();
    expect(S.getSetting(s, 'k')).toBeUndefined();
    S.setSetting(s, 'k', 'v');
    S.setSetting(s, 'k', 'w');
    expect(S.getSetting(s, 'k')).toBe('w');
    S.setSetting(s, 'k', null);
    expect(S.getSetting(s, 'k')).toBeUndefined();
    S.setJsonSetting(s, 'j', { a: [1, 2] });
    expect(S.getJsonSetting(s, 'j', null)).toEqual({ a: [1, 2] });
    S.setSetting(s, 'bad', '{');
    expect(S.getJsonSetting(s, 'bad', 7)).toBe(7);
  });

  it('keeps the empty string and stores JSON as text; an unset JSON setting gives the fallback', () => {
    const s = library();
    S.setSetting(s, 'empty', '');
    expect(S.getSetting(s, 'empty')).toBe('');
    S.setJsonSetting(s, 'n', 0);
    S.setJsonSetting(s, 'f', false);
    expect(S.getSetting(s, 'n')).toBe('0');
    expect(S.getJsonSetting(s, 'n', 5)).toBe(0);
    expect(S.getJsonSetting(s, 'f', true)).toBe(false);
    expect(S.getJsonSetting(s, 'missing', 'fb')).toBe('fb');
    // A stored NULL (written by hand) reads as unset.
    s.db.prepare("INSERT INTO settings(key, value) VALUES ('nul', NULL)").run();
    expect(S.getSetting(s, 'nul')).toBeUndefined();
    expect(S.getJsonSetting(s, 'nul', 3)).toBe(3);
    // Deleting a key that is not set is harmless.
    S.setSetting(s, 'never', null);
    expect(S.getSetting(s, 'never')).toBeUndefined();
  });
});
