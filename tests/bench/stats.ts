/** A summary of latency samples, in milliseconds; null fields when there were no samples. */
export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** Summarises samples by nearest-rank percentiles (the samples are sorted in place). */
export function summarise(samples: number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50: null, p95: null, p99: null, max: null };
  samples.sort((a, b) => a - b);
  return {
    count: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: samples[samples.length - 1] ?? null,
  };
}

/** The nearest-rank `p`th percentile of already sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}
