import { describe, expect, it } from 'vitest';
import type { RetrievalMetrics } from '../../src/engine/train/evaluate.ts';
import { defaultConfig } from '../../src/engine/train/dghdgh/config.ts';
import { renderReport, type ReportInput } from '../../training/report-markdown.ts';
import type { RunRecord } from '../../training/report-runs.ts';

function metrics(it: number, ti: number): RetrievalMetrics {
  const dir = (map: number) => ({
    map,
    pAtH2: map / 2,
    emptyAtH2: 0,
    fisher: [{ pairs: 400, mean: map * 10, std: 0 }],
    pr: [],
  });
  return { bits: 16, queries: 3, database: 5, it: dir(it), ti: dir(ti), map: (it + ti) / 2 };
}

function run(bits: number, variant: string, seed: number, it: number, ti: number): RunRecord {
  return {
    bits,
    variant,
    seed,
    epochs: 100,
    patience: null,
    config: defaultConfig({ bits, dims: { image: 4, text: 3 }, classes: 2 }),
    provider: 'cpu',
    bestEpoch: 7,
    bestValMap: 0.5,
    epochsRun: 22,
    msPerEpoch: 1500 + seed * 1000,
    evaluation: metrics(it, ti),
    ...(variant === 'full' ? { baseline: metrics(0.1, 0.12) } : {}),
    finishedAt: '2026-11-23T00:00:00Z',
  };
}

function input(runs: RunRecord[]): ReportInput {
  return {
    runs,
    steps: {
      bits: 64,
      batch: 128,
      measuredAt: '2026-11-23T00:00:00Z',
      rows: [
        { variant: 'full', phase1Ms: 200, phase2Ms: 250, sampleMs: 20.5, triplets: 8192, provider: 'cpu' },
      ],
    },
    bitsList: [16, 32],
    seeds: [0, 1, 2],
    variants: ['full', 'no-dgs'],
    machine: 'test CPU',
    command: 'npm run report:wiki',
  };
}

