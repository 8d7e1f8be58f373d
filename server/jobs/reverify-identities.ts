import type { Job } from './job';

/** How many records one run re-checks at most, so a run stays short. */
export const REVERIFY_LIMIT = 500;

/**
 * R5: re-verifies pending and failed-retryable identities in bulk (e.g. records edited on a
 * profile page, or not yet confirmed by the national check).
 */
export const reverifyIdentitiesJob: Job = {
  name: 'reverify-identities',
  schedule: '*/10 * * * *',
  leaseMs: 5 * 60_000,
  async run(system) {
    const counts = await system.services.identity.reverifyPending(REVERIFY_LIMIT);
    if (counts.checked) system.logger.info(counts, 'identities re-verified');
  },
};
