import { Transaction, UniqueConstraintError } from 'sequelize';
import { Person, PersonRole } from '../../../models/Person';
import { UserError } from '../../errors';
import { safeEqual } from '../../security/passwords';
import type { ServiceDeps } from '../deps';
import { initialPasswordOf, maskIdNumber, parseIdNumber } from '../../lib/id-number';
import { PersonSummary, readProfileCard, ProfileCard } from '../membership/profile-card';
import type { ChatUser } from './chat-bindings';
import type { ChatBindings } from './chat-bindings';
import type { Outbox } from '../messaging/outbox';
import { LOGIN_ACCOUNT_RULE, LOGIN_SOURCE_RULE, type RateLimits, waitText } from '../platform/rate-limits';

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
  /** The password already hashed (see {@link Accounts.withHashedPassword}): for a creation inside a transaction. */
  passwordHash?: string;
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

/** After this many wrong passwords from chats the owner never logged in from, the owner is told. */
export const LOGIN_ALERT_AFTER = 5;

const LOGIN_FAILED_MESSAGE = '身份证号码或密码不正确。账号由组织添加的，初始密码为身份证号码后 8 位';

/** Accounts (R1-R4): creation, lookup by ID number, login with limits, password changes. */
export class Accounts {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly limits: RateLimits,
    private readonly bindings: ChatBindings,
    private readonly outbox: Outbox,
  ) {}

  /** Normalises and checks an ID number, or throws a UserError with the reason (R1). */
  requireIdNumber(raw: string): { value: string; birthDate: string; gender: 'M' | 'F' } {
    const parsed = parseIdNumber(raw, this.deps.now());
    if (!parsed.ok) throw UserError.invalid('ID_INVALID', parsed.message);
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
    if (!person) throw UserError.invalid('PERSON_NOT_FOUND', '账号不存在');
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
    if (!name) throw UserError.invalid('NAME_REQUIRED', '请填写姓名');
    const passwordHash = input.passwordHash ?? (input.password ? await this.deps.hasher.hash(input.password) : null);
    return this.deps.db.transaction(async (tx) => {
      if (await this.findByIdNumber(id.value, tx)) throw UserError.conflict('DUPLICATE_ACCOUNT', DUPLICATE_MESSAGE);
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
            mustChangePassword: !passwordHash,
            verificationReason: null,
            verifiedAt: null,
          },
          { transaction: tx },
        );
      } catch (err) {
        if (err instanceof UniqueConstraintError) throw UserError.conflict('DUPLICATE_ACCOUNT', DUPLICATE_MESSAGE);
        throw err;
      }
    }, t);
  }

  /**
   * The account to create with its password hashed now: the slow hash must be made before the
   * transaction that creates the account, never awaited inside it (write-scope.ts).
   */
  async withHashedPassword(input: NewAccount): Promise<NewAccount> {
    if (!input.password) return input;
    const { password, ...rest } = input;
    return { ...rest, passwordHash: await this.deps.hasher.hash(password) };
  }

  /** True when `password` is the account's password (R3's initial one while none is set). */
  async checkPassword(person: Person, password: string): Promise<boolean> {
    if (!person.passwordHash) return safeEqual(password, initialPasswordOf(this.idNumberOf(person)));
    return this.deps.hasher.verify(password, person.passwordHash);
  }

  /**
   * Logs in with ID number and password (R2). Each try is claimed before the password is
   * checked, so a burst from many chats checks no more passwords than the limits allow:
   * the source (`clientKey`, a chat user) is throttled hard, the account gently (a growing
   * delay up to a minute, never a lock-out), and not at all from a chat that logged in to it
   * before, so a stranger cannot lock the owner out. The owner is told after a burst of failures.
   */
  async login(idNumber: string, password: string, clientKey: string): Promise<Person> {
    const id = this.requireIdNumber(idNumber);
    const bySource = await this.limits.claim(`login:client:${clientKey}`, LOGIN_SOURCE_RULE);
    if (bySource) throw UserError.limited('LOGIN_LIMITED', `登录失败次数过多，请 ${waitText(bySource.waitMs)}后再试`);
    const person = await this.findByIdNumber(id.value);
    const accountKey = person && `login:person:${person.id}`;
    const known = person ? await this.isKnownSource(person.id, clientKey) : false;
    if (accountKey && !known) {
      const byAccount = await this.limits.claim(accountKey, LOGIN_ACCOUNT_RULE);
      if (byAccount) throw UserError.limited('LOGIN_LIMITED', `该账号近期登录失败次数较多，为保护账号，请 ${waitText(byAccount.waitMs)}后再试`);
    }
    if (!person || !(await this.checkPassword(person, password))) {
      if (accountKey && !known) await this.alertAfterBurst(person!, accountKey);
      throw UserError.unauthenticated('LOGIN_FAILED', LOGIN_FAILED_MESSAGE);
    }
    await this.limits.reset(`login:client:${clientKey}`);
    if (accountKey) await this.limits.reset(accountKey);
    await this.rememberSource(person.id, clientKey);
    return person;
  }

  private async isKnownSource(personId: number, clientKey: string): Promise<boolean> {
    const rows = await this.deps.db.fast.all('SELECT 1 AS one FROM login_sources WHERE person_id = ? AND source_key = ?', [personId, clientKey]);
    return rows.length > 0;
  }

  private async rememberSource(personId: number, clientKey: string): Promise<void> {
    const { fast } = this.deps.db;
    await fast.run(
      `INSERT INTO login_sources (person_id, source_key, last_success_at) VALUES (?, ?, ?)
       ON CONFLICT (person_id, source_key) DO UPDATE SET last_success_at = excluded.last_success_at`,
      [personId, clientKey.slice(0, 100), fast.timestamp(this.deps.now())],
    );
  }

  /** Tells the owner, once per burst, that someone keeps trying wrong passwords on the account. */
  private async alertAfterBurst(person: Person, accountKey: string): Promise<void> {
    const tries = await this.limits.count(accountKey);
    if (tries !== LOGIN_ALERT_AFTER) return;
    const at = this.deps.now();
    await this.outbox.toPerson(
      person.id,
      { kind: 'account.login_alert', at: at.toISOString(), tries },
      { dedupeKey: `login-alert:${person.id}:${Math.floor(at.getTime() / 3600_000)}` },
    );
  }

  /**
   * Sets a new password after checking the rules; clears the must-change flag (R3). Every
   * other login of the account ends; `keep` (the chat that changed it) stays logged in.
   * Returns how many logins ended.
   */
  async changePassword(personId: number, newPassword: string, keep?: ChatUser): Promise<number> {
    const person = await this.require(personId);
    const problem = checkNewPassword(newPassword, this.idNumberOf(person));
    if (problem) throw UserError.invalid('PASSWORD_WEAK', problem);
    const hash = await this.deps.hasher.hash(newPassword);
    return this.deps.db.transaction(async (t) => {
      person.passwordHash = hash;
      person.mustChangePassword = false;
      await person.save({ transaction: t });
      return this.bindings.unbindAll(person.id, { keep, t });
    });
  }

  /** What `/me` shows of a person (ID number masked), or null. */
  profileCard(personId: number, summary?: PersonSummary | null): Promise<ProfileCard | null> {
    return readProfileCard(this.deps, personId, summary);
  }
}
