import { describe, expect, it } from 'vitest';
import { deviceArg, existingPath, intArg, parseBitsList } from '../../training/script-args.ts';

describe('the Wiki scripts’ options', () => {
  it('parseBitsList takes a comma list of code lengths, drops duplicates and names a bad value', () => {
    expect(parseBitsList('16, 32,16,128')).toEqual([16, 32, 128]);
    expect(() => parseBitsList('16,24')).toThrow(
      expect.objectContaining({ code: 'usage', message: expect.stringMatching(/"24"/) }),
    );
  });

  it('intArg falls back when absent and refuses non-integers and values below its minimum', () => {
    expect(intArg('epochs', undefined, 100)).toBe(100);
    expect(intArg('seed', '0', 5, 0)).toBe(0);
    expect(() => intArg('batch', '1', 128, 2)).toThrow(/--batch must be an integer ≥ 2/);
    expect(() => intArg('epochs', '2.5', 100)).toThrow(expect.objectContaining({ code: 'usage' }));
  });

  it('deviceArg is cpu by default, cuda on request, a usage error otherwise', () => {
    expect(deviceArg(undefined)).toBe('cpu');
    expect(deviceArg('cuda')).toBe('cuda');
    expect(() => deviceArg('tpu')).toThrow(expect.objectContaining({ code: 'usage' }));
  });

  it('existingPath: usage when the option is absent, not-found when the path is missing', () => {
    expect(existingPath('data', 'package.json', 'FILE')).toMatch(/package\.json$/);
    expect(() => existingPath('data', undefined, 'FILE.mat')).toThrow(
      expect.objectContaining({ code: 'usage', message: '--data FILE.mat is required' }),
    );
    expect(() => existingPath('data', 'no/such.mat', 'FILE.mat')).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    );
  });
});
