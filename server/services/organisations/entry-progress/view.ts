import type { OrgKind } from '../../../../models/Organisation';
import type { ChildTally, IncompleteEntry, KindTally } from './rollup';

// The shapes of what entry progress shows, apart from the service: the sheet and the chart
// render them, and the service imports both, so they cannot live in the service's file.

/** An organisation as the progress views name it. */
export interface ProgressOrg {
  id: number;
  fullName: string;
  shortName: string;
  kind: OrgKind;
}

/** What `/progress` shows for one subtree (R17). */
export interface ProgressView {
  org: ProgressOrg;
  /** When it was counted. */
  at: Date;
  /** Organisations of the subtree (the root too), and of them complete. */
  total: number;
  complete: number;
  kinds: KindTally[];
  /** Each organisation directly below the root, over its own subtree. */
  children: Array<ChildTally & Omit<ProgressOrg, 'id'>>;
  incomplete: { total: number; page: number; pages: number; rows: Array<IncompleteEntry & { fullName: string }> };
}

/** One organisation of the spreadsheet. */
export interface OrgProgress extends IncompleteEntry {
  fullName: string;
  complete: boolean;
}
