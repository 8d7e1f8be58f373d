import type { Transaction } from 'sequelize';
import type { Organisation } from '../../models/Organisation';
import { UserError } from '../errors';
import { safeEqual } from '../security/passwords';
import { Admins } from './admins';
import { recordAudit } from './audit';
import type { ServiceDeps } from './deps';
import { generateAdminCode, Organisations } from './organisations';
import { LimitRule, RateLimits, waitText } from './rate-limits';

/**
 * R6 wrong admin codes: 5 free tries, then a delay doubling from 30 s (at most 15 min),
 * and never more than 20 in an hour. Counted per chat user and per organisation, so
 * neither one person nor many people together can guess an organisation's code.
 */
export const ADMIN_CODE_RULE: LimitRule = { maxFailures: 20, windowMs: 3600_000, freeFailures: 5, baseDelayMs: 30_000, maxDelayMs: 900_000 };

/** R6: 8 characters, digits and letters. */
export const ADMIN_CODE_FORMAT = /^[A-Za-z0-9]{8}$/;

/** Rate-limit keys of one attempt. */
function limitKeys(orgId: number, clientKey: string): string[] {
  return [`admin-code:client:${clientKey}`, `admin-code:org:${orgId}`];
}

/** Masks a code for the audit log: its first two characters only. */
function maskCode(code: string): string {
  return `${code.slice(0, 2)}******`;
}

/** Admin registration codes (管理员注册码, R6): checking a typed code, showing and rotating it. */
export class AdminCodes {
  private readonly limits: RateLimits;
  private readonly admins: Admins;
  private readonly orgs: Organisations;

  constructor(private readonly deps: ServiceDeps) {
    this.limits = new RateLimits(deps);
    this.admins = new Admins(deps);
    this.orgs = new Organisations(deps);
  }

  /**
   * Checks a typed code against the organisation's, case-sensitively and in constant time.
   * Refuses while the chat user or the organisation is cooling down; a wrong code counts
   * against both. Format mistakes (not 8 letters/digits) are not counted as guesses.
   */
  async verify(orgId: number, typed: string, clientKey: string): Promise<Organisation> {
    const org = await this.orgs.require(orgId);
    const code = typed.trim();
    if (!ADMIN_CODE_FORMAT.test(code)) {
      throw new UserError('ADMIN_CODE_FORMAT', '管理员注册码是 8 位数字和字母组成的字符串（区分大小写），请核对后重新输入');
    }
    const keys = limitKeys(orgId, clientKey);
    for (const key of keys) {
      const wait = await this.limits.waitMs(key, ADMIN_CODE_RULE);
      if (wait > 0) {
        throw new UserError('ADMIN_CODE_LIMITED', `注册码输错次数过多，请 ${waitText(wait)}后再试。如不确定注册码，请向上级组织确认`, 429);
      }
    }
    if (!safeEqual(code, org.adminCode)) {
      await this.deps.db.transaction(async (t) => {
        for (const key of keys) await this.limits.fail(key, ADMIN_CODE_RULE, t);
      });
      throw new UserError('ADMIN_CODE_WRONG', '管理员注册码不正确（注意区分大小写）。请核对后重新输入；注册码由上级组织提供', 401);
    }
    // Only the person's own counter is cleared: the organisation's keeps counting others' guesses.
    await this.deps.db.transaction((t) => this.limits.reset(keys[0], t));
    return org;
  }

  /** The code of an organisation, for its own admins and admins above it. */
  async view(actorPersonId: number, orgId: number): Promise<Organisation> {
    await this.admins.requireManage(actorPersonId, orgId);
    return this.orgs.require(orgId);
  }

  /** Replaces the code (the old one stops working at once); audited. Returns the new code. */
  async rotate(actorPersonId: number, orgId: number, t?: Transaction): Promise<string> {
    return this.deps.db.transaction(async (tx) => {
      await this.admins.requireManage(actorPersonId, orgId, tx);
      const org = await this.orgs.require(orgId, tx);
      const before = org.adminCode;
      let code = generateAdminCode();
      while (code === before) code = generateAdminCode();
      org.adminCode = code;
      await org.save({ transaction: tx });
      await recordAudit(
        { actorPersonId, orgId, action: 'admin_code.rotate', targetType: 'organisation', targetId: orgId, before: { adminCode: maskCode(before) }, after: { adminCode: maskCode(code) } },
        tx,
      );
      return code;
    }, t);
  }
}
