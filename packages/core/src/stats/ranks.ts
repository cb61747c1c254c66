/** Ranks with ties, as the signed-rank test needs them. */
export interface Ranking {
  /** ranks[i] is the rank of values[i] (1-based); tied values share the mean of their ranks. */
  ranks: number[];
  /** Size of every group of tied values with more than one member (for the variance correction). */
  tieSizes: number[];
}

/**
 * Average ranks ("average" in scipy.stats.rankdata, R's rank() default): sort once, then give
 * each run of equal values the mean of the positions it spans, (first + last) / 2. A tie must
 * share one rank, else the statistic would depend on the order the ties happened to arrive in.
 */
export function averageRanks(values: readonly number[]): Ranking {
  const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j]);
  const ranks = new Array<number>(values.length);
  const tieSizes: number[] = [];
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]] === values[order[start]]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]] = rank;
    if (end > start) tieSizes.push(end - start + 1);
    start = end + 1;
  }
  return { ranks, tieSizes };
}
