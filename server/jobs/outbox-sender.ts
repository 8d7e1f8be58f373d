import type { ClaimedBatch, Deliverer } from '../services/messaging/outbox';
import type { Job } from './job';

/** Rows claimed at once: enough that a broadcast at a high rate is not slowed by claiming. */
const BATCH = 100;

/**
 * Delivers due outbox messages on the channels that have a deliverer (Telegram), at the
 * channel's pace. `concurrency` is the messages in flight at once: the most a kill -9 can
 * deliver twice.
 */
export function outboxSenderJob(deliverers: Record<string, Deliverer>, opts: { concurrency?: number } = {}): Job {
  return {
    name: 'outbox-sender',
    schedule: '*/2 * * * * *',
    // Short and renewed: after a crash another process sends within seconds.
    leaseMs: 10_000,
    async run(system, run) {
      const { outbox } = system.services;
      if (run.takenOverFrom) await outbox.releaseClaimsOf(run.takenOverFrom);
      const options = { owner: run.owner, limit: BATCH, concurrency: opts.concurrency, signal: run.signal };
      // Drain in batches while there is work, so a burst is not spread over many ticks; the next
      // batch is claimed while one is delivered, so claiming never stalls the sends.
      let next: Promise<ClaimedBatch> | null = outbox.claimDue(deliverers, options);
      try {
        while (next) {
          const batch: ClaimedBatch = await next;
          next = batch.rows.length === BATCH && !run.signal.aborted ? outbox.claimDue(deliverers, options) : null;
          await outbox.deliverClaimed(batch, deliverers, options);
          if (run.signal.aborted) break;
        }
      } finally {
        // A batch claimed ahead and not delivered goes back now, not when its claim runs out.
        if (next) await outbox.releaseClaimed(await next, run.owner);
      }
    },
  };
}
