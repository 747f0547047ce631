/**
 * Hyper-parameter search on the Wiki benchmark's VALIDATION split (20% of the training rows; the query set
 * is never read). Validation rows are the queries and the training rows the database, as in the benchmark.
 * Each trial is a JSON object of DghdghConfig overrides; prints the best validation mAP (I→T, T→I, mean),
 * its epoch and the training time per epoch. Overrides apply on top of `wikiConfig`.
 * Usage: node training/tune.ts [--bits 64] [--epochs 30] [--variant full|no-dgs|no-rgp] [--seed 0]
 *          '{"lrHash":1e-3}' '{"lrHash":3e-3,"hashHidden":[512]}' …
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { loadWikiDataset, wikiTrainData } from './dataset-wiki.ts';
import type { DghdghConfig } from '../src/engine/train/dghdgh/config.ts';
import { variantConfig, wikiConfig } from './wiki-config.ts';
import { WIKI_VALIDATION_FRACTION } from './wiki-run.ts';
import { trainModel } from '../src/engine/train/trainer.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    bits: { type: 'string', default: '64' },
    epochs: { type: 'string', default: '30' },
    variant: { type: 'string', default: 'full' },
    seed: { type: 'string', default: '0' },
    data: { type: 'string', default: resolve(import.meta.dirname, '../../shared/data/wiki/wiki_data.mat') },
  },
});
const ds = loadWikiDataset(values.data);
const seed = Number(values.seed);
// NOTE: the same split as every Wiki run of this seed (wiki-run.ts); only the training rows are read.
const { train, validation } = wikiTrainData(ds, WIKI_VALIDATION_FRACTION, seed);
const sets = { train, validation };
const base = wikiConfig({ bits: Number(values.bits), dims: ds.dims, classes: ds.classes });
const variant = variantConfig(base, values.variant);
for (const trial of positionals.length ? positionals : ['{}']) {
  const config = { ...variant, ...(JSON.parse(trial) as Partial<DghdghConfig>) };
  const r = await trainModel(sets, { config, seed, epochs: Number(values.epochs), validateAgainst: 'train' });
  const best = r.history[r.bestEpoch - 1];
  const curve = r.history.map((h) => (100 * h.valMap).toFixed(1)).join(' ');
  const diag = r.history
    .filter((h) => [1, 2, 5, 10, r.history.length].includes(h.epoch) && h.diagnostics)
    .map((h) => {
      const d = h.diagnostics!;
      const g = d.gradNorms;
      return (
        `  e${h.epoch}: τ ${d.tau.toPrecision(2)} γ ${d.gammaSyn.toFixed(2)} λ ${d.lambdaMean.toFixed(3)}±${d.lambdaSdTriplets.toFixed(3)}/${d.lambdaSdChannels.toFixed(3)} ` +
        `gen ${d.generatorShare.toFixed(4)} harder-real ${d.harderThanRealCos.toFixed(2)}/${d.harderThanRealHam.toFixed(2)} ` +
        `closer-pos ${d.closerThanPosCos.toFixed(2)}/${d.closerThanPosHam.toFixed(2)} viol ${d.realViolating.toFixed(2)}/${d.synViolating.toFixed(2)} ` +
        `L_real ${d.lReal.toFixed(3)} γL_syn ${d.gammaLSyn.toFixed(3)}` +
        (g
          ? ` ‖∇‖ real ${g.real?.toFixed(3)} syn ${g.syn?.toFixed(3)} sp1 ${g.sp1?.toFixed(3)} sp2 ${g.sp2?.toFixed(3)}`
          : '')
      );
    })
    .join('\n');
  console.log(
    `${values.variant} ${values.bits}b ${trial}: best epoch ${r.bestEpoch} val mAP I→T ${(100 * (best?.valMapIT ?? 0)).toFixed(2)} ` +
      `T→I ${(100 * (best?.valMapTI ?? 0)).toFixed(2)} mean ${(100 * r.bestValMap).toFixed(2)}; ${(r.msPerEpoch / 1000).toFixed(2)} s/epoch\n  curve: ${curve}\n${diag}`,
  );
  await r.model.release();
}
