import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HAS_SHARED_DATA, SHARED_DATA } from '../helpers/shared-data.ts';
import { tinyModels } from '../helpers/standin-models.ts';

const GLINT = resolve('bin/glint');
const WIKI = resolve(SHARED_DATA, 'wiki', 'wiki_data.mat');
const HAS_MODEL = existsSync(resolve('src/engine/train/dghdgh/model.ts'));

function glint(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(GLINT, args, { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('glint train / eval / heads', () => {
  const root = mkdtempSync(join(tmpdir(), 'glint-cli-train-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('usage errors exit 2, a missing data file exits 6', () => {
    const noData = glint(['train', '--dataset', 'wiki']);
    expect(noData.code).toBe(2);
    expect(noData.stderr).toMatch(/--data FILE\.mat/);
    expect(glint(['train', '--dataset', 'wiki', '--data', join(root, 'nope.mat')]).code).toBe(6);
    expect(glint(['train', '--dataset', 'wiki', '--data', WIKI, '--bits', '16,24']).code).toBe(2);
    // other commands still take exactly one code length
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

  it.skipIf(!existsSync(WIKI) || !HAS_MODEL)(
    'trains on Wiki at 16 bits for 2 epochs and prints metrics as JSON (with the LSH baseline row)',
    () => {
      const out = join(root, 'wiki');
      const r = glint([
        'train',
        '--dataset',
        'wiki',
        '--data',
        WIKI,
        '--bits',
        '16',
        '--epochs',
        '2',
        // NOTE: the graph transformer's cost grows with B² per step; B=32 keeps this test near 30 s on 2 cores.
        '--batch',
        '32',
        '--json',
        '--out',
        out,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as {
        ok: boolean;
        runs: Array<{
          bits: number;
          epochsRun: number;
          msPerEpoch: number;
          evaluation: { it: { map: number; pAtH2: number }; ti: { map: number } };
          baseline: { it: { map: number } };
        }>;
      };
      expect(doc.ok).toBe(true);
      expect(doc.runs).toHaveLength(1);
      const run = doc.runs[0]!;
      expect(run).toMatchObject({ bits: 16, epochsRun: 2 });
      expect(run.msPerEpoch).toBeGreaterThan(0);
      for (const m of [run.evaluation.it.map, run.evaluation.ti.map, run.baseline.it.map]) {
        expect(m).toBeGreaterThan(0);
        expect(m).toBeLessThanOrEqual(1);
      }
      expect(existsSync(join(out, 'results.json'))).toBe(true);
      expect(existsSync(join(out, 'wiki-16-full', 'head', 'head.json'))).toBe(true);
      // the exported head evaluates through `glint eval` to the same mAP
      const ev = glint([
        'eval',
        '--head',
        join(out, 'wiki-16-full', 'head'),
        '--dataset',
        'wiki',
        '--data',
        WIKI,
        '--json',
      ]);
      expect(ev.code, ev.stderr).toBe(0);
      const evDoc = JSON.parse(ev.stdout) as { metrics: { it: { map: number } } };
      expect(evDoc.metrics.it.map).toBeCloseTo(run.evaluation.it.map, 3);
    },
    300_000,
  );
});
