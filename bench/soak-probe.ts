/** What the soak reads of the server process from outside: memory, open handles, /health, /metrics, its log. */
import fs from 'node:fs';

/** Resident memory (MB) and open file descriptors of a process, from /proc (Linux). */
export interface ProcessFigures {
  rssMb: number;
  fds: number;
  at: number;
}

export function processFigures(pid: number): ProcessFigures {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  return { rssMb: kb / 1024, fds: fs.readdirSync(`/proc/${pid}/fd`).length, at: Date.now() };
}

/** GET /health: the status it reports and the HTTP status. */
export async function health(base: string): Promise<{ httpStatus: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/health`);
  return { httpStatus: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The sum of a Prometheus counter's samples (every label) from GET /metrics. */
export async function counter(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+([0-9.e+-]+)$`).exec(line);
    if (m) sum += Number(m[1]);
  }
  return sum;
}

/** Log lines at pino level 50 (error) or above; a line that is not JSON counts too (a crash's stack). */
export function errorLines(lines: readonly string[]): string[] {
  return lines.filter((line) => {
    try {
      return Number((JSON.parse(line) as { level?: unknown }).level) >= 50;
    } catch {
      return /error|exception/i.test(line);
    }
  });
}

/** Lines whose message includes `fragment`. */
export const linesWith = (lines: readonly string[], fragment: string) => lines.filter((l) => l.includes(fragment));
