// Percentiles over raw samples (latencies in ms). Sorting a few million
// numbers once is cheaper than a histogram's bucketing error at sub-ms values.

export interface Distribution { count: number; p50: number; p90: number; p99: number; max: number; mean: number }

export function distribution(samples: Float64Array | number[]): Distribution {
  const n = samples.length;
  if (n === 0) return { count: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => sorted[Math.min(n - 1, Math.floor(q * n))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { count: n, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[n - 1]!, mean: sum / n };
}

/** Least-squares slope of y over x (units of y per unit of x). */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
    sxx += xs[i]! * xs[i]!;
    sxy += xs[i]! * ys[i]!;
  }
  const d = n * sxx - sx * sx;
  return d === 0 ? 0 : (n * sxy - sx * sy) / d;
}

/** A growable Float64 buffer: millions of latency samples without boxing. */
export class SampleBuffer {
  private buf = new Float64Array(1 << 16);
  private n = 0;
  push(v: number): void {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = v;
  }
  get length(): number { return this.n; }
  values(): Float64Array { return this.buf.subarray(0, this.n); }
}
