import type { Update } from 'telegraf/types';
import type { Logger } from '../server/logger';

/** Where the bot's connection to Telegram stands, for `/health`. */
export type BotState = 'starting' | 'running' | 'conflict' | 'unauthorized' | 'unreachable' | 'stopped';

/** A failed Bot API call as the poller sees it. */
interface ApiFailure {
  code?: number;
  description?: string;
  retryAfterS?: number;
}

/** Options of {@link UpdatePoller}. */
export interface PollerOptions {
  /** One poll (`getUpdates` from `offset`, waiting up to `timeoutS` seconds for an update). */
  fetch(offset: number, timeoutS: number, signal: AbortSignal): Promise<Update[]>;
  /** Handles an update; resolves once it is handled and answered. */
  handle(update: Update): Promise<void>;
  logger: Logger;
  onState(state: BotState, detail?: string): void;
  /** An update still unfinished after this long stops holding back the offset (it is not waited for at a restart). */
  maxHoldMs?: number;
  /** First wait after a failed poll; doubles up to `maxBackoffMs` (a refused token) or `maxRetryMs` (anything else). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /**
   * Longest wait between polls while another instance polls (409) or the Bot API cannot be
   * reached: short, so the state says `running` within seconds of the fault ending.
   */
  maxRetryMs?: number;
  /** How long a poll waits for an update while polling works (Telegram's long poll). */
  longPollS?: number;
}

/** How often to poll while an unfinished update holds the offset back (each poll then returns at once). */
const HELD_POLL_MS = 30;
/** A failure that goes on is logged again this often, not at every retry. */
const LOG_AGAIN_MS = 60_000;

const failureOf = (err: unknown): ApiFailure => {
  const e = err as { response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } }; message?: string };
  return { code: e?.response?.error_code, description: e?.response?.description ?? e?.message, retryAfterS: e?.response?.parameters?.retry_after };
};

/**
 * Long polling that loses no update and lets no update hold up another chat. Updates are
 * handed on as they arrive, without waiting for the batch; Telegram is told an update is done
 * (by the next poll's offset) only once it and every update before it are handled, so after a
 * crash Telegram sends again what was not finished (see ProcessedUpdates for the ones that were).
 * A failed poll (409: another instance polls; 401: a wrong token; the API unreachable) is
 * logged and retried with growing waits, polling never silently stops. Until one succeeds (at
 * start, after a failure) the polls are short: they return at once, so the first that succeeds
 * says polling works, where a long poll would wait up to 50 s for an update before it returns.
 */
export class UpdatePoller {
  private readonly inflight = new Map<number, number>();
  /** Ids handled while an older one was still in flight (Telegram may send them again). */
  private readonly done = new Set<number>();
  private highest = 0;
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private progress: (() => void) | null = null;
  /** The failure last logged and when, so one that goes on is not logged at every retry. */
  private logged: { kind: string; at: number } | null = null;

  constructor(private readonly opts: PollerOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops polling and waits for the updates being handled. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    while (this.inflight.size) await this.waitForProgress(50);
    this.opts.onState('stopped');
  }

  /** The offset for the next poll: the oldest update still being handled, or past the highest seen. */
  nextOffset(now = Date.now()): number {
    let oldest = Infinity;
    for (const [id, since] of this.inflight) if (now - since < (this.opts.maxHoldMs ?? 60_000) && id < oldest) oldest = id;
    const next = oldest === Infinity ? (this.highest ? this.highest + 1 : 0) : oldest;
    for (const id of this.done) if (id < next) this.done.delete(id);
    return next;
  }

  private async run(): Promise<void> {
    const { logger } = this.opts;
    const signal = this.abort.signal;
    let failures = 0;
    let working = false;
    while (!signal.aborted) {
      let updates: Update[];
      try {
        // Short until a poll succeeds (at start, after a failure): that one says polling works.
        updates = await this.opts.fetch(this.nextOffset(), working ? (this.opts.longPollS ?? 50) : 0, signal);
        working = true;
        if (failures) logger.info({ after: failures }, 'Telegram polling works again');
        failures = 0;
        this.logged = null;
        this.opts.onState('running');
      } catch (err) {
        if (signal.aborted) break;
        working = false;
        failures++;
        await this.pause(this.onFailure(failureOf(err), failures), signal);
        continue;
      }
      let fresh = 0;
      for (const update of updates) {
        const id = update.update_id;
        if (this.inflight.has(id) || this.done.has(id)) continue;
        fresh++;
        this.highest = Math.max(this.highest, id);
        this.inflight.set(id, Date.now());
        this.opts
          .handle(update)
          .catch((err: Error) => logger.error({ err: err.message, updateId: id }, 'update handling failed'))
          .finally(() => {
            this.inflight.delete(id);
            this.done.add(id);
            this.progress?.();
          });
      }
      // Only updates still in flight came back (Telegram answers at once while one is unconfirmed):
      // ask again shortly, or as soon as one finishes, so new updates wait at most that long.
      if (updates.length && !fresh) await this.waitForProgress(HELD_POLL_MS);
    }
  }

  /** Logs a failed poll, reports the state and returns how long to wait before the next. */
  private onFailure(f: ApiFailure, failures: number): number {
    const { logger } = this.opts;
    const growing = (max: number) => Math.min((this.opts.backoffMs ?? 1000) * 2 ** Math.min(failures - 1, 10), max);
    const detail = `${f.code ?? 'network'}: ${f.description ?? 'no answer'}`;
    const log = { code: f.code, error: f.description, failures };
    if (f.code === 409) {
      const wait = growing(this.opts.maxRetryMs ?? 3000);
      this.opts.onState('conflict', detail);
      if (this.shouldLog('conflict'))
        logger.warn({ ...log, retryInMs: wait }, 'Telegram refused polling (409): another instance of this bot is polling, or a webhook is set. Retrying');
      return wait;
    }
    if (f.code === 401 || f.code === 404) {
      // A wrong token does not mend itself: no need to ask often.
      const wait = growing(this.opts.maxBackoffMs ?? 60_000);
      this.opts.onState('unauthorized', detail);
      if (this.shouldLog('unauthorized')) logger.error({ ...log, retryInMs: wait }, 'Telegram refused the bot token: check BOT_TOKEN. Retrying');
      return wait;
    }
    if (f.code === 429) {
      const wait = (f.retryAfterS ?? 5) * 1000;
      logger.warn({ retryInMs: wait }, 'Telegram asked to slow down polling (429)');
      return wait;
    }
    const wait = growing(this.opts.maxRetryMs ?? 3000);
    this.opts.onState('unreachable', detail);
    if (this.shouldLog('unreachable'))
      logger.warn({ ...log, retryInMs: wait }, 'Telegram Bot API unreachable while polling: check TELEGRAM_API_ROOT and the network. Retrying');
    return wait;
  }

  /** A new kind of failure is logged at once, one that goes on once a minute. */
  private shouldLog(kind: string, now = Date.now()): boolean {
    if (this.logged?.kind === kind && now - this.logged.at < LOG_AGAIN_MS) return false;
    this.logged = { kind, at: now };
    return true;
  }

  private pause(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done);
    });
  }

  private waitForProgress(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.progress = null;
        resolve();
      }, ms);
      this.progress = () => {
        clearTimeout(timer);
        this.progress = null;
        resolve();
      };
    });
  }
}
