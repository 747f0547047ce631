/**
 * The diagnostics graph of a DGHDGH model: phase 1's forward pass (graphs.ts `phase1Terms`) on one batch with
 * the current parameters, returning the per-triplet codes, synthetic negatives and λ that
 * diagnostics-stats.ts summarises, and optionally the gradient norm each phase-1 loss puts on the hash layers.
 * It changes nothing: no optimiser, its own sessions, and triplets from a generator the caller passes.
 */
import { DiffGraph, gradients } from '../../onnx/autodiff.ts';
import type { TensorRef } from '../../onnx/graph-builder.ts';
import type { DghdghConfig } from './config.ts';
import { GRAPHS, phase1Terms } from './graphs.ts';
import { hashParamNames, MODALITIES, paramSpecs } from './params.ts';

/** Names of the per-loss gradient-norm outputs (hash layers only): L_real, γ_syn·L_syn, L_sp1, L_sp2. */
export const GRAD_NORM_TERMS = ['real', 'syn', 'sp1', 'sp2'] as const;

/** A gradient-norm term. */
export type GradNormTerm = (typeof GRAD_NORM_TERMS)[number];

/** Output names of the diagnostics graph. */
export const DIAG_OUT = {
  ha: 'diag_ha',
  hp: 'diag_hp',
  hn: 'diag_hn',
  hs: 'diag_hs',
  lambda: 'diag_lambda',
  w: 'diag_w',
  gradNorm: (t: GradNormTerm) => `diag_grad_${t}`,
} as const;

/**
 * Builds the diagnostics graph: every parameter tensor is an input by its own name, the batch inputs are
 * phase 1's. With `grads`, also ‖∂term/∂θ_hash‖₂ for each phase-1 term (γ_syn·L_syn with γ_syn as fed).
 */
export function diagnosticsGraph(c: DghdghConfig, dtype: 'float32' | 'float64', grads: boolean): DiffGraph {
  const g = new DiffGraph({ name: 'dghdgh_diagnostics' });
  const p: Record<string, TensorRef> = {};
  for (const s of paramSpecs(c)) p[s.name] = g.input(s.name, dtype, [...s.shape]);
  const t = phase1Terms(g, p, c, dtype);
  const f = t.forward;
  const cat = (xs: TensorRef[]): TensorRef => g.concat(xs, 0);
  if (t.synth) {
    const s = t.synth;
    g.output(cat(GRAPHS.map(([n]) => s[n].ha)), DIAG_OUT.ha);
    g.output(cat(GRAPHS.map(([n]) => s[n].hp)), DIAG_OUT.hp);
    g.output(cat(GRAPHS.map(([n]) => s[n].hn)), DIAG_OUT.hn);
    g.output(cat(GRAPHS.map(([n]) => s[n].hs)), DIAG_OUT.hs);
    g.output(cat(GRAPHS.map(([n]) => f.lambda[n])), DIAG_OUT.lambda);
  } else {
    const at = (end: 'a' | 'p' | 'n') =>
      cat(GRAPHS.map(([n, x, y]) => g.gather(f.codes[end === 'a' ? x : y], f.trip[n][end], 0)));
    g.output(at('a'), DIAG_OUT.ha);
    g.output(at('p'), DIAG_OUT.hp);
    g.output(at('n'), DIAG_OUT.hn);
  }
  g.output(g.identity(t.w), DIAG_OUT.w);
  if (grads) {
    const hash = MODALITIES.flatMap((m) => hashParamNames(c, m)).map((n) => p[n] as TensorRef);
    const terms: Partial<Record<GradNormTerm, TensorRef>> = { real: t.real, sp1: t.sp1 };
    if (t.syn) terms.syn = g.mul(g.input('gamma_syn', dtype, []), t.syn);
    if (t.sp2) terms.sp2 = t.sp2;
    for (const name of GRAD_NORM_TERMS) {
      const term = terms[name];
      if (!term) continue;
      const sq = gradients(g, term, hash).map((d) => g.reduceSum(g.mul(d, d), undefined, false));
      const total = sq.reduce((a, b) => g.add(a, b));
      g.output(g.sqrt(total), DIAG_OUT.gradNorm(name));
    }
  }
  return g;
}
