import { describe, expect, it } from 'vitest';
import { ABLATIONS, defaultConfig } from '../../src/engine/train/dghdgh/config.ts';
import { parseVariants, variantConfig, WIKI_VARIANTS, wikiConfig } from '../../training/wiki-config.ts';

const shape = { bits: 64, dims: { image: 128, text: 10 }, classes: 10 };

describe('the Wiki configuration and its variants', () => {
  it('wikiConfig is the defaults plus the tuned hash layers (1024 hidden, lr 1e-3, margin 0.5)', () => {
    expect(wikiConfig(shape)).toEqual({
      ...defaultConfig(shape),
      hashHidden: [1024],
      lrHash: 1e-3,
      margin: 0.5,
    });
  });

  it('variantConfig applies a named variant as overrides and an ablation by switching its component off', () => {
    const base = wikiConfig(shape);
    expect(variantConfig(base, 'full')).toEqual(base);
    expect(variantConfig(base, 'full-paper-tau')).toEqual({ ...base, tau: 'paper' });
    expect(variantConfig(base, 'no-dgs').ablation).toEqual({ ...base.ablation, dgs: false });
    expect(() => variantConfig(base, 'no-foo')).toThrow(/unknown ablation/);
  });

  it('parseVariants accepts every named variant and ablation, and names an unknown one', () => {
    expect(WIKI_VARIANTS).toEqual(
      expect.arrayContaining(['full', 'full-paper-tau', 'full-spec-syn', ...ABLATIONS]),
    );
    expect(parseVariants(' Full,no-dgs ,')).toEqual(['full', 'no-dgs']);
    expect(() => parseVariants('full,no-such')).toThrow(
      expect.objectContaining({ code: 'usage', message: expect.stringMatching(/"no-such"/) }),
    );
  });
});
