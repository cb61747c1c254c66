/**
 * The exact null distribution of the signed-rank statistic W+ for n distinct non-zero
 * differences. Under "no difference" each of the 2ⁿ sign patterns is equally likely, and W+ is
 * the sum of the ranks that got a + sign, so the number of patterns with W+ = s is the number of
 * subsets of {1, …, n} that sum to s. Counted by dynamic programming over the ranks (the 0/1
 * knapsack count): adding rank k, every subset either leaves k out (count[s]) or takes it
 * (count[s − k]). O(n³) work instead of enumerating 2ⁿ patterns.
 *
 * Counts stay exact in doubles for n ≤ 50: the total is 2⁵⁰ < 2⁵³.
 */
export function signedRankCounts(n: number): number[] {
  const max = (n * (n + 1)) / 2;
  const count = new Array<number>(max + 1).fill(0);
  count[0] = 1;
  for (let k = 1; k <= n; k++) {
    // Downwards, so count[s − k] is still the value from before rank k was available.
    for (let s = (k * (k + 1)) / 2; s >= k; s--) count[s] += count[s - k];
  }
  return count;
}

/** P(W+ ≤ w) under the null, for n distinct non-zero differences. */
export function signedRankCdf(w: number, n: number): number {
  const count = signedRankCounts(n);
  let below = 0;
  for (let s = 0; s <= Math.min(Math.floor(w), count.length - 1); s++) below += count[s];
  return below / 2 ** n;
}
