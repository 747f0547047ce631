/**
 * DGHDGH hyper-parameters (see /work/shared/DGHDGH.md): the defaults for a data set's shape, and the
 * named ablations that switch one component off.
 */
import { GlintError } from '../../errors.ts';

/** Every hyper-parameter of one DGHDGH model; recorded with each trained head. */
export interface DghdghConfig {
  /** Code length K. */
  bits: number;
  /** Input embedding dimension per modality. */
  dims: { image: number; text: number };
  /** Number of label classes C. */
  classes: number;
  /** Hidden widths of the hash layers; [] = one Linear(D→K) + tanh (the reference code). */
  hashHidden: number[];
  /** Width d_g the graph transformer works in (codes are projected K → d_g). */
  gtWidth: number;
  /** N2: graph-transformer blocks (node update + edge update each). */
  gtBlocks: number;
  /** M2: attention heads. */
  gtHeads: number;
  /** τ = exp(−α / L̄_hl). */
  alpha: number;
  /** γ_syn = clamp(1 − exp(−β / L̄_go), 0.1, 0.9). */
  beta: number;
  /** Weight of L_is in L_go. */
  gammaIs: number;
  /** Weight of L_sp in L_go. */
  gammaSp: number;
  /** Weight of L_cd in L_go. */
  gammaCd: number;
  /** Cosine triplet margin. */
  margin: number;
  /** At most this many triplets per anchor per graph, sampled each step. */
  tripletsPerAnchor: number;
  /** AdamW learning rate of the hash layers and CL1. */
  lrHash: number;
  /** AdamW learning rate of the graph transformer, CL2 and the λ generator FC. */
  lrGt: number;
  /** Decoupled weight decay (both groups). */
  weightDecay: number;
  /** Label loss of CL1/CL2/L_sp: softmax CE against the sum-normalised multi-hot target, or per-class BCE. */
  labelLoss: 'softmax-ce' | 'bce';
  /** Components; true = on. */
  ablation: { rgp: boolean; dgs: boolean; emf: boolean; hap: boolean; is: boolean; sp: boolean; cd: boolean };
}

/** The defaults for a data set's shape (paper values where the paper gives them). */
export function defaultConfig(p: {
  bits: number;
  dims: { image: number; text: number };
  classes: number;
}): DghdghConfig {
  return {
    bits: p.bits,
    dims: { ...p.dims },
    classes: p.classes,
    hashHidden: [],
    // NOTE: the GT works in max(64, K) so that 16-bit codes still get 4 heads of width ≥ 16.
    gtWidth: Math.max(64, p.bits),
    gtBlocks: 2,
    gtHeads: 4,
    alpha: 5,
    beta: 2,
    gammaIs: 1,
    gammaSp: 1,
    gammaCd: 0.2,
    margin: 0.25,
    tripletsPerAnchor: 16,
    // NOTE: frozen CLIP features tolerate (and need) a larger hash-layer rate than the paper's 1e-4.
    lrHash: 1e-3,
    lrGt: 1e-4,
    weightDecay: 0.2,
    labelLoss: 'softmax-ce',
    ablation: { rgp: true, dgs: true, emf: true, hap: true, is: true, sp: true, cd: true },
  };
}

/** Names of the ablations `applyAblation` knows. */
export const ABLATIONS: readonly string[] = [
  'no-rgp',
  'no-dgs',
  'no-emf',
  'no-hap',
  'no-is',
  'no-sp',
  'no-cd',
];

/** A copy of `c` with the named component switched off (GlintError 'usage' for an unknown name). */
export function applyAblation(c: DghdghConfig, name: string): DghdghConfig {
  if (!ABLATIONS.includes(name))
    throw new GlintError('usage', `unknown ablation "${name}"; use one of ${ABLATIONS.join(', ')}`);
  const key = name.slice(3) as keyof DghdghConfig['ablation'];
  return {
    ...c,
    dims: { ...c.dims },
    hashHidden: [...c.hashHidden],
    ablation: { ...c.ablation, [key]: false },
  };
}
