/**
 * The median: the middle value, or the mean of the two middle ones. NaN for no values, and NaN
 * when any value is NaN (a missing score makes the median unknown, as it makes the mean NaN;
 * sorting around a NaN would return an arbitrary value instead). Infinities sort normally.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0 || values.some((v) => Number.isNaN(v))) return NaN;
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
