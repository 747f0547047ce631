/**
 * Evaluates a saved hash head on the Wiki benchmark (its query set against its training set as the
 * database) beside the untrained LSH baseline of the same code length, and prints the metrics table (or,
 * with --json, one JSON document).
 * Usage: npm run eval:wiki -- --head DIR --data FILE.mat [--json]
 */
import { parseArgs } from 'node:util';
import { loadHead } from '../src/engine/hash/head.ts';
import { evaluateRetrieval, headEncoder, lshEncoder } from '../src/engine/train/evaluate.ts';
import { loadWikiDataset } from './dataset-wiki.ts';
import { formatMetricsTable } from './metrics-table.ts';
import { existingPath, printResult, runScript } from './script-args.ts';

await runScript('eval:wiki', async () => {
  const { values } = parseArgs({
    options: {
      head: { type: 'string' },
      data: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const dir = existingPath('head', values.head, 'DIR (head.json + image.onnx + text.onnx)');
  const data = existingPath('data', values.data, 'FILE.mat (the wiki_data.mat benchmark file)');
  const ds = loadWikiDataset(data);
  const head = await loadHead(dir);
  try {
    const sets = { query: ds.query, database: ds.train, classes: ds.classes, bits: head.bits };
    const metrics = await evaluateRetrieval(headEncoder(head), sets);
    const baseline = await evaluateRetrieval(lshEncoder(ds.train, head.bits, 0), sets);
    printResult(values.json, { ok: true, head: head.meta.id, bits: head.bits, metrics, baseline }, () =>
      formatMetricsTable([
        { bits: head.bits, variant: 'LSH (untrained)', metrics: baseline },
        { bits: head.bits, variant: head.meta.id, metrics },
      ]),
    );
  } finally {
    await head.release();
  }
});
