import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GlintError } from '../../src/engine/errors.ts';
import { readJsonFile, type JsonFileFailures } from '../../src/engine/json-file.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'glint-json-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Failures that record what they were given. */
function failures(): JsonFileFailures & { seen: unknown[] } {
  const seen: unknown[] = [];
  return {
    seen,
    unreadable: (err) => (seen.push(err), new GlintError('x-unreadable', 'cannot read')),
    invalid: (err) => (seen.push(err), new GlintError('x-invalid', 'not JSON')),
  };
}

async function failure(p: Promise<unknown>): Promise<GlintError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GlintError);
  return err as GlintError;
}

describe('readJsonFile', () => {
  it('parses the file', async () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, '{"a": [1, "two", null], "b": {"c": true}}');
    expect(await readJsonFile(path, failures())).toEqual({ a: [1, 'two', null], b: { c: true } });
    writeFileSync(path, '\ufeff42');
    // A UTF-8 BOM is not JSON: the caller hears about it.
    expect((await failure(readJsonFile(path, failures()))).code).toBe('x-invalid');
  });

  it('hands the fs error of a missing file to `unreadable`', async () => {
    const f = failures();
    const err = await failure(readJsonFile(join(dir, 'missing.json'), f));
    expect(err.code).toBe('x-unreadable');
    expect((f.seen[0] as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('hands a folder’s read error to `unreadable` too', async () => {
    const f = failures();
    expect((await failure(readJsonFile(dir, f))).code).toBe('x-unreadable');
    expect((f.seen[0] as NodeJS.ErrnoException).code).toBe('EISDIR');
  });

  it('hands the parse error of broken or empty JSON to `invalid`', async () => {
    for (const [name, text] of [
      ['broken.json', '{"a": '],
      ['empty.json', ''],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, text);
      const f = failures();
      expect((await failure(readJsonFile(path, f))).code).toBe('x-invalid');
      expect(f.seen[0]).toBeInstanceOf(SyntaxError);
    }
  });
});
