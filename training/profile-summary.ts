/** Summaries of ORT profiler output (the JSON trace `endProfiling` writes): time by op type and by node. */

/** One trace event of ORT's profiler. */
export interface ProfileEvent {
  cat: string;
  name: string;
  dur: number;
  args?: { op_name?: string; output_type_shape?: unknown };
}

/** One row of a summary: total milliseconds per run and how many kernels contributed. */
export interface ProfileRow {
  key: string;
  ms: number;
  count: number;
  op: string;
  shape: string;
}

/** Kernel time per run by output size: the B×B grid (≥ 128k elements), mid-sized tensors, small ones. */
export function bySize(events: ProfileEvent[], runs: number): ProfileRow[] {
  const rows = new Map<string, ProfileRow>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const first = (e.args?.output_type_shape as Array<Record<string, number[]>> | undefined)?.[0];
    const dims = first ? (Object.values(first)[0] ?? []) : [];
    const n = dims.reduce((a, b) => a * b, 1);
    const key = n >= 131072 ? 'grid (>= 128k elements)' : n >= 4096 ? 'mid (4k-128k)' : 'small (< 4k)';
    const r = rows.get(key) ?? { key, ms: 0, count: 0, op: '', shape: '' };
    r.ms += e.dur / 1000 / runs;
    r.count += 1 / runs;
    rows.set(key, r);
  }
  return [...rows.values()].sort((a, b) => b.ms - a.ms);
}

/** Time per run by op type and by node, from the events of `runs` session runs. */
export function summarizeProfile(
  events: ProfileEvent[],
  runs: number,
): { runMs: number; kernelMs: number; nodes: number; byOp: ProfileRow[]; byNode: ProfileRow[] } {
  const byOp = new Map<string, ProfileRow>();
  const byNode = new Map<string, ProfileRow>();
  let run = 0;
  let kernel = 0;
  for (const e of events) {
    if (e.cat === 'Session' && e.name === 'model_run') run += e.dur;
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const op = e.args?.op_name ?? '?';
    const node = e.name.slice(0, -'_kernel_time'.length);
    const shape = JSON.stringify(e.args?.output_type_shape ?? '').slice(0, 60);
    kernel += e.dur;
    for (const [m, key] of [
      [byOp, op],
      [byNode, node],
    ] as const) {
      const r = m.get(key) ?? { key, ms: 0, count: 0, op, shape };
      r.ms += e.dur / 1000 / runs;
      r.count++;
      m.set(key, r);
    }
  }
  const sorted = (m: Map<string, ProfileRow>) =>
    [...m.values()].map((r) => ({ ...r, count: r.count / runs })).sort((a, b) => b.ms - a.ms);
  return {
    runMs: run / 1000 / runs,
    kernelMs: kernel / 1000 / runs,
    nodes: byNode.size,
    byOp: sorted(byOp),
    byNode: sorted(byNode),
  };
}
