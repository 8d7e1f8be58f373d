import { Transaction, UniqueConstraintError } from 'sequelize';
import { Person, PersonRole } from '../../models/Person';
import { UserError } from '../errors';
import { safeEqual } from '../security/passwords';
import type { ServiceDeps } from './deps';
import { initialPasswordOf, maskIdNumber, parseIdNumber } from './id-number';
import { PersonSummary, readProfileCard, ProfileCard } from './profile-card';
import { LOGIN_RULE, RateLimits, waitText } from './rate-limits';

export interface NewAccount {
  idNumber: string;
  name: string;
  role: PersonRole;
  branchId: number | null;
  phone?: string | null;
  ethnicity?: string | null;
  education?: string | null;
  joinedLeagueAt?: string | null;
  /** Given for self-registration; absent when somebody else creates the account (R3). */
  password?: string;
}

/** Message for R4, naming the way out. */
export const DUPLICATE_MESSAGE = '该身份证号码已经注册过（不能重复注册）。请直接用 /login 登录；忘记密码请联系所在组织的管理员重置。';

/** Password rules for a new password. */
export function checkNewPassword(password: string, idNumber: string): string | null {
  if (password.length < 8 || password.length > 64) return '新密码长度应为 8-64 位';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '新密码需同时包含字母和数字';
  if (password === initialPasswordOf(idNumber)) return '新密码不能与初始密码（身份证号码后 8 位）相同';
  return null;
}

/** Accounts (R1-R4): creation, lookup by ID number, login with limits, password changes. */
export class Accounts {
  private readonly limits: RateLimits;

  constructor(private readonly deps: ServiceDeps) {
    this.limits = new RateLimits(deps);
  }

  /** Normalises and checks an ID number, or throws a UserError with the reason (R1). */
  requireIdNumber(raw: string): { value: string; birthDate: string; gender: 'M' | 'F' } {
    const parsed = parseIdNumber(raw, this.deps.now());
    if (!parsed.ok) throw new UserError('ID_INVALID', parsed.message);
    return parsed;
  }

  findByIdNumber(idNumber: string, t?: Transaction): Promise<Person | null> {
    return Person.findOne({ where: { idHash: this.deps.vault.lookupHash(idNumber) }, transaction: t });
  }

  get(personId: number, t?: Transaction): Promise<Person | null> {
    return Person.findByPk(personId, { transaction: t });
  }

  async require(personId: number, t?: Transaction): Promise<Person> {
    const person = await this.get(personId, t);
    if (!person) throw new UserError('PERSON_NOT_FOUND', '账号不存在');
    return person;
  }

  /** The whole ID number, for the person themself or an authorised admin only. */
  idNumberOf(person: Person): string {
    return this.deps.vault.decrypt(person.idCipher);
  }

  /** Creates an account; one per ID number (R4). Without a password it gets R3's initial one. */
  async create(input: NewAccount, t?: Transaction): Promise<Person> {
    const id = this.requireIdNumber(input.idNumber);
    const name = input.name.trim();
    if (!name) throw new UserError('NAME_REQUIRED', '请填写姓名');
    const passwordHash = input.password ? await this.deps.hasher.hash(input.password) : null;
    return this.deps.db.transaction(async (tx) => {
      if (await this.findByIdNumber(id.value, tx)) throw new UserError('DUPLICATE_ACCOUNT', DUPLICATE_MESSAGE, 409);
      try {
        return await Person.create(
          {
            idCipher: this.deps.vault.encrypt(id.value),
            idHash: this.deps.vault.lookupHash(id.value),
            idMasked: maskIdNumber(id.value),
            name,
            gender: id.gender,
            birthDate: id.birthDate,
            phone: input.phone ?? null,
            ethnicity: input.ethnicity ?? null,
            education: input.education ?? null,
            joinedLeagueAt: input.joinedLeagueAt ?? null,
            role: input.role,
            branchId: input.branchId,
            passwordHash,
            mustChangePassword: !input.password,
            verificationReason: null,
            verifiedAt: null,
          },
          { transaction: tx },
        );
      } catch (err) {
        if (err instanceof UniqueConstraintError) throw new UserError('DUPLICATE_ACCOUNT', DUPLICATE_MESSAGE, 409);
        throw err;
      }
    }, t);
  }

  /** True when `password` is the account's password (R3's initial one while none is set). */
  async checkPassword(person: Person, password: string): Promise<boolean> {
    if (!person.passwordHash) return safeEqual(password, initialPasswordOf(this.idNumberOf(person)));
    return this.deps.hasher.verify(password, person.passwordHash);
  }

  /**
   * Logs in with ID number and password (R2), limited per account and per chat user
   * (`clientKey`): at most 100 failures an hour, with growing delays after the third.
   */
  async login(idNumber: string, password: string, clientKey: string): Promise<Person> {
    const id = this.requireIdNumber(idNumber);
    const person = await this.findByIdNumber(id.value);
    const keys = [`login:client:${clientKey}`, ...(person ? [`login:person:${person.id}`] : [])];
    for (const key of keys) {
      const wait = await this.limits.waitMs(key, LOGIN_RULE);
      if (wait > 0) throw new UserError('LOGIN_LIMITED', `登录失败次数过多，请 ${waitText(wait)}后再试`, 429);
    }
    if (!person || !(await this.checkPassword(person, password))) {
      for (const key of keys) await this.limits.fail(key, LOGIN_RULE);
      throw new UserError('LOGIN_FAILED', '身份证号码或密码不正确。账号由组织添加的，初始密码为身份证号码后 8 位', 401);
    }
    for (const key of keys) await this.limits.reset(key);
    return person;
  }

  /** Sets a new password after checking the rules; clears the must-change flag (R3). */
  async changePassword(personId: number, newPassword: string): Promise<void> {
    const person = await this.require(personId);
    const problem = checkNewPassword(newPassword, this.idNumberOf(person));
    if (problem) throw new UserError('PASSWORD_WEAK', problem);
    person.passwordHash = await this.deps.hasher.hash(newPassword);
    person.mustChangePassword = false;
    await this.deps.db.transaction((t) => person.save({ transaction: t }));
  }

  /** What `/me` shows of a person (ID number masked), or null. */
  profileCard(personId: number, summary?: PersonSummary | null): Promise<ProfileCard | null> {
    return readProfileCard(this.deps, personId, summary);
  }

}
