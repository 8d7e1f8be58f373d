/**
 * 我要入团 (R9): a young person aged 14-28 applies to join the league through a branch; the
 * branch's admin moves the application through its stages up to admission.
 */
import { UserError } from '../../errors';
import type { SubmitSpec } from './submit-spec';
import { requireName, requirePassword, requirePhone, requireText } from './applicant-input';
import { ageOn } from '../../lib/id-number';

/** R9: the age range of applicants, inclusive, on the day of applying. */
export const JOIN_MIN_AGE = 14;
export const JOIN_MAX_AGE = 28;

/** What the applicant gives. */
export interface JoinInput {
  idNumber: string;
  name: string;
  phone: string;
  branchId: number;
  /** A short statement of why they want to join (入团动机). */
  statement: string;
  password: string;
}

/** Throws unless the person is 14-28 years old today (R9), with a message for each side. */
export function requireJoinAge(birthDate: string, now: Date): number {
  const age = ageOn(birthDate, now);
  if (age < JOIN_MIN_AGE) {
    throw UserError.invalid(
      'TOO_YOUNG',
      `您现在 ${age} 周岁，未满 ${JOIN_MIN_AGE} 周岁，暂不能申请入团（申请入团的年龄为 ${JOIN_MIN_AGE}-${JOIN_MAX_AGE} 周岁）。年满 ${JOIN_MIN_AGE} 周岁后欢迎再来申请！`,
    );
  }
  if (age > JOIN_MAX_AGE) {
    throw UserError.invalid(
      'TOO_OLD',
      `您现在 ${age} 周岁，已超过 ${JOIN_MAX_AGE} 周岁，不能申请入团（申请入团的年龄为 ${JOIN_MIN_AGE}-${JOIN_MAX_AGE} 周岁）。`,
    );
  }
  return age;
}

/** Checks 入团动机: 5-500 characters. */
export function requireStatement(raw: string): string {
  return requireText(raw, '入团动机', 5, 500);
}

/** Checks the input and turns it into an application: the account is an applicant's, with no branch. */
export function prepareJoin(input: JoinInput, id: { value: string; birthDate: string }, now: Date): SubmitSpec {
  const age = requireJoinAge(id.birthDate, now);
  return {
    kind: 'join',
    orgId: input.branchId,
    account: {
      idNumber: id.value,
      name: requireName(input.name),
      role: 'applicant',
      branchId: null,
      phone: requirePhone(input.phone),
      password: requirePassword(input.password, id.value),
    },
    data: { statement: requireStatement(input.statement), ageAtSubmit: age },
  };
}
