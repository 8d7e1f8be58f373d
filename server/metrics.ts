import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics (`GET /metrics`): updates handled and failed, outbox
 * deliveries and backlog, job runs. One registry per system, so tests that build several
 * systems in one process do not clash.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly updatesHandled = new Counter({
    name: 'zhtj_updates_handled_total',
    help: 'Chat updates handled',
    labelNames: ['channel'],
    registers: [this.registry],
  });
  readonly updateErrors = new Counter({
    name: 'zhtj_update_errors_total',
    help: 'Chat updates whose handling failed with a bug',
    labelNames: ['channel'],
    registers: [this.registry],
  });
  readonly outboxDelivered = new Counter({
    name: 'zhtj_outbox_deliveries_total',
    help: 'Outbox delivery attempts by outcome (sent, deferred by a rate limit, blocked by the person, failed)',
    labelNames: ['channel', 'outcome'],
    registers: [this.registry],
  });
  readonly jobRuns = new Counter({
    name: 'zhtj_job_runs_total',
    help: 'Scheduled job runs by outcome',
    labelNames: ['job', 'outcome'],
    registers: [this.registry],
  });
  readonly backgroundJobs = new Counter({
    name: 'zhtj_background_jobs_total',
    help: 'Background jobs (imports) finished, by outcome',
    labelNames: ['kind', 'outcome'],
    registers: [this.registry],
  });

  /** Adds the process's own figures (memory, CPU, event loop lag): for the server, not for tests. */
  withProcessMetrics(): this {
    collectDefaultMetrics({ register: this.registry, prefix: 'zhtj_' });
    return this;
  }

  /** Reports the outbox by status (pending is the backlog), read when scraped. */
  trackOutbox(countByStatus: () => Promise<Record<string, number>>): this {
    new Gauge({
      name: 'zhtj_outbox_messages',
      help: 'Outbox messages by status (pending is the backlog)',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        for (const [status, n] of Object.entries(await countByStatus())) this.set({ status }, n);
      },
    });
    return this;
  }

  /** The metrics in Prometheus' text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
