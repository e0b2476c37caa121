/** Bucket bounds grow by 10 %: a percentile read from a histogram is within 10 % of the true value. */
const GROWTH = Math.log(1.1);

/** Milliseconds → bucket index → count; sparse, so it merges across workers by adding counts. */
export type LatencyHistogram = Record<number, number>;

export function recordLatency(histogram: LatencyHistogram, ms: number): void {
  const index = ms <= 1 ? 0 : Math.ceil(Math.log(ms) / GROWTH);
  histogram[index] = (histogram[index] ?? 0) + 1;
}

export function mergeLatencies(into: LatencyHistogram, from: LatencyHistogram): void {
  for (const [index, count] of Object.entries(from)) into[Number(index)] = (into[Number(index)] ?? 0) + count;
}

/** The upper bound (ms) of the bucket holding the `quantile` (0–1) sample; `undefined` when empty. */
export function latencyQuantile(histogram: LatencyHistogram, quantile: number): number | undefined {
  const indexes = Object.keys(histogram)
    .map(Number)
    .sort((a, b) => a - b);
  const total = indexes.reduce((sum, index) => sum + histogram[index], 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(quantile * total));
  let seen = 0;
  for (const index of indexes) {
    seen += histogram[index];
    if (seen >= rank) return Math.exp(index * GROWTH);
  }
  return undefined;
}
