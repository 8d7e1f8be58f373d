/**
 * The fee standards as one value: for a category and a month, the standard in force and its
 * bands. A later standard from a month supersedes an earlier one for that month and after
 * (two from the same month: the later added wins, as a correction); months before keep the
 * old. A standard that sets no band for a category leaves that category as it was.
 */
import type { FeeBand } from './arithmetic';
import { monthlyDueFen } from './arithmetic';
import type { Month } from './months';

/** A standard as its readers need it. */
export interface StandardInfo {
  id: number;
  name: string;
  title: string;
  article: string | null;
  validFrom: Month;
}

/** A standard with its bands by category. */
export interface StandardRows extends StandardInfo {
  bands: Array<FeeBand & { category: string }>;
}

/** What applies to one category in one month. */
export interface AppliedStandard {
  standard: StandardInfo;
  bands: FeeBand[];
}

export class StandardTable {
  /** Newest first: the first that fits a month is the one in force. */
  private readonly ordered: StandardRows[];

  constructor(rows: StandardRows[]) {
    this.ordered = [...rows].sort((a, b) => (a.validFrom === b.validFrom ? b.id - a.id : a.validFrom < b.validFrom ? 1 : -1));
  }

  /** Every standard, oldest first. */
  get all(): StandardRows[] {
    return [...this.ordered].reverse();
  }

  /** The standard in force for `category` in `month`, or null when none covers it. */
  forMonth(category: string, month: Month): AppliedStandard | null {
    for (const s of this.ordered) {
      if (s.validFrom > month) continue;
      const bands = s.bands.filter((b) => b.category === category);
      if (bands.length) return { standard: s, bands };
    }
    return null;
  }

  /** The monthly amount due (fen) in `month`; null when no standard covers it or a wage is needed and unknown. */
  dueFen(category: string, wageFen: number | null, month: Month): number | null {
    const applied = this.forMonth(category, month);
    return applied ? monthlyDueFen(applied.bands, wageFen) : null;
  }
}
