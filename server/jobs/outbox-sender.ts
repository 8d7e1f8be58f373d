import type { Deliverer } from '../services/outbox';
import type { Job } from './job';

const BATCH = 50;

/** Delivers due outbox messages on the channels that have a deliverer (Telegram). */
export function outboxSenderJob(deliverers: Record<string, Deliverer>, opts: { concurrency?: number } = {}): Job {
  return {
    name: 'outbox-sender',
    schedule: '*/2 * * * * *',
    // Short and renewed: after a crash another process sends within seconds.
    leaseMs: 10_000,
    async run(system, run) {
      const { outbox } = system.services;
      if (run.takenOverFrom) await outbox.releaseClaimsOf(run.takenOverFrom);
      // Drain in batches while there is work, so a burst is not spread over many ticks.
      for (;;) {
        const done = await outbox.deliverDue(deliverers, { owner: run.owner, limit: BATCH, concurrency: opts.concurrency, signal: run.signal });
        if (done.claimed < BATCH || run.signal.aborted) return;
      }
    },
  };
}
