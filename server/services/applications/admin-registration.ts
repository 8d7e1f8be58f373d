import type { Organisation } from '../../../models/Organisation';
import type { Person } from '../../../models/Person';
import { UserError } from '../../errors';
import { type Accounts, checkNewPassword } from '../accounts/accounts';
import type { AdminCodes } from '../organisations/admin-codes';
import { type Admins, MAX_ADMINS } from '../organisations/admins';
import { recordAudit } from '../audit/audit';
import type { ServiceDeps } from '../deps';
import { ageOn } from '../../lib/id-number';
import { parseDate, parseName, parsePhone, todayInChina } from '../membership/roster-import/rows/values';

/** R6: the registrant must be older than 13, i.e. at least 14 in whole years. */
export const ADMIN_MIN_AGE = 14;
/** R6: 12 is enough for someone who joined the league before {@link EARLY_JOIN_CUTOFF}. */
export const EARLY_JOIN_MIN_AGE = 12;
export const EARLY_JOIN_CUTOFF = '2016-09-01';

/**
 * The R6 age rule, pure: null when a person born on `birthDate` (YYYY-MM-DD) who joined
 * the league on `joinedLeagueAt` (null: not known) may register as an admin on `today`,
 * else the Chinese reason.
 * @example adminAgeProblem('2013-01-01', '2015-06-01', new Date('2026-01-02')) // null (13, joined early)
 */
export function adminAgeProblem(birthDate: string, joinedLeagueAt: string | null, today: Date): string | null {
  const early = joinedLeagueAt !== null && joinedLeagueAt < EARLY_JOIN_CUTOFF;
  const min = early ? EARLY_JOIN_MIN_AGE : ADMIN_MIN_AGE;
  const age = ageOn(birthDate, today);
  if (age >= min) return null;
  return `管理员注册需年满 ${ADMIN_MIN_AGE} 周岁（大于 13 周岁；${EARLY_JOIN_CUTOFF} 前入团的可放宽到 ${EARLY_JOIN_MIN_AGE} 周岁），按身份证号码您现在 ${age} 周岁，暂不能注册为管理员`;
}

/** R4 for this way in: the way out is to log in and register with the existing account. */
export const ADMIN_DUPLICATE_MESSAGE =
  '该身份证号码已经注册过（不能重复注册）。请先发送 /login 登录，再发送 /register_admin 用已有账号注册为管理员；忘记密码请联系所在组织的管理员重置。';

/** A registration by someone without an account (the account is created). */
export interface NewAdminAccount {
  idNumber: string;
  name: string;
  /** 入团时间, as typed (2016-09-01, 2016年9月1日 …). */
  joinedLeagueAt: string;
  phone: string;
  password: string;
}

/** One registration: the organisation and its code, and either a new account or the logged-in one. */
export type AdminRegistrationInput = { orgId: number; code: string; clientKey: string } & (NewAdminAccount | { personId: number });

/** What a registration made. */
export interface AdminRegistrationResult {
  person: Person;
  org: Organisation;
  /** True when the account was created by this registration. */
  created: boolean;
}

