import type { PersonRole, VerificationState } from '../../../models/Person';

/** A person's verification state (R5) as admins and members read it. */
export const VERIFICATION_LABELS: Record<VerificationState, string> = { pending: '待认证', verified: '已认证', failed: '认证未通过' };

/** A person's role (身份) as lists and spreadsheets show it. */
export const PERSON_ROLE_LABELS: Record<PersonRole, string> = { member: '团员', cadre: '团干部', applicant: '入团申请人' };
