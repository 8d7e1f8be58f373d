import { QueryTypes, type Transaction } from 'sequelize';
import { underAnyPath } from '../../../models/fast-sql';
import { FeeProfile, Person } from '../../../models';
import { ForbiddenError, UserError } from '../../errors';
import { recordAudit } from '../audit/audit';
import type { ServiceDeps } from '../deps';
import type { Outbox } from '../messaging/outbox';
import { categoryLabel, isFeeCategory, needsWage, type FeeCategory } from './categories';
import { yuanText } from './money';
import { chinaMonth, isMonth, type Month } from './months';
import { type FeePayers, PAYER_COLUMNS, payerOf, type Payer } from './payers';
import type { ProfileEntry } from './profile-timeline';

/** Highest monthly wage accepted (1,000,000 元): more is a typing slip. */
export const MAX_WAGE_FEN = 100_000_000;

/** A category and wage as set or declared. */
export interface ProfileInput {
  category: FeeCategory;
  /** After-tax monthly wage in fen; only for `wage`. */
  wageFen?: number | null;
  /** From this month (default: this month). */
  fromMonth?: Month;
}

/** A member's declaration waiting for an admin. */
export interface PendingDeclaration {
  id: number;
  payer: Payer;
  category: string;
  wageFen: number | null;
  validFrom: Month;
}

/** `学生`, `有工资收入（税后月收入 2,500 元）`. */
export function profileText(p: { category: string; wageFen: number | null }): string {
  return p.wageFen !== null && needsWage(p.category) ? `${categoryLabel(p.category)}（税后月收入 ${yuanText(p.wageFen)}）` : categoryLabel(p.category);
}

function checked(input: ProfileInput, now: Date): { category: FeeCategory; wageFen: number | null; validFrom: Month } {
  if (!isFeeCategory(input.category)) throw UserError.invalid('FEE_CATEGORY', '请选择团费类别');
  const wage = input.wageFen ?? null;
  if (needsWage(input.category)) {
    if (wage === null || !Number.isSafeInteger(wage) || wage <= 0) throw UserError.invalid('FEE_WAGE', '有工资收入的团员须填写税后月收入（元）');
    if (wage > MAX_WAGE_FEN) throw UserError.invalid('FEE_WAGE', '税后月收入过大，请核对（单位为元/月）');
  }
  const validFrom = input.fromMonth ?? chinaMonth(now);
  if (!isMonth(validFrom)) throw UserError.invalid('FEE_FROM', '起始月份应写成 2026-01 这样的月份');
  return { category: input.category, wageFen: needsWage(input.category) ? wage : null, validFrom };
}

/**
 * Members' fee categories and wages (团费类别): set by admins of the member's branch or above,
 * or declared by the member and confirmed by such an admin. Each change is a new row from a
 * month; only confirmed rows count. Audited.
 */
