import { Op, type Transaction } from 'sequelize';
import { FeePayment, Person } from '../../../../models';
import { ForbiddenError, UserError, type ErrorCode } from '../../../errors';
import type { Admins } from '../../organisations/admins';
import { recordAudit } from '../../audit/audit';
import type { ServiceDeps } from '../../deps';
import { yuanText } from '../money';
import { isMonth, rangeText, yearOf, type MonthRange } from '../months';
import { checkMonths, checkPayment, type PaymentFacts, type PaymentField } from './rules';
import type { FeePayers, Payer } from '../payers';
import type { FeeProfiles } from '../profiles';
import type { FeeStandards } from '../standards';
import { paidMonthsOf, type PaymentEntry } from '../statement';

/** A payment as an admin records it. */
export interface NewPayment {
  personId: number;
  months: MonthRange;
  amountFen: number;
  note?: string | null;
}

/** What recording gave: the entry and what its months were due (the rest was paid of the member's own will). */
export interface Recorded {
  payment: FeePayment;
  payer: Payer;
  dueFen: number;
}

const NOT_FOUND = '找不到这条交费记录，或它不在您管理的范围内。';

/** The code of a refused payment, by the field the refusal is about. */
const FIELD_CODE: Record<PaymentField, ErrorCode> = { person: 'FEE_PERSON', months: 'FEE_MONTHS', amount: 'FEE_AMOUNT' };

export const entryOf = (p: FeePayment): PaymentEntry => ({
  id: p.id,
  fromMonth: p.fromMonth,
  toMonth: p.toMonth,
  amountFen: p.amountFen,
  reversesId: p.reversesId,
});

/** Audit values of an entry (amounts as text: the audit log is read, not summed). */
const audited = (p: { personId: number; fromMonth: string; toMonth: string; amountFen: number }, extra: Record<string, unknown> = {}) => ({
  personId: p.personId,
  months: rangeText({ from: p.fromMonth, to: p.toMonth }),
  amount: yuanText(p.amountFen),
  ...extra,
});

/**
 * Fee payments (R20): recorded by admins of the member's branch or above, one by one here or
 * by spreadsheet (fees/payment-import.ts). Never edited or deleted: a correction is a reversing
 * entry. Audited.
 */
