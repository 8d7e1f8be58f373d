/** Waiting in tests: for a condition, with a deadline, and a failure that says what was awaited and what was seen. */
import { inspect } from 'node:util';

/** How `until` waits. */
export interface UntilOptions {
  /** What is awaited, for the failure message ("the done mark of update 7"). */
  what: string;
  /** Fail after this long (generous: the machine may be loaded). Default 5 s. */
  timeoutMs?: number;
  /** Time between two checks. Default 25 ms. */
  intervalMs?: number;
  /** What to report as last seen when the time is up; default: the check's last result or error. */
  seen?: () => unknown;
}

/**
 * Resolves with the first truthy result of `check` (sync or async), polling every `intervalMs`;
 * a check that throws counts as not yet. Rejects after `timeoutMs` saying what it waited for
 * and what it last saw.
 *
 * @example await until(() => emu.callsOf('sendMessage').length >= 3, { what: 'three messages sent', timeoutMs: 10_000 });
 */
export async function until<T>(check: () => T | Promise<T>, opts: UntilOptions): Promise<NonNullable<T>> {
  const { what, timeoutMs = 5000, intervalMs = 25, seen } = opts;
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() - started >= timeoutMs) {
      let shown: unknown = last;
      try {
        if (seen) shown = await seen();
      } catch (err) {
        shown = err;
      }
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last saw: ${describe(shown)}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * Waits `ms`. Only for time that is itself the behaviour under test (moving past a deadline,
 * letting a backoff grow, proving nothing more happens); say why beside each call.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value.length > 2000 ? `${value.slice(0, 2000)}…` : value;
  return inspect(value, { depth: 4, breakLength: Infinity, maxStringLength: 500, maxArrayLength: 20 });
}
