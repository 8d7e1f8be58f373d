import type { Deliverer } from '../services/outbox';
import type { Job } from './job';

/** Delivers due outbox messages on the channels that have a deliverer (Telegram). */
export function outboxSenderJob(deliverers: Record<string, Deliverer>): Job {
  return {
    name: 'outbox-sender',
    schedule: '*/3 * * * * *',
    async run(system) {
      // Drain in batches while there is work, so a burst is not spread over many ticks.
      while ((await system.services.outbox.deliverDue(deliverers, 50)) === 50);
    },
  };
}
