/**
 * 团员团干部注册 (R8): a member or cadre whom no admin has added yet registers into a branch;
 * the branch's admin approves or rejects. Members who joined on or after 2020-01-01 cannot
 * register themselves: their branch enters them (R7), since their joining was recorded there.
 */
import { UserError } from '../../errors';
import type { SubmitSpec } from './submit-spec';
import { requireJoinedDate, requireName, requirePassword, requirePhone } from './applicant-input';

/** R8: joined on or after this day → the branch adds them instead. */
export const SELF_REGISTRATION_CUTOFF = '2020-01-01';

/** R8's refusal for recent members, with the way out (R7). */
export const JOINED_TOO_RECENTLY_MESSAGE =
  '2020年1月1日及以后入团的团员，入团信息已由发展团员的团支部记录，不能自行注册。请联系您所在的团支部，由团支部管理员在系统中添加您（组织管理员添加）；添加后即可用身份证号码登录，初始密码为身份证号码后 8 位。';

/** What the registrant gives. */
export interface SelfRegistrationInput {
  idNumber: string;
  name: string;
  /** 入团时间 as typed. */
  joinedLeagueAt: string;
  role: 'member' | 'cadre';
  branchId: number;
  phone: string;
  password: string;
}

/** Throws R8's refusal when the member joined on or after 2020-01-01. */
export function requireSelfRegistrationAllowed(joinedLeagueAt: string): void {
  if (joinedLeagueAt >= SELF_REGISTRATION_CUTOFF) throw UserError.invalid('JOINED_AFTER_CUTOFF', JOINED_TOO_RECENTLY_MESSAGE);
}

/** Checks the input and turns it into an application: the account waits with no branch. */
export function prepareSelfRegistration(input: SelfRegistrationInput, id: { value: string; birthDate: string }, now: Date): SubmitSpec {
  const joined = requireJoinedDate(input.joinedLeagueAt, id.birthDate, now);
  requireSelfRegistrationAllowed(joined);
  if (input.role !== 'member' && input.role !== 'cadre') throw UserError.invalid('ROLE_INVALID', '请选择“团员”或“团干部”');
  return {
    kind: 'self_registration',
    orgId: input.branchId,
    account: {
      idNumber: id.value,
      name: requireName(input.name),
      role: input.role,
      branchId: null, // placed only when approved: no member rights in the branch before that
      phone: requirePhone(input.phone),
      joinedLeagueAt: joined,
      password: requirePassword(input.password, id.value),
    },
    data: { role: input.role },
  };
}
