import type { PersonRole, VerificationState } from '../../../models/Person';

// Apart from the service: the people spreadsheet renders it and the service imports the sheet.

/** A person as an admin's list shows them (ID number masked). */
export interface OrgPerson {
  id: number;
  name: string;
  idMasked: string;
  role: PersonRole;
  branchName: string | null;
  verificationState: VerificationState;
  verificationReason: string | null;
  /** Labels of the required fields not filled (R16). */
  missing: string[];
}
