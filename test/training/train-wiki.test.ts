/**
 * `npm run train:wiki` and `npm run eval:wiki`, run as package.json runs them (its script's node command,
 * under this Node): usage errors, then a short real Wiki run whose exported head evaluates to the same mAP.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../helpers/shared-data.ts';

const WIKI = resolve(SHARED_DATA, 'wiki', 'wiki_data.mat');
const HAS_MODEL = existsSync(resolve('src/engine/train/dghdgh/model.ts'));
const SCRIPTS = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
  .scripts;

/** Runs the npm script `name` with `args` (its `node …` command line, with this process's Node). */
function npmScript(name: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const [node, ...flags] = (SCRIPTS[name] ?? '').split(' ');
  expect(node).toBe('node');
  const r = spawnSync(process.execPath, [...flags, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run train:wiki / eval:wiki', () => {
  const root = mkdtempSync(join(tmpdir(), 'glint-train-wiki-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('usage errors exit 2, a missing data file exits 6', () => {
    const noData = npmScript('train:wiki', []);
    expect(noData.code).toBe(2);
    expect(noData.stderr).toMatch(/--data FILE\.mat/);
    expect(npmScript('train:wiki', ['--data', join(root, 'nope.mat')]).code).toBe(6);
    expect(npmScript('train:wiki', ['--data', WIKI, '--bits', '16,24']).code).toBe(2);
    expect(npmScript('train:wiki', ['--data', WIKI, '--variants', 'no-such']).code).toBe(2);
    expect(npmScript('train:wiki', ['--data', WIKI, '--no-such-option']).code).toBe(2);
    expect(npmScript('eval:wiki', ['--data', WIKI]).code).toBe(2);
    expect(npmScript('eval:wiki', ['--head', join(root, 'nope'), '--data', WIKI]).code).toBe(6);
  });

  it.skipIf(!existsSync(WIKI) || !HAS_MODEL)(
    'trains on Wiki at 16 bits for 2 epochs and prints metrics as JSON (with the LSH baseline row)',
    () => {
      const out = join(root, 'wiki');
      const r = npmScript('train:wiki', [
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
      // the exported head evaluates through `npm run eval:wiki` to the same mAP
      const ev = npmScript('eval:wiki', [
        '--head',
        join(out, 'wiki-16-full', 'head'),
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
