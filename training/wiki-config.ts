/**
 * The Wiki benchmark's DGHDGH settings and the variants its runs compare: the product's defaults plus the
 * hash-layer choices tuned on Wiki's validation split, the named variants of the report, and the ablations.
 */
import { GlintError } from '../src/engine/errors.ts';
import {
  ABLATIONS,
  applyAblation,
  defaultConfig,
  type DghdghConfig,
} from '../src/engine/train/dghdgh/config.ts';

/**
 * The Wiki benchmark's settings: the defaults plus the hash-layer choices `training/tune.ts` picked on the
 * validation split (a 1024-wide hidden layer, lr 1e-3, margin 0.5; see training/README.md).
 */
export function wikiConfig(p: {
  bits: number;
  dims: { image: number; text: number };
  classes: number;
}): DghdghConfig {
  return { ...defaultConfig(p), hashHidden: [1024], lrHash: 1e-3, margin: 0.5 };
}

/** The report's variants beyond the ablations: named sets of DghdghConfig overrides. */
export const NAMED_VARIANTS: Readonly<Record<string, Partial<DghdghConfig>>> = {
  full: {},
  'full-paper-tau': { tau: 'paper' },
  'full-spec-syn': { synthesis: 'codes', synTriplets: 'violators', gammaSynRule: 'clamp' },
};

/** Every variant name a Wiki run accepts: the named variants, then the ablations. */
export const WIKI_VARIANTS: readonly string[] = [...Object.keys(NAMED_VARIANTS), ...ABLATIONS];

/** The configuration of a variant: a named variant of `base`, or an ablation name (no-dgs, …). */
export function variantConfig(base: DghdghConfig, variant: string): DghdghConfig {
  const named = NAMED_VARIANTS[variant];
  return named ? { ...base, ...named } : applyAblation(base, variant);
}

/** Parses "full,no-dgs" into variant names; GlintError('usage') names an unknown one. */
export function parseVariants(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const n of names) {
    if (!WIKI_VARIANTS.includes(n))
      throw new GlintError('usage', `--variants: unknown "${n}"; use ${WIKI_VARIANTS.join(', ')}`);
  }
  return names;
}