export class FeePayments {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly payers: FeePayers,
    private readonly profiles: FeeProfiles,
    private readonly standards: FeeStandards,
    private readonly admins: Admins,
  ) {}

  /** Entries of each person for months of `year`, oldest first. */
  async entriesOf(personIds: number[], year: number, t?: Transaction): Promise<Map<number, FeePayment[]>> {
    const out = new Map<number, FeePayment[]>();
    for (let i = 0; i < personIds.length; i += 500) {
      const rows = await FeePayment.findAll({ where: { personId: { [Op.in]: personIds.slice(i, i + 500) }, year }, order: [['id', 'ASC']], transaction: t });
      for (const r of rows) out.set(r.personId, [...(out.get(r.personId) ?? []), r]);
    }
    return out;
  }

  /** What the months are due for this member (for reading back before the amount is asked); a UserError when they cannot be paid. */
  async quote(actorPersonId: number, personId: number, months: MonthRange): Promise<{ payer: Payer; dueFen: number }> {
    const payer = await this.payers.require(actorPersonId, personId);
    const facts = await this.factsOf(payer, yearOf(months.from));
    const check = checkMonths(months, facts);
    if (!check.ok) throw UserError.invalid(FIELD_CODE[check.field], check.message);
    return { payer, dueFen: check.dueFen };
  }

  private async factsOf(payer: Payer, year: number, t?: Transaction): Promise<PaymentFacts> {
    // One after another: queries of one transaction share its connection.
    const table = await this.standards.table(t);
    const timelines = await this.profiles.timelines([payer.id], t);
    const entries = await this.entriesOf([payer.id], year, t);
    return {
      table,
      profiles: timelines.get(payer.id) ?? [],
      paid: paidMonthsOf((entries.get(payer.id) ?? []).map(entryOf)),
      joinedLeagueAt: payer.joinedLeagueAt,
      now: this.deps.now(),
    };
  }

  /**
   * Records one payment: months of one year not yet paid, at least what they are due (自愿多交
   * is allowed). The member's row is locked first, so two admins recording the same months at
   * once cannot both succeed.
   */
  async record(actorPersonId: number, input: NewPayment, opts: { t?: Transaction; source?: 'chat' | 'import' } = {}): Promise<Recorded> {
    const { months } = input;
    if (!isMonth(months.from) || !isMonth(months.to) || yearOf(months.from) !== yearOf(months.to) || months.from > months.to) {
      throw UserError.invalid('FEE_MONTHS', '交费月份不对，请重新填写');
    }
    if (!Number.isSafeInteger(input.amountFen)) throw UserError.invalid('FEE_AMOUNT', '金额不对，请重新填写');
    const note = input.note?.trim().slice(0, 200) || null;
    return this.deps.db.transaction(async (t) => {
      const payer = await this.payers.require(actorPersonId, input.personId, t);
      await Person.findByPk(payer.id, { transaction: t, lock: this.deps.db.lockFor(t) });
      const year = yearOf(months.from);
      const check = checkPayment(months, input.amountFen, await this.factsOf(payer, year, t));
      if (!check.ok) throw UserError.invalid(FIELD_CODE[check.field], check.message);
      const payment = await FeePayment.create(
        {
          personId: payer.id,
          orgId: payer.branchId,
          year,
          fromMonth: months.from,
          toMonth: months.to,
          amountFen: input.amountFen,
          reversesId: null,
          note,
          source: opts.source ?? 'chat',
          recordedByPersonId: actorPersonId,
        },
        { transaction: t },
      );
      await recordAudit(
        {
          actorPersonId,
          orgId: payer.branchId,
          action: 'fee.payment.record',
          targetType: 'person',
          targetId: payer.id,
          after: audited(payment, { paymentId: payment.id, note }),
        },
        t,
      );
      return { payment, payer, dueFen: check.dueFen };
    }, opts.t);
  }

  /** An entry the admin may see: the member's branch then or now is in its subtree. */
  async requireEntry(actorPersonId: number, paymentId: number, t?: Transaction): Promise<{ payment: FeePayment; payer: Payer }> {
    const payment = Number.isSafeInteger(paymentId) ? await FeePayment.findByPk(paymentId, { transaction: t }) : null;
    if (!payment) throw new ForbiddenError(NOT_FOUND);
    const payer = await this.payers.require(actorPersonId, payment.personId, t).catch(() => null);
    if (!payer && !(await this.admins.canManage(actorPersonId, payment.orgId, t))) throw new ForbiddenError(NOT_FOUND);
    const person = (await Person.findByPk(payment.personId, { transaction: t }))!;
    const fallback: Payer = {
      id: person.id,
      name: person.name,
      idMasked: person.idMasked,
      branchId: payment.orgId,
      branchName: '',
      branchPath: '',
      joinedLeagueAt: person.joinedLeagueAt,
      recordedAt: person.createdAt,
    };
    return { payment, payer: payer ?? fallback };
  }

  /**
   * Reverses an entry (冲正): a new entry of the negative amount for the same months, naming
   * the original and why. An entry is reversed once; a reversal is not reversed (record the
   * payment again instead).
   */
  async reverse(actorPersonId: number, paymentId: number, reason: string): Promise<{ reversal: FeePayment; original: FeePayment; payer: Payer }> {
    const why = reason.trim();
    if (Array.from(why).length < 2 || Array.from(why).length > 100)
      throw UserError.invalid('FEE_REASON', '请写明冲正原因（2 到 100 个字），如“金额录错”“重复登记”');
    return this.deps.db.transaction(async (t) => {
      const { payment: original, payer } = await this.requireEntry(actorPersonId, paymentId, t);
      await Person.findByPk(original.personId, { transaction: t, lock: this.deps.db.lockFor(t) });
      if (original.reversesId !== null) throw UserError.invalid('FEE_REVERSAL', '这是一条冲正记录，不能再冲正；如需恢复，请重新登记这笔团费。');
      if (await FeePayment.findOne({ where: { reversesId: original.id }, transaction: t })) throw UserError.invalid('FEE_REVERSED', '这条记录已经冲正过了。');
      const reversal = await FeePayment.create(
        {
          personId: original.personId,
          orgId: original.orgId,
          year: original.year,
          fromMonth: original.fromMonth,
          toMonth: original.toMonth,
          amountFen: -original.amountFen,
          reversesId: original.id,
          note: why,
          source: 'chat',
          recordedByPersonId: actorPersonId,
        },
        { transaction: t },
      );
      await recordAudit(
        {
          actorPersonId,
          orgId: original.orgId,
          action: 'fee.payment.reverse',
          targetType: 'person',
          targetId: original.personId,
          after: audited(reversal, { paymentId: original.id, reason: why }),
        },
        t,
      );
      return { reversal, original, payer };
    });
  }

  /** A member's entries of a year, for an admin, newest first (with which are reversed). */
  async history(actorPersonId: number, personId: number, year: number): Promise<{ payer: Payer; entries: FeePayment[]; reversed: Set<number> }> {
    const payer = await this.payers.require(actorPersonId, personId);
    const entries = (await this.entriesOf([personId], year)).get(personId) ?? [];
    return { payer, entries: [...entries].reverse(), reversed: new Set(entries.filter((e) => e.reversesId !== null).map((e) => e.reversesId!)) };
  }
}