/** 管理员注册 (R6): one place for the rules, whatever the way in. */
export class AdminRegistration {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly accounts: Accounts,
    private readonly admins: Admins,
    private readonly codes: AdminCodes,
  ) {}

  /** Refuses early (before any typing) when the organisation cannot take another admin. */
  async requireRoom(orgId: number, personId: number | null): Promise<void> {
    const current = await this.admins.orgsOf(personId ?? -1);
    if (current.some((o) => o.id === orgId)) throw UserError.invalid('ALREADY_ADMIN', '您已经是该组织的管理员，无需再注册');
    if ((await this.admins.countOf(orgId)) >= MAX_ADMINS) {
      throw UserError.invalid('ADMIN_LIMIT', `该组织已有 ${MAX_ADMINS} 位管理员（每个团组织最多两位），无法再注册。请联系现任管理员或上级组织`);
    }
  }

  /**
   * Registers an admin (R6): the code (rate-limited), then the age rule, R4, and at most
   * MAX_ADMINS per organisation (checked under the organisation's row lock, so concurrent
   * registrations cannot make a third). A new account gets role cadre, placed in the
   * organisation when it is a branch. Binding a chat is the caller's business.
   */
  async registerAdmin(input: AdminRegistrationInput): Promise<AdminRegistrationResult> {
    const org = await this.codes.verify(input.orgId, input.code, input.clientKey);
    const today = this.deps.now();
    if ('personId' in input) return this.promote(org, await this.accounts.require(input.personId), today);

    const id = this.accounts.requireIdNumber(input.idNumber);
    const name = parseName(input.name.trim() || null);
    if (!name.ok) throw UserError.invalid('NAME_INVALID', name.message);
    const joined = parseDate(input.joinedLeagueAt.trim() || null, { label: '入团时间', today: todayInChina(today), min: id.birthDate });
    if (!joined.ok) throw UserError.invalid('JOINED_INVALID', joined.message);
    const phone = parsePhone(input.phone.trim() || null);
    if (!phone.ok) throw UserError.invalid('PHONE_INVALID', phone.message);
    const age = adminAgeProblem(id.birthDate, joined.value, today);
    if (age) throw UserError.invalid('ADMIN_TOO_YOUNG', age);
    const weak = checkNewPassword(input.password, id.value);
    if (weak) throw UserError.invalid('PASSWORD_WEAK', weak);
    if (await this.accounts.findByIdNumber(id.value)) throw UserError.conflict('DUPLICATE_ACCOUNT', ADMIN_DUPLICATE_MESSAGE);
    await this.requireRoom(org.id, null);
    const account = await this.accounts.withHashedPassword({
      idNumber: id.value,
      name: name.value,
      role: 'cadre',
      branchId: org.kind === 'branch' ? org.id : null,
      phone: phone.value,
      joinedLeagueAt: joined.value,
      password: input.password,
    });

    const person = await this.deps.db.transaction(async (t) => {
      let created: Person;
      try {
        created = await this.accounts.create(account, t);
      } catch (err) {
        if (err instanceof UserError && err.code === 'DUPLICATE_ACCOUNT') throw UserError.conflict('DUPLICATE_ACCOUNT', ADMIN_DUPLICATE_MESSAGE);
        throw err;
      }
      await this.admins.add(org.id, created.id, t);
      await recordAudit(
        {
          actorPersonId: created.id,
          orgId: org.id,
          action: 'admin.register',
          targetType: 'person',
          targetId: created.id,
          after: { name: created.name, idMasked: created.idMasked, role: created.role, branchId: created.branchId },
        },
        t,
      );
      return created;
    });
    return { person, org, created: true };
  }

  /** A logged-in account becomes an admin: a member becomes a cadre; membership never moves. */
  private async promote(org: Organisation, person: Person, today: Date): Promise<AdminRegistrationResult> {
    if (person.role === 'applicant') {
      throw UserError.invalid('ADMIN_NOT_MEMBER', '入团申请人还不是团员，不能注册为组织管理员。请入团后再注册');
    }
    const age = adminAgeProblem(person.birthDate, person.joinedLeagueAt, today);
    if (age) throw UserError.invalid('ADMIN_TOO_YOUNG', age);
    await this.requireRoom(org.id, person.id);
    await this.deps.db.transaction(async (t) => {
      await person.reload({ transaction: t });
      const before = { role: person.role, branchId: person.branchId };
      if (person.role === 'member') person.role = 'cadre';
      if (person.branchId === null && org.kind === 'branch') person.branchId = org.id;
      await person.save({ transaction: t });
      await this.admins.add(org.id, person.id, t);
      await recordAudit(
        {
          actorPersonId: person.id,
          orgId: org.id,
          action: 'admin.register',
          targetType: 'person',
          targetId: person.id,
          before,
          after: { name: person.name, idMasked: person.idMasked, role: person.role, branchId: person.branchId },
        },
        t,
      );
    });
    return { person, org, created: false };
  }
}
