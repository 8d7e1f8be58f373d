/**
 * Applying again from an existing account (after a rejection, R8, R9, R9a): R4 allows no
 * second account, so the person applies once more from the one they have, as long as it is
 * in no branch yet and nothing is waiting for a decision.
 */
import type { Transaction } from 'sequelize';
import type { Application, ApplicationKind } from '../../../models/Application';
import type { Organisation } from '../../../models/Organisation';
import type { Person } from '../../../models/Person';
import { UserError } from '../../errors';
import { STAGE_LABELS } from './application-stages';
import { requireHomeOrgName } from './mobile-member-checkin';
import { requireJoinAge, requireStatement } from './join-applications';
import type { Organisations } from '../organisations/organisations';
import { requireSelfRegistrationAllowed } from './self-registration';

/** What a new application from an existing account gives. */
export interface ReapplyInput {
  kind: ApplicationKind;
  branchId: number;
  /** R8: 团员 or 团干部 (may differ from the first time). */
  role?: 'member' | 'cadre';
  /** R9: 入团动机. */
  statement?: string;
  /** R9a: 团籍所在地 as typed. */
  homeOrgName?: string;
}

/** Throws, saying why and what to do, unless the person may apply again in this way. */
export function requireReapplyAllowed(person: Person, kind: ApplicationKind, open: Application | null, branch: Organisation | null, now: Date): void {
  if (person.branchId) {
    throw UserError.invalid(
      'ALREADY_PLACED',
      `您的账号已在“${branch?.fullName ?? '团支部'}”，不能重复注册。查看信息请发送 /me；如需为其他人办理，请先发送 /logout 退出登录。`,
    );
  }
  if (open) {
    throw UserError.invalid(
      'APPLICATION_OPEN',
      `您已有一份申请正在办理（编号 ${open.id}，${STAGE_LABELS[open.stage]}），请等待审核结果。发送 /status 查看进度。`,
    );
  }
  if (kind === 'join') {
    if (person.role !== 'applicant')
      throw UserError.invalid('ALREADY_MEMBER', '您的账号登记为团员，无需申请入团。请使用“团员注册”（/register）或“流动团员报到”（/checkin）加入团支部。');
    requireJoinAge(person.birthDate, now);
    return;
  }
  if (person.role === 'applicant') throw UserError.invalid('NOT_MEMBER', '您的账号是入团申请人的账号，请使用“我要入团”（/join）重新提交申请。');
  if (kind === 'self_registration') requireSelfRegistrationAllowed(person.joinedLeagueAt ?? '');
}

/** The application's own fields for a new application from an existing account. */
export async function prepareReapply(input: ReapplyInput, orgs: Organisations, t?: Transaction) {
  if (input.kind === 'join') return { data: { statement: requireStatement(input.statement ?? '') } };
  if (input.kind === 'flow_checkin') {
    const homeOrgName = requireHomeOrgName(input.homeOrgName ?? '');
    return { data: {}, homeOrgName, homeOrgId: (await orgs.findByFullName(homeOrgName, t))?.id ?? null };
  }
  if (input.role !== 'member' && input.role !== 'cadre') throw UserError.invalid('ROLE_INVALID', '请选择“团员”或“团干部”');
  return { data: { role: input.role }, role: input.role };
}
