/** Date inputs (yyyy-mm-dd, the local day) as the ms-epoch bounds the contract filters take. */
/** A yyyy-mm-dd date input as ms epoch at the start (or end) of that local day. */
export function dayBound(value: string, end: boolean): number | undefined {
  if (!value) return undefined;
  const [y, m, d] = value.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  return end ? new Date(y, m - 1, d, 23, 59, 59, 999).getTime() : new Date(y, m - 1, d).getTime();
}