describe('training report rendering', () => {
  it('prints mean ± sample std over seeds, the LSH rows, seconds per epoch and the step-time table', () => {
    const runs = [
      ...[0.3, 0.32, 0.34].map((m, s) => run(16, 'full', s, m, 0.5)),
      ...[0, 1, 2].map((s) => run(16, 'no-dgs', s, 0.28, 0.4)),
    ];
    const md = renderReport(input(runs), '## Notes\nhand-written prose');
    // Hand-computed: mean 0.32, sample std sqrt(((−.02)² + 0 + .02²) / 2) = 0.02 → "32.00 ± 2.00".
    expect(md).toContain(
      '| 16 | DGHDGH | 3 | 32.00 ± 2.00 | 50.00 ± 0.00 | 16.00 ± 1.00 | 25.00 ± 0.00 | 3.200 | 5.000 | 2.50 | 7/22, 7/22, 7/22 |',
    );
    expect(md).toContain('| 16 | no-DGS (plain triplet hashing) | 3 | 28.00 ± 0.00 | 40.00 ± 0.00 |');
    expect(md).toContain('| 16 | LSH (untrained) | 3 | 10.00 ± 0.00 | 12.00 ± 0.00 |');
    expect(md).not.toContain('| 32 |');
    expect(md).toContain('| DGHDGH | 200 | 250 | 471 | 20.5 | 8192 | — |');
    expect(md).toContain('16 bits: 2.50 s against 2.50 s, 1.0×');
    expect(md).toContain('- 16 bits: DGHDGH − no-DGS = +4.00 (I→T), +10.00 (T→I) points');
    expect(md).toContain('DGHDGH beats no-DGS at every code length');
    expect(md).toContain('DGHDGH at 16 bits here: I→T 32.00 (above), T→I 50.00 (below)');
    expect(md.trimEnd().endsWith('hand-written prose')).toBe(true);
  });

  it('says how the step times were measured and the full / plain step ratio of the same run', () => {
    const base = input([run(16, 'full', 0, 0.3, 0.5), run(16, 'no-dgs', 0, 0.28, 0.4)]);
    const md = renderReport(
      {
        ...base,
        steps: {
          ...base.steps,
          steps: 10,
          threads: 1,
          interleaved: true,
          rows: [
            {
              variant: 'full',
              phase1Ms: 100,
              phase2Ms: 110,
              phase1CpuMs: 105,
              phase2CpuMs: 115,
              sampleMs: 5,
              triplets: 8192,
              provider: 'cpu',
            },
            {
              variant: 'no-dgs',
              phase1Ms: 8,
              phase2Ms: 0,
              phase1CpuMs: 11,
              phase2CpuMs: 0,
              sampleMs: 2,
              triplets: 8192,
              provider: 'cpu',
            },
          ],
        },
      },
      '',
    );
    expect(md).toContain(
      'Batch 128, 64 bits, CPU provider, 1 intra-op thread, medians of 10 steps after a warm-up, the configurations stepped round-robin in one process (measured 2026-11-23):',
    );
    // Hand-computed: (100 + 110 + 5) / (8 + 0 + 2) = 21.5; CPU (105 + 115) / 11 = 20.0.
    expect(md).toContain(
      "A full DGHDGH step against a plain head's (no-DGS), the same run: 215 ms against 10.0 ms, 21.5× wall; phases' CPU time 220 against 11.0 ms, 20.0×.",
    );
  });

  it('says plainly when DGHDGH does not beat no-DGS at some length', () => {
    const runs = [
      run(16, 'full', 0, 0.3, 0.5),
      run(16, 'no-dgs', 0, 0.2, 0.4),
      run(32, 'full', 0, 0.3, 0.5),
      run(32, 'no-dgs', 0, 0.31, 0.4),
    ];
    const md = renderReport(input(runs), '');
    expect(md).toContain(
      '- 32 bits: DGHDGH − no-DGS = -1.00 (I→T), +10.00 (T→I) points — **not** ahead in both directions.',
    );
    expect(md).toContain('does **not** hold at every length');
  });

  it('renders the diagnostics and gradient-norm tables, the optimistic protocol and the reduced-grid label', () => {
    const diag = (e: number) => ({
      triplets: 100,
      lambdaMean: 0.5,
      lambdaSdTriplets: 0.01 * e,
      lambdaSdChannels: 0.2,
      interpolated: 0.9,
      generatorShare: 0.05,
      harderThanRealCos: 1,
      harderThanRealHam: 0.5,
      closerThanPosCos: 0.25,
      closerThanPosHam: 0.75,
      realViolating: 0.7,
      synViolating: 0.99,
      tau: 1e-4,
      gammaSyn: 0.1,
      lReal: 0.4,
      gammaLSyn: 0.05,
      batches: 2,
      ms: 1,
      ...(e === 2 ? { gradNorms: { real: 0.5, syn: 0.25, sp1: 0, sp2: 3 } } : {}),
    });
    const history = (seed: number) =>
      [1, 2].map((e) => ({
        epoch: e,
        tau: 1e-4,
        tauFirst: 1,
        tauLast: 1e-4,
        gammaSyn: 0.1,
        meanLosses: { hl: 0, real: 0, syn: 0, sp1: 0, sp2: 0, go: 0, is: 0, sp: 0, cd: 0 },
        valMap: 0.5,
        valMapIT: 0.5,
        valMapTI: 0.5,
        trainMs: 1,
        valMs: 1,
        diagnostics: diag(e),
        monitor: { it: 0.3 + 0.01 * e + 0.01 * seed, ti: 0.6 - 0.01 * e },
      }));
    const runs = [0, 1].map((s) => ({ ...run(64, 'full', s, 0.3, 0.5), history: history(s) }));
    const md = renderReport(
      { ...input(runs), bitsList: [64], variants: ['full'], reduced: '64 bits × 2 seeds' },
      '',
    );
    expect(md).toContain('**Reduced grid:** 64 bits × 2 seeds');
    expect(md).toContain(
      '| DGHDGH | 1 | 0.00010 | 0.10 | 0.500 ± 0.010 / 0.200 | 0.050 | 100% / 50% | 25% / 75% | 70% / 99% | 0.400 | 0.050 |',
    );
    expect(md).toContain('| DGHDGH | 2 | 0.50 | 0.25 | 0 | 3.0 |');
    // optimistic: best epoch per direction per seed (I→T epoch 2: .32, .33 → 32.50; T→I epoch 1: .59 → 59.00)
    expect(md).toContain('| 64 | DGHDGH | 2 | 32.50 | 59.00 | 30.00 | 50.00 |');
  });
});
