/** Percentile of sorted numbers (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `fn` n times in sequence; returns throughput and latency figures. */
export async function measure(n: number, fn: (i: number) => Promise<void>): Promise<{ perSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
  latencies.sort((a, b) => a - b);
  return { perSecond: (n / totalMs) * 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** A line `name: value unit (floor …, target …) PASS|BELOW`. */
export function report(name: string, value: string, verdict: boolean, detail: string): void {
  console.log(`${verdict ? 'PASS ' : 'BELOW'} ${name}: ${value} — ${detail}`);
}
