import type { Transaction } from 'sequelize';
import type { Organisation } from '../../../models/Organisation';
import { UserError } from '../../errors';
import { safeEqual } from '../../security/passwords';
import type { Admins } from './admins';
import { recordAudit } from '../audit/audit';
import type { ServiceDeps } from '../deps';
import { generateAdminCode, type Organisations } from './organisations';
import { type LimitRule, type RateLimits, waitText } from '../platform/rate-limits';

/**
 * R6 admin codes typed from one chat user: throttled hard. 5 tries pass, then a delay doubling
 * from 30 s (at most 15 min), and never more than 20 in an hour.
 */
export const ADMIN_CODE_SOURCE_RULE: LimitRule = { freeAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 900_000, windowMs: 3600_000, maxPerWindow: 20 };

/**
 * R6 admin codes typed for one organisation, from anywhere: throttled gently (a delay up to
 * a minute, never a lock-out), so many people together cannot guess a code quickly and a
 * stranger cannot make the real registrant wait long.
 */
export const ADMIN_CODE_ORG_RULE: LimitRule = { freeAttempts: 10, baseDelayMs: 2000, maxDelayMs: 60_000, windowMs: 3600_000 };

/** R6: 8 characters, digits and letters. */
export const ADMIN_CODE_FORMAT = /^[A-Za-z0-9]{8}$/;

/** Masks a code for the audit log: its first two characters only. */
function maskCode(code: string): string {
  return `${code.slice(0, 2)}******`;
}

/** Admin registration codes (管理员注册码, R6): checking a typed code, showing and rotating it. */
export class AdminCodes {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly limits: RateLimits,
    private readonly admins: Admins,
    private readonly orgs: Organisations,
  ) {}

  /**
   * Checks a typed code against the organisation's, case-sensitively and in constant time.
   * Each try counts against the chat user (hard) and the organisation (gently) before it is
   * compared. Format mistakes (not 8 letters/digits) are not counted as guesses.
   */
  async verify(orgId: number, typed: string, clientKey: string): Promise<Organisation> {
    const org = await this.orgs.require(orgId);
    const code = typed.trim();
    if (!ADMIN_CODE_FORMAT.test(code)) {
      throw UserError.invalid('ADMIN_CODE_FORMAT', '管理员注册码是 8 位数字和字母组成的字符串（区分大小写），请核对后重新输入');
    }
    // Each try is claimed before the code is compared: a burst compares no more than the limits allow.
    const sourceKey = `admin-code:client:${clientKey}`;
    const bySource = await this.limits.claim(sourceKey, ADMIN_CODE_SOURCE_RULE);
    const byOrg = bySource ?? (await this.limits.claim(`admin-code:org:${orgId}`, ADMIN_CODE_ORG_RULE));
    if (byOrg) {
      throw UserError.limited('ADMIN_CODE_LIMITED', `注册码输错次数过多，请 ${waitText(byOrg.waitMs)}后再试。如不确定注册码，请向上级组织确认`);
    }
    if (!safeEqual(code, org.adminCode)) {
      throw UserError.unauthenticated('ADMIN_CODE_WRONG', '管理员注册码不正确（注意区分大小写）。请核对后重新输入；注册码由上级组织提供');
    }
    // The person's own count is cleared; the organisation's takes back only this try, and keeps counting others' guesses.
    await this.limits.reset(sourceKey);
    await this.limits.refund(`admin-code:org:${orgId}`);
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
        {
          actorPersonId,
          orgId,
          action: 'admin_code.rotate',
          targetType: 'organisation',
          targetId: orgId,
          before: { adminCode: maskCode(before) },
          after: { adminCode: maskCode(code) },
        },
        tx,
      );
      return code;
    }, t);
  }
}
