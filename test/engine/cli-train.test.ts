import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HAS_SHARED_DATA } from '../helpers/shared-data.ts';
import { tinyModels } from '../helpers/standin-models.ts';

const GLINT = resolve('bin/glint');

function glint(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(GLINT, args, { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('glint train / heads', () => {
  const root = mkdtempSync(join(tmpdir(), 'glint-cli-train-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('usage errors exit 2: the Wiki benchmark is named where it went, and --bits takes one code length', () => {
    // The Wiki benchmark moved beside the product (test/training/train-wiki.test.ts runs it there).
    const wiki = glint(['train', '--dataset', 'wiki']);
    expect(wiki.code).toBe(2);
    expect(wiki.stderr).toMatch(/npm run train:wiki/);
    expect(glint(['eval', '--dataset', 'wiki']).code).toBe(2);
    expect(glint(['train', '--bits', '16,32']).code).toBe(2);
    // every command takes exactly one code length
    const status = glint(['--library', join(root, 'lib'), 'status', '--bits', '16,32']);
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/one code length/);
  });

  it.skipIf(!HAS_SHARED_DATA)(
    'heads list shows the default head as active; rollback with no history exits 6',
    async () => {
      const models = await tinyModels(join(root, 'models'));
      const base = ['--library', join(root, 'lib'), '--models', models];
      const list = glint([...base, '--json', 'heads', 'list']);
      expect(list.code).toBe(0);
      const heads = (
        JSON.parse(list.stdout) as { heads: Array<{ id: string; active: boolean; kind: string }> }
      ).heads;
      expect(heads).toHaveLength(1);
      expect(heads[0]).toMatchObject({ active: true, kind: 'default' });
      const rollback = glint([...base, 'heads', 'rollback']);
      expect(rollback.code).toBe(6);
      expect(rollback.stderr).toMatch(/no previous head/);
      expect(glint([...base, 'heads', 'activate', 'no-such-head']).code).toBe(6);
    },
  );
});
