/** `glint train --epochs` through a real glint process: a bad count exits 2 with the rule, before the library opens. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { glint } from '../../../helpers/glint-cli.ts';

describe('glint train --epochs (a real glint process)', () => {
  const root = mkdtempSync(join(tmpdir(), 'glint-train-cli-'));
  const library = join(root, 'library');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses 0, −5, empty, a fraction, text and more than 500 with exit 2, and writes nothing', () => {
    const cases: Array<[string, string]> = [
      ['0', '"0"'],
      ['-5', '"-5"'],
      ['', 'nothing'],
      ['2.5', '"2.5"'],
      ['ten', '"ten"'],
      ['501', '"501"'],
    ];
    for (const [value, shown] of cases) {
      const r = glint(['--library', library, 'train', `--epochs=${value}`]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(
        `--epochs must be a whole number from 1 to 500 (each epoch is one pass over your tagged photos); you gave ${shown}`,
      );
    }
    // Refused before the library was opened: nothing was created for it.
    expect(existsSync(library)).toBe(false);
  });
});
