/**
 * The trainable tensors of a DGHDGH model (which ones exist depends on the ablations), their parameter
 * groups, which of them each phase updates, and their seeded initial values.
 */
import type { ParamSpec } from '../../onnx/train-step.ts';
import { createRng } from '../../onnx/random.ts';
import type { DghdghConfig } from './config.ts';

/** Parameter group of the hash layers and CL1 (learning rate × lrHash). */
export const GROUP_HASH = 'hash';
/** Parameter group of the graph transformer, CL2 and the λ generator FC (learning rate × lrGt). */
export const GROUP_GT = 'gt';

/** The two modalities. */
export const MODALITIES = ['image', 'text'] as const;

/** Whether the model has a graph transformer (RGP on and synthesis on). */
export function hasGt(c: DghdghConfig): boolean {
  return c.ablation.dgs && c.ablation.rgp;
}

/** Names of one modality's hash-layer tensors, input to output: [w0, b0, w1, b1, …]. */
export function hashParamNames(c: DghdghConfig, m: 'image' | 'text'): string[] {
  const out: string[] = [];
  for (let i = 0; i <= c.hashHidden.length; i++) out.push(`hash.${m}.w${i}`, `hash.${m}.b${i}`);
  return out;
}

function linear(name: string, inDim: number, outDim: number, group: string): ParamSpec[] {
  return [
    { name: `${name}.w`, shape: [inDim, outDim], group },
    { name: `${name}.b`, shape: [outDim], group },
  ];
}

function norm(name: string, dim: number): ParamSpec[] {
  return [
    { name: `${name}.s`, shape: [dim], group: GROUP_GT },
    { name: `${name}.b`, shape: [dim], group: GROUP_GT },
  ];
}

/** Names of the tensors of GT block `l`'s edge update (unused by phase 1 in the last block). */
export function edgeBlockNames(l: number): string[] {
  return ['e_q', 'e_k', 'e_v', 'e_o', 'e_ff1', 'e_ff2']
    .flatMap((n) => [`gt.${l}.${n}.w`, `gt.${l}.${n}.b`])
    .concat(['e_ln1', 'e_ln2'].flatMap((n) => [`gt.${l}.${n}.s`, `gt.${l}.${n}.b`]));
}

/** Every trainable tensor, in flat-buffer order. */
export function paramSpecs(c: DghdghConfig): ParamSpec[] {
  const K = c.bits;
  const C = c.classes;
  const dg = c.gtWidth;
  const de = c.edgeWidth;
  const eh = c.edgeWidth * c.edgeMlpRatio;
  const specs: ParamSpec[] = [];
  for (const m of MODALITIES) {
    const widths = [c.dims[m], ...c.hashHidden, K];
    for (let i = 0; i + 1 < widths.length; i++)
      specs.push(
        ...linear(`hash.${m}`, widths[i] as number, widths[i + 1] as number, GROUP_HASH).map((s) => ({
          ...s,
          name: s.name.replace(/\.(w|b)$/, `.$1${i}`),
        })),
      );
  }
  specs.push(...linear('cl1', K, C, GROUP_HASH));
  if (!c.ablation.dgs) return specs;
  if (hasGt(c)) {
    specs.push(...linear('gt.node_in', K, dg, GROUP_GT), ...linear('gt.edge_in', K, de, GROUP_GT));
    for (let l = 0; l < c.gtBlocks; l++) {
      const p = `gt.${l}`;
      for (const n of ['n_q', 'n_k', 'n_v', 'n_o']) specs.push(...linear(`${p}.${n}`, dg, dg, GROUP_GT));
      if (c.ablation.emf) specs.push(...linear(`${p}.n_msg`, de, dg, GROUP_GT));
      specs.push(...norm(`${p}.n_ln1`, dg));
      specs.push(
        ...linear(`${p}.n_ff1`, dg, 4 * dg, GROUP_GT),
        ...linear(`${p}.n_ff2`, 4 * dg, dg, GROUP_GT),
      );
      specs.push(...norm(`${p}.n_ln2`, dg));
      specs.push(...linear(`${p}.e_q`, de, de, GROUP_GT));
      for (const n of ['e_k', 'e_v']) specs.push(...linear(`${p}.${n}`, dg, de, GROUP_GT));
      specs.push(...linear(`${p}.e_o`, de, de, GROUP_GT));
      specs.push(...norm(`${p}.e_ln1`, de));
      specs.push(...linear(`${p}.e_ff1`, de, eh, GROUP_GT), ...linear(`${p}.e_ff2`, eh, de, GROUP_GT));
      specs.push(...norm(`${p}.e_ln2`, de));
    }
    specs.push(...linear('cl2', dg, C, GROUP_GT));
  }
  // NOTE: without RGP, λ comes from the K-wide initial edges, so the generator FC reads K channels.
  specs.push(...linear('fc', hasGt(c) ? de : K, K, GROUP_GT));
  return specs;
}

/** Tensors phase 1 (hash learning) must not update: the generator FC and the last block's edge update (neither reaches L_hl + L_sp1 + L_sp2 — without this list AdamW's decay would still move them). */
export function phase1Frozen(c: DghdghConfig): string[] {
  if (!c.ablation.dgs) return [];
  const out = ['fc.w', 'fc.b'];
  if (hasGt(c)) out.push(...edgeBlockNames(c.gtBlocks - 1));
  return out;
}

/** Tensors phase 2 (generation) must not update: hash layers, CL1 (frozen for L_sp) and CL2. */
export function phase2Frozen(c: DghdghConfig): string[] {
  const names = paramSpecs(c).map((s) => s.name);
  return names.filter((n) => n.startsWith('hash.') || n.startsWith('cl1.') || n.startsWith('cl2.'));
}

/**
 * Seeded initial values: weights N(0, 1/fan_in) (each tensor from its own stream, so adding a tensor does
 * not change the others), biases 0, LayerNorm scales 1.
 */
export function initParams(c: DghdghConfig, seed: number): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const s of paramSpecs(c)) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const v = new Float64Array(n);
    if (s.name.endsWith('.s')) v.fill(1);
    else if (s.shape.length === 2) createRng(seed, s.name).fillNormal(v, 1 / Math.sqrt(s.shape[0] as number));
    out[s.name] = v;
  }
  return out;
}

/** The named tensors of a flat parameter buffer laid out for `c` (null when the buffer does not fit the layout). */
export function namedParams(
  c: DghdghConfig,
  flat: ArrayLike<number>,
  keep: (name: string) => boolean = () => true,
): Record<string, Float64Array> | null {
  const out: Record<string, Float64Array> = {};
  let offset = 0;
  for (const s of paramSpecs(c)) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (keep(s.name)) out[s.name] = Float64Array.from({ length: n }, (_, i) => flat[offset + i] as number);
    offset += n;
  }
  return offset === flat.length ? out : null;
}
