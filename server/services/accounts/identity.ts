import { Op, Transaction, UniqueConstraintError } from 'sequelize';
import { Person, VerificationState } from '../../../models/Person';
import { UserError } from '../../errors';
import type { Accounts } from './accounts';
import type { Admins } from '../organisations/admins';
import { recordAudit } from '../audit/audit';
import type { ServiceDeps } from '../deps';
import { maskIdNumber, parseIdNumber } from '../../lib/id-number';
import { requirePersonEditRights } from '../membership/person-rights';
import { parseName } from '../membership/roster-import/rows/values';

/** What a verifier is asked: R5 depends on name + ID number only (never the organisation's name). */
export interface VerifyInput {
  name: string;
  idNumber: string;
}

/** A verifier's answer; a retryable failure is checked again by the bulk job. */
export type VerifyResult = { state: 'verified' } | { state: 'failed'; reason: string; retryable: boolean };

/** Identity verification (实名认证, R5), pluggable: the offline check by default, a national check later. */
export interface Verifier {
  verify(input: VerifyInput): Promise<VerifyResult>;
}

/** R5 reason shown while an edited name or ID number waits for its check. */
export const EDITED_REASON = '姓名或身份证号码已修改，需要重新认证（稍后自动进行）';

/** 2-20 CJK characters, `·` only between parts of a name (e.g. 阿依古丽·买买提). */
export function isValidPersonName(name: string): boolean {
  return /^[\p{Script=Han}][\p{Script=Han}·]{0,18}[\p{Script=Han}]$/u.test(name) && !name.includes('··');
}

/** The default verifier: checks R1 and the form of the name; it never reaches any outside service. */
export class OfflineVerifier implements Verifier {
  constructor(private readonly now: () => Date = () => new Date()) {}

  async verify({ name, idNumber }: VerifyInput): Promise<VerifyResult> {
    const id = parseIdNumber(idNumber, this.now());
    if (!id.ok) return { state: 'failed', reason: `身份证号码不正确：${id.message}`, retryable: false };
    if (!isValidPersonName(name)) {
      return { state: 'failed', reason: '姓名应为 2-20 个汉字（少数民族姓名中间用“·”），与身份证一致；请修改资料后等待重新认证', retryable: false };
    }
    return { state: 'verified' };
  }
}

/** Counts of one bulk run. */
export interface ReverifyCounts {
  checked: number;
  verified: number;
  failed: number;
  /** Edited meanwhile, or the verifier was unreachable: left for the next run. */
  unchanged: number;
}

