import type { ApplicationKind } from '../../../models/Application';
import type { NewAccount } from '../accounts/accounts';

// Apart from the service: each way in prepares one, and the service imports each way in.

/** An application ready to be written: the account to create and where it applies. */
export interface SubmitSpec {
  kind: ApplicationKind;
  orgId: number;
  account: NewAccount;
  homeOrgName?: string | null;
  homeOrgId?: number | null;
  data: Record<string, unknown>;
}
