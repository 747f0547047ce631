import { describe, expect, it } from 'vitest';
import type { DghdghConfig } from '../../../../src/engine/train/dghdgh/config.ts';
import { DghdghModel, type StepLosses } from '../../../../src/engine/train/dghdgh/model.ts';
import { tinyBatch, tinyConfig } from './fixtures.ts';

/**
 * Losses of the third step and a weighted checksum of the parameters after it (float64, seed 5, batch of 9),
 * recorded at commit e361007. A change meant to make the step faster without changing what it computes must
 * keep these (a rewrite that stacked the four graphs and refactored the edge-grid products matched them to
 * 3e-14 but gave no measurable speed-up, so it was not kept; see training/report-notes.md).
 */
const RECORDED: Record<string, { losses: StepLosses; checksum: number }> = {
  full: {
    losses: {
      hl: 0.8502781727396895,
      real: 0.6354521713154985,
      syn: 0.5370650035604776,
      sp1: 1.3613648240242948,
      sp2: 1.3329769986417859,
      go: 2.4649771070123845,
      is: 0.7876554454692983,
      sp: 1.4930737855550238,
      cd: 0.9212393799403114,
    },
    checksum: 50.87489810102411,
  },
  oneBlock: {
    losses: {
      hl: 0.8533726086937886,
      real: 0.6351186580683272,
      syn: 0.5456348765636534,
      sp1: 1.3616831924223796,
      sp2: 1.324671072851559,
      go: 2.5355036844769083,
      is: 0.8350365359338973,
      sp: 1.5105160452862592,
      cd: 0.9497555162837585,
    },
    checksum: 45.43260336630916,
  },
  noEmf: {
    losses: {
      hl: 0.8498674218901805,
      real: 0.6351122555075535,
      syn: 0.5368879159565676,
      sp1: 1.361262405700582,
      sp2: 1.328090138669697,
      go: 2.462355889262117,
      is: 0.787684061736367,
      sp: 1.4901505674438629,
      cd: 0.9226063004094351,
    },
    checksum: 157.04387885836135,
  },
  noRgp: {
    losses: {
      hl: 0.8387087569308366,
      real: 0.6337936282199659,
      syn: 0.5122878217771767,
      sp1: 1.3648570003582026,
      sp2: 0,
      go: 2.48322821627908,
      is: 0.7829702588553524,
      sp: 1.5052210170006517,
      cd: 0.9751847021153788,
    },
    checksum: 0.649647171360796,
  },
};

// NOTE: recorded with the options of that commit (since then the defaults are the reference's L_syn choices).
const RECORDED_OPTIONS = { synthesis: 'codes', synTriplets: 'violators', gammaSynRule: 'clamp' } as const;

const off = (k: keyof DghdghConfig['ablation']): DghdghConfig => {
  const c = tinyConfig(RECORDED_OPTIONS);
  c.ablation = { ...c.ablation, [k]: false };
  return c;
};

describe('DGHDGH graphs compute what they computed when recorded', () => {
  const configs: Record<string, DghdghConfig> = {
    full: tinyConfig(RECORDED_OPTIONS),
    oneBlock: tinyConfig({ ...RECORDED_OPTIONS, gtBlocks: 1 }),
    noEmf: off('emf'),
    noRgp: off('rgp'),
  };
  for (const [name, c] of Object.entries(configs)) {
    it(
      name,
      async () => {
        const m = await DghdghModel.create(c, { seed: 5, threads: 1, dtype: 'float64' });
        const b = tinyBatch(c, 9, 4);
        let last: StepLosses | undefined;
        for (let i = 0; i < 3; i++) last = await m.step(b, { tau: 0.6, gammaSyn: 0.4, lr: 1 });
        const p = m.state().params;
        let checksum = 0;
        for (let i = 0; i < p.length; i++) checksum += (p[i] as number) * ((i % 7) + 1);
        const want = RECORDED[name]!;
        for (const [k, v] of Object.entries(want.losses))
          expect(last![k as keyof StepLosses]).toBeCloseTo(v, 10);
        expect(checksum).toBeCloseTo(want.checksum, 8);
        await m.release();
      },
      60_000,
    );
  }
});

/**
 * The same in float32 with the current default options (seed 5, batch of 9, three steps), recorded at commit
 * 7b6e765, before the float32-only LayerNorm backward (statistics from the forward node). The checksum leaves out
 * the attention keys' biases (`*.n_k.b`, `*.e_k.b`): they cancel in the softmax / in k_i − k_j, so their true
 * gradient is 0 and AdamW turns the rounding noise left in its place into lr-sized steps that differ with any
 * regrouping (they change no output).
 */
const RECORDED32: Record<string, { losses: StepLosses; checksum: number }> = {
  full: {
    losses: {
      hl: 0.9469425082206726,
      real: 0.6350665092468262,
      syn: 0.7796899676322937,
      sp1: 1.3619024753570557,
      sp2: 1.3335696458816528,
      go: 2.3025100231170654,
      is: 0.7639176845550537,
      sp: 1.3543245792388916,
      cd: 0.9213389754295349,
    },
    checksum: 50.84349816429676,
  },
  oneBlock: {
    losses: {
      hl: 0.9465439319610596,
      real: 0.6348837018013,
      syn: 0.7791506052017212,
      sp1: 1.3615938425064087,
      sp2: 1.3252317905426025,
      go: 2.3713512420654297,
      is: 0.813866913318634,
      sp: 1.3675158023834229,
      cd: 0.9498428702354431,
    },
    checksum: 45.39465591297221,
  },
};

describe('DGHDGH graphs in float32 compute what they computed when recorded (to float32 rounding)', () => {
  const configs: Record<string, DghdghConfig> = { full: tinyConfig(), oneBlock: tinyConfig({ gtBlocks: 1 }) };
  for (const [name, c] of Object.entries(configs)) {
    it(
      name,
      async () => {
        const m = await DghdghModel.create(c, { seed: 5, threads: 1, dtype: 'float32' });
        const b = tinyBatch(c, 9, 4);
        let last: StepLosses | undefined;
        for (let i = 0; i < 3; i++) last = await m.step(b, { tau: 0.6, gammaSyn: 0.4, lr: 1 });
        const p = m.state().params;
        let checksum = 0;
        for (const e of m.phase1.layout.entries) {
          if (/\.(n_k|e_k)\.b$/.test(e.name)) continue;
          for (let i = e.offset; i < e.offset + e.size; i++) checksum += (p[i] as number) * ((i % 7) + 1);
        }
        const want = RECORDED32[name]!;
        for (const [k, v] of Object.entries(want.losses))
          expect(last![k as keyof StepLosses]).toBeCloseTo(v, 5);
        expect(checksum).toBeCloseTo(want.checksum, 5);
        await m.release();
      },
      60_000,
    );
  }
});
