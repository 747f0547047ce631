import { describe, expect, it } from 'vitest';
import { GlintError, diskFullError, errorMessage } from '../../src/engine/errors.ts';

describe('GlintError', () => {
  it('carries a stable code, its message, its name and its cause', () => {
    const cause = new Error('low level');
    const e = new GlintError('db-locked', 'close the other Glint', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('db-locked');
    expect(e.message).toBe('close the other Glint');
    expect(e.name).toBe('GlintError');
    expect(e.cause).toBe(cause);
    expect(String(e)).toBe('GlintError: close the other Glint');
  });
});

describe('errorMessage', () => {
  it('gives an Error’s message and any other value as a string', () => {
    expect(errorMessage(new TypeError('bad type'))).toBe('bad type');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage({ toString: () => 'custom' })).toBe('custom');
  });
});

describe('diskFullError', () => {
  const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });

  it('turns ENOSPC and EDQUOT into disk-full, naming where, keeping the cause', () => {
    const raw = errno('ENOSPC');
    const e = diskFullError(raw, 'the thumbnails') as GlintError;
    expect(e).toBeInstanceOf(GlintError);
    expect(e.code).toBe('disk-full');
    expect(e.message).toBe(
      'The disk holding the thumbnails is full; free some space and try again. Nothing was lost.',
    );
    expect(e.cause).toBe(raw);
    expect((diskFullError(errno('EDQUOT')) as GlintError).message).toContain(
      'The disk holding the library is full',
    );
  });

  it('returns anything else as it is', () => {
    const other = errno('EACCES');
    expect(diskFullError(other)).toBe(other);
    const plain = new Error('no code');
    expect(diskFullError(plain)).toBe(plain);
    expect(diskFullError('text')).toBe('text');
    expect(diskFullError(undefined)).toBeUndefined();
  });
});
