/** A member's fee category and wage over time (pure): what applies in a given month. */
import type { Month } from './months';

/** One confirmed setting, from a month. */
export interface ProfileEntry {
  id: number;
  validFrom: Month;
  category: string;
  wageFen: number | null;
}

/**
 * The setting in force in `month`: the latest from that month or before (the later added of
 * two from the same month). Before the first setting the first applies: nobody said otherwise.
 */
export function profileAt(entries: readonly ProfileEntry[], month: Month): ProfileEntry | null {
  let best: ProfileEntry | null = null;
  let first: ProfileEntry | null = null;
  for (const e of entries) {
    if (!first || e.validFrom < first.validFrom || (e.validFrom === first.validFrom && e.id > first.id)) first = e;
    if (e.validFrom > month) continue;
    if (!best || e.validFrom > best.validFrom || (e.validFrom === best.validFrom && e.id > best.id)) best = e;
  }
  return best ?? first;
}