export class FeeProfiles {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly payers: FeePayers,
    private readonly outbox: Outbox,
  ) {}

  /** Confirmed settings of each person, by person id. */
  async timelines(personIds: number[], t?: Transaction): Promise<Map<number, ProfileEntry[]>> {
    const out = new Map<number, ProfileEntry[]>();
    for (let i = 0; i < personIds.length; i += 500) {
      const rows = await FeeProfile.findAll({ where: { personId: personIds.slice(i, i + 500), status: 'confirmed' }, order: [['id', 'ASC']], transaction: t });
      for (const r of rows)
        out.set(r.personId, [...(out.get(r.personId) ?? []), { id: r.id, validFrom: r.validFrom, category: r.category, wageFen: r.wageFen }]);
    }
    return out;
  }

  /** The person's declaration still waiting, if any. */
  pendingOf(personId: number): Promise<FeeProfile | null> {
    return FeeProfile.findOne({ where: { personId, status: 'declared' }, order: [['id', 'DESC']] });
  }

  /** An admin sets a member's category (and wage) from a month on. */
  async set(actorPersonId: number, personId: number, input: ProfileInput): Promise<FeeProfile> {
    const value = checked(input, this.deps.now());
    return this.deps.db.transaction(async (t) => {
      const payer = await this.payers.require(actorPersonId, personId, t);
      const before = await FeeProfile.findOne({
        where: { personId, status: 'confirmed' },
        order: [
          ['validFrom', 'DESC'],
          ['id', 'DESC'],
        ],
        transaction: t,
      });
      const row = await FeeProfile.create(
        { personId, ...value, status: 'confirmed', setByPersonId: actorPersonId, decidedByPersonId: actorPersonId },
        { transaction: t },
      );
      // A declaration still waiting is answered by this setting.
      await FeeProfile.update({ status: 'rejected', decidedByPersonId: actorPersonId }, { where: { personId, status: 'declared' }, transaction: t });
      await recordAudit(
        {
          actorPersonId,
          orgId: payer.branchId,
          action: 'fee.profile.set',
          targetType: 'person',
          targetId: personId,
          before: before ? { personId, feeCategory: profileText(before) } : undefined,
          after: { personId, feeCategory: profileText(row), validFrom: row.validFrom },
        },
        t,
      );
      return row;
    });
  }

  /** A member declares their own category (and wage); an admin of the branch or above is told and decides. */
  async declare(personId: number, input: ProfileInput): Promise<FeeProfile> {
    const value = checked({ ...input, fromMonth: undefined }, this.deps.now());
    return this.deps.db.transaction(async (t) => {
      const person = await Person.findByPk(personId, { transaction: t });
      if (!person || person.branchId === null || !['member', 'cadre'].includes(person.role)) {
        throw UserError.invalid('FEE_NO_BRANCH', '您的团籍不在任何团支部，无需在此申报团费类别。');
      }
      await FeeProfile.update({ status: 'rejected' }, { where: { personId, status: 'declared' }, transaction: t });
      const row = await FeeProfile.create({ personId, ...value, status: 'declared', setByPersonId: personId, decidedByPersonId: null }, { transaction: t });
      const text = `【团费类别申报】${person.name}（${person.idMasked}）申报团费类别：${profileText(row)}，请核实后确认。`;
      for (const admin of await this.payers.adminsFor(person.branchId)) {
        await this.outbox.toPerson(
          admin,
          {
            text,
            choices: [
              [
                { label: '✅ 确认', value: `!fee:c:${row.id}` },
                { label: '退回', value: `!fee:j:${row.id}` },
              ],
            ],
          },
          { dedupeKey: `fee-declare:${row.id}:${admin}`, t },
        );
      }
      await recordAudit(
        {
          actorPersonId: personId,
          orgId: person.branchId,
          action: 'fee.profile.declare',
          targetType: 'person',
          targetId: personId,
          after: { personId, feeCategory: profileText(row) },
        },
        t,
      );
      return row;
    });
  }

  /** Declarations waiting in the admin's subtree (or below `path`), oldest first; and how many wait in all. */
  async pendingFor(actorPersonId: number, opts: { path?: string; limit?: number } = {}): Promise<{ items: PendingDeclaration[]; total: number }> {
    const roots = await this.payers.roots(actorPersonId);
    const paths = opts.path ? (roots.some((r) => opts.path!.startsWith(r.path)) ? [opts.path] : []) : roots.map((r) => r.path);
    if (!paths.length) return { items: [], total: 0 };
    const within = underAnyPath(this.deps.db.dialect, 'b.path', paths);
    const from = `FROM fee_profiles f JOIN people p ON p.id = f.person_id JOIN organisations b ON b.id = p.branch_id
       WHERE f.status = 'declared' AND ${within.sql}`;
    const replacements = { limit: opts.limit ?? 10, ...within.replacements };
    const query = this.deps.db.sequelize;
    const [rows, [{ n }]] = await Promise.all([
      // limit 0: only the count (the /fees summary's).
      replacements.limit === 0
        ? []
        : query.query<Record<string, any>>(
            `SELECT f.id AS profile_id, f.category, f.wage_fen, f.valid_from, ${PAYER_COLUMNS} ${from} ORDER BY f.id LIMIT :limit`,
            {
              replacements,
              type: QueryTypes.SELECT,
            },
          ),
      query.query<{ n: number }>(`SELECT COUNT(*) AS n ${from}`, { replacements, type: QueryTypes.SELECT }),
    ]);
    const items = rows.map((r) => ({
      id: Number(r.profile_id),
      payer: payerOf(r),
      category: r.category,
      wageFen: r.wage_fen === null ? null : Number(r.wage_fen),
      validFrom: r.valid_from,
    }));
    return { items, total: Number(n) };
  }

  /** Confirms (it applies from the month declared) or returns a declaration; the member is told. */
  async decide(actorPersonId: number, profileId: number, accept: boolean): Promise<{ profile: FeeProfile; payer: Payer }> {
    return this.deps.db.transaction(async (t) => {
      const row = Number.isSafeInteger(profileId) ? await FeeProfile.findByPk(profileId, { transaction: t, lock: this.deps.db.lockFor(t) }) : null;
      if (!row) throw new ForbiddenError('找不到这份申报，或它不在您管理的范围内。');
      const payer = await this.payers.require(actorPersonId, row.personId, t).catch(() => {
        throw new ForbiddenError('找不到这份申报，或它不在您管理的范围内。');
      });
      if (row.status !== 'declared') throw UserError.invalid('FEE_DECIDED', '这份申报已经处理过了。');
      await row.update({ status: accept ? 'confirmed' : 'rejected', decidedByPersonId: actorPersonId }, { transaction: t });
      const text = accept
        ? `您申报的团费类别“${profileText(row)}”已由管理员确认。发送 /fee 查看每月应交团费。`
        : `您申报的团费类别“${profileText(row)}”被管理员退回，请核实后重新申报（发送 /fee），或联系所在团支部。`;
      await this.outbox.toPerson(row.personId, { text }, { dedupeKey: `fee-decided:${row.id}`, t });
      await recordAudit(
        {
          actorPersonId,
          orgId: payer.branchId,
          action: accept ? 'fee.profile.confirm' : 'fee.profile.reject',
          targetType: 'person',
          targetId: row.personId,
          after: { personId: row.personId, feeCategory: profileText(row) },
        },
        t,
      );
      return { profile: row, payer };
    });
  }
}
