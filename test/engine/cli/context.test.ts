/** The CLI's shared option parsing. */
import { describe, expect, it } from 'vitest';
import { positiveOption } from '../../../src/engine/cli/context.ts';
import { GlintError } from '../../../src/engine/errors.ts';

describe('positiveOption', () => {
  it('takes a whole number of 1 or more and refuses anything else, naming the option and the value', () => {
    expect(positiveOption('20', '-k')).toBe(20);
    expect(positiveOption(1, '--limit')).toBe(1);
    for (const bad of ['0', '-3', '2.5', 'ten', '', undefined]) {
      const err = (() => {
        try {
          positiveOption(bad, '--limit');
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(GlintError);
      expect((err as GlintError).code).toBe('usage');
      expect((err as GlintError).message).toBe(
        `--limit must be a whole number of 1 or more (got ${String(bad)}).`,
      );
    }
  });
});
