// Min, median, p95 and max of a few dozen timings (failover times), by
// nearest rank: with 20 samples p95 is the 19th, not an interpolation.

export interface RankSummary { min: number; median: number; p95: number; max: number }

/** Whole milliseconds; NaN for every figure when there are no samples. */
export function rankSummary(samples: readonly number[]): RankSummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1))] ?? NaN);
  return { min: at(0), median: at(0.5), p95: at(0.95), max: at(1) };
}
