/** The Wiki scripts' metrics table: one row per (code length, variant), LSH baseline rows included. */
import type { RetrievalMetrics } from '../src/engine/train/evaluate.ts';
import { pct } from '../src/engine/train/progress-line.ts';

/** One row of the table. */
export interface TableRow {
  bits: number;
  variant: string;
  metrics: RetrievalMetrics;
  msPerEpoch?: number;
  bestEpoch?: number;
}

/** The Fisher ratio at `pairs` pairs, averaged over both directions (NaN when either lacks that row). */
function fisherAt(m: RetrievalMetrics, pairs: number): number {
  const it = m.it.fisher.find((f) => f.pairs === pairs)?.mean ?? NaN;
  const ti = m.ti.fisher.find((f) => f.pairs === pairs)?.mean ?? NaN;
  return (it + ti) / 2;
}

/** The per-bit-length metrics table (mAP %, P@H≤2 %, Fisher at 400 pairs, time per epoch, best epoch). */
export function formatMetricsTable(rows: readonly TableRow[]): string {
  const head = [
    'bits',
    'variant',
    'mAP I→T',
    'mAP T→I',
    'P@H≤2 I→T',
    'P@H≤2 T→I',
    'Fisher(400)',
    's/epoch',
    'best',
  ];
  const body = rows.map((r) => {
    const fisher = fisherAt(r.metrics, 400);
    return [
      String(r.bits),
      r.variant,
      pct(r.metrics.it.map),
      pct(r.metrics.ti.map),
      pct(r.metrics.it.pAtH2),
      pct(r.metrics.ti.pAtH2),
      Number.isFinite(fisher) ? fisher.toFixed(3) : '—',
      r.msPerEpoch === undefined ? '' : (r.msPerEpoch / 1000).toFixed(2),
      r.bestEpoch === undefined ? '' : String(r.bestEpoch),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