/** R5: verification states, the bulk re-check, and edits of name / ID number that reset them. */
export class Identity {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly accounts: Accounts,
    private readonly admins: Admins,
    private verifier: Verifier,
  ) {}

  /** Plugs in another verifier (e.g. the national check). */
  useVerifier(verifier: Verifier): void {
    this.verifier = verifier;
  }

  /**
   * Verifies one person and stores the state with its reason. The verifier runs outside any
   * transaction (it may be remote); if the name or number was edited meanwhile, the answer
   * is stale and dropped: the edited record waits for its own check.
   */
  async verifyPerson(personId: number): Promise<VerificationState | 'unchanged'> {
    const person = await this.accounts.require(personId);
    const seen = { name: person.name, idHash: person.idHash };
    let result: VerifyResult;
    try {
      result = await this.verifier.verify({ name: person.name, idNumber: this.accounts.idNumberOf(person) });
    } catch (err) {
      this.deps.logger.warn({ personId, err: (err as Error)?.message }, 'identity verifier failed; left for the next run');
      return 'unchanged';
    }
    return this.deps.db.transaction(async (t) => {
      const fresh = await Person.findByPk(personId, { transaction: t, lock: this.deps.db.lockFor(t) });
      if (!fresh || fresh.name !== seen.name || fresh.idHash !== seen.idHash) return 'unchanged';
      const failed = result.state === 'failed' ? result : null;
      await fresh.update(
        {
          verificationState: result.state,
          verificationReason: failed?.reason ?? null,
          verificationRetryable: failed?.retryable ?? false,
          verifiedAt: failed ? null : this.deps.now(),
        },
        { transaction: t },
      );
      return result.state;
    });
  }

  /** Re-verifies pending and failed-retryable records in id order, `batchSize` at a time, at most `limit`. */
  async reverifyPending(limit = 500, batchSize = 100): Promise<ReverifyCounts> {
    const counts: ReverifyCounts = { checked: 0, verified: 0, failed: 0, unchanged: 0 };
    let lastId = 0;
    while (counts.checked < limit) {
      const batch = await Person.findAll({
        attributes: ['id'],
        where: {
          id: { [Op.gt]: lastId },
          [Op.or]: [{ verificationState: 'pending' }, { verificationState: 'failed', verificationRetryable: true }],
        },
        order: [['id', 'ASC']],
        limit: Math.min(batchSize, limit - counts.checked),
      });
      if (!batch.length) break;
      for (const { id } of batch) {
        const outcome = await this.verifyPerson(id);
        counts.checked++;
        if (outcome === 'verified') counts.verified++;
        else if (outcome === 'failed') counts.failed++;
        else counts.unchanged++;
      }
      lastId = batch[batch.length - 1].id;
    }
    return counts;
  }

  /**
   * Edits a person's name and/or ID number (the person, or an admin who manages them). The
   * same row is kept: the ID number is re-encrypted and re-hashed, birth date and gender follow
   * it, and verification goes back to pending (R5). A number that belongs to another account
   * is refused (R4): an edit never moves one person's record onto another. Audited.
   */
  async editIdentity(actorPersonId: number, personId: number, input: { name?: string; idNumber?: string }, t?: Transaction): Promise<Person> {
    let name: string | undefined;
    if (input.name !== undefined) {
      const parsed = parseName(input.name);
      if (!parsed.ok) throw UserError.invalid('NAME_INVALID', parsed.message);
      name = parsed.value;
    }
    const id = input.idNumber !== undefined ? this.accounts.requireIdNumber(input.idNumber) : undefined;
    return this.deps.db.transaction(async (tx) => {
      const person = await Person.findByPk(personId, { transaction: tx, lock: this.deps.db.lockFor(tx) });
      if (!person) throw UserError.invalid('PERSON_NOT_FOUND', '账号不存在');
      await requirePersonEditRights(this.admins, actorPersonId, person, tx);
      const before = { name: person.name, idMasked: person.idMasked, verificationState: person.verificationState };
      const changes: Partial<Person> = {};
      if (name !== undefined && name !== person.name) changes.name = name;
      const idHash = id && this.deps.vault.lookupHash(id.value);
      if (id && idHash !== person.idHash) {
        const holder = await this.accounts.findByIdNumber(id.value, tx);
        if (holder && holder.id !== person.id) throw idTaken();
        Object.assign(changes, {
          idCipher: this.deps.vault.encrypt(id.value),
          idHash,
          idMasked: maskIdNumber(id.value),
          birthDate: id.birthDate,
          gender: id.gender,
        });
      }
      if (!Object.keys(changes).length) throw UserError.invalid('NO_CHANGE', '姓名和身份证号码与原来相同，无需修改');
      Object.assign(changes, { verificationState: 'pending', verificationReason: EDITED_REASON, verificationRetryable: true, verifiedAt: null });
      try {
        await person.update(changes, { transaction: tx });
      } catch (err) {
        if (err instanceof UniqueConstraintError) throw idTaken();
        throw err;
      }
      await recordAudit(
        {
          actorPersonId,
          orgId: person.branchId,
          action: 'person.identity.edit',
          targetType: 'person',
          targetId: person.id,
          before,
          after: { name: person.name, idMasked: person.idMasked, verificationState: person.verificationState },
        },
        tx,
      );
      return person;
    }, t);
  }
}

function idTaken(): UserError {
  return UserError.conflict(
    'ID_TAKEN',
    '该身份证号码已属于另一个账号（一人一号，不能重复注册），不能把资料改成这个号码。请核对号码；如确属本人，请联系所在组织的管理员处理。',
  );
}
