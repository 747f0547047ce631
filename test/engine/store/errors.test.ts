import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { library, open, tempDir } from './helpers.ts';

describe('store/errors', () => {
  it('latest per (path, stage), newest first, clear and count', () => {
    const s = library();
    S.recordError(s, { path: '/a', stage: 'decode', code: 'bad-jpeg', message: 'broken' });
    S.recordError(s, { path: '/b', stage: 'read', message: 'gone' });
    S.recordError(s, { path: '/a', stage: 'decode', message: 'still broken' });
    S.recordError(s, { path: '/a', stage: 'metadata', message: 'bad xmp' });
    S.recordError(s, { path: '/lib/x/y', stage: 'read', message: 'nope' });
    expect(S.countErrors(s)).toBe(4);
    expect(S.listErrors(s).map((e) => [e.path, e.stage, e.message])).toEqual([
      ['/lib/x/y', 'read', 'nope'],
      ['/a', 'metadata', 'bad xmp'],
      ['/a', 'decode', 'still broken'],
      ['/b', 'read', 'gone'],
    ]);
    expect(S.listErrors(s, { limit: 1, offset: 1 })[0]?.stage).toBe('metadata');
    expect(S.listErrors(s)[2]?.code).toBeNull();
    expect(S.clearErrors(s, '/a', 'decode')).toBe(1);
    expect(S.clearErrorsUnder(s, '/lib')).toBe(1);
    expect(S.clearErrors(s, '/a')).toBe(1);
    expect(S.countErrors(s)).toBe(1);
  });

  it('stamps each error with the store clock; a repeat keeps the row and takes the new time and code', () => {
    const now = { t: 100 };
    const s = open(join(tempDir(), 'library.db'), { now: () => now.t });
    S.recordError(s, { path: '/a', stage: 'decode', code: 'x', message: 'm1' });
    const [first] = S.listErrors(s);
    now.t = 250;
    S.recordError(s, { path: '/a', stage: 'decode', message: 'm2' });
    expect(S.listErrors(s)).toEqual([
      { id: first!.id, path: '/a', stage: 'decode', code: null, message: 'm2', at: 250 },
    ]);
    expect(first!.at).toBe(100);
  });

  it('clears under a folder only, not a sibling whose name starts the same, with or without a trailing slash', () => {
    const s = library();
    for (const path of ['/lib/a.jpg', '/lib/sub/b.jpg', '/library/c.jpg', '/lib']) {
      S.recordError(s, { path, stage: 'read', message: 'x' });
    }
    expect(S.clearErrorsUnder(s, '/lib/')).toBe(2);
    expect(
      S.listErrors(s)
        .map((e) => e.path)
        .sort(),
    ).toEqual(['/lib', '/library/c.jpg']);
    expect(S.clearErrorsUnder(s, '/lib')).toBe(0);
    expect(S.clearErrors(s, '/lib', 'decode')).toBe(0);
    expect(S.clearErrors(s, '/lib', 'read')).toBe(1);
  });

  it('treats the prefix literally (no LIKE wildcards)', () => {
    const s = library();
    S.recordError(s, { path: '/a_b/x', stage: 'read', message: 'x' });
    S.recordError(s, { path: '/aXb/x', stage: 'read', message: 'x' });
    S.recordError(s, { path: '/a%/y', stage: 'read', message: 'x' });
    expect(S.clearErrorsUnder(s, '/a_b')).toBe(1);
    expect(S.clearErrorsUnder(s, '/a%')).toBe(1);
    expect(S.listErrors(s).map((e) => e.path)).toEqual(['/aXb/x']);
  });
});
