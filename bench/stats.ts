/** Nearest-rank percentile (0–100) of unsorted values; NaN for none. */
export function percentile(values: readonly number[], rank: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1))];
}

export const median = (values: readonly number[]) => percentile(values, 50);

/** Field by field median of repeated runs of one measurement. */
export function medianOfRuns<T extends { [K in keyof T]: number }>(runs: readonly T[]): T {
  const names = Object.keys(runs[0]) as Array<keyof T>;
  return Object.fromEntries(names.map((name) => [name, median(runs.map((run) => run[name]))])) as T;
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));
