/**
 * 流动团员报到 (R9a): a member away from home, not yet in the system, reports to a local
 * branch; its admin confirms. The record keeps both the home organisation (团籍所在地) and
 * the current one.
 */
import type { Transaction } from 'sequelize';
import type { SubmitSpec } from './submit-spec';
import { requireJoinedDate, requireName, requirePassword, requirePhone, requireText } from './applicant-input';
import type { Organisations } from '../organisations/organisations';

/** What the member gives. */
export interface CheckinInput {
  idNumber: string;
  name: string;
  /** 入团时间 as typed. */
  joinedLeagueAt: string;
  /** 团籍所在地: the full name of the home organisation, as typed. */
  homeOrgName: string;
  /** The local branch reported to. */
  branchId: number;
  phone: string;
  password: string;
}

/** Checks 团籍所在地 as typed: 4-100 characters. */
export function requireHomeOrgName(raw: string): string {
  return requireText(raw, '团籍所在地（组织全称）', 4, 100);
}

/** Checks the input and turns it into an application; the home organisation is matched by full name (R11) when it exists. */
export async function prepareCheckin(
  input: CheckinInput,
  id: { value: string; birthDate: string },
  now: Date,
  orgs: Organisations,
  t?: Transaction,
): Promise<SubmitSpec> {
  const homeOrgName = requireHomeOrgName(input.homeOrgName);
  const home = await orgs.findByFullName(homeOrgName, t);
  return {
    kind: 'flow_checkin',
    orgId: input.branchId,
    homeOrgName,
    homeOrgId: home?.id ?? null,
    account: {
      idNumber: id.value,
      name: requireName(input.name),
      role: 'member',
      branchId: null, // placed in the local branch once its admin confirms
      phone: requirePhone(input.phone),
      joinedLeagueAt: requireJoinedDate(input.joinedLeagueAt, id.birthDate, now),
      password: requirePassword(input.password, id.value),
    },
    data: {},
  };
}
