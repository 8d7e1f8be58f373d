import type { Transaction } from 'sequelize';
import { Admin, FeeStandard, FeeStandardBand, Organisation } from '../../../models';
import { ForbiddenError, UserError } from '../../errors';
import { recordAudit } from '../audit/audit';
import type { ServiceDeps } from '../deps';
import { type FeeBand, ruleText } from './arithmetic';
import { categoryLabel, isFeeCategory, needsWage } from './categories';
import { chinaMonth, isMonth, monthIndex } from './months';
import { StandardTable } from './standard-table';

/** A new standard as a top admin enters it. */
export interface NewStandard {
  name: string;
  title: string;
  article?: string | null;
  validFrom: string;
  bands: Array<FeeBand & { category: string }>;
}

/** The earliest month a standard may start from (the one in force is of 2016). */
const EARLIEST = '2016-01';
/** How far ahead a standard may be entered. */
const AHEAD_MONTHS = 24;

export const NOT_TOP_ADMIN = '只有团中央（组织树最上层的领导机关）的管理员可以新增团费标准：标准全国统一，一个省份的修改会影响其他省份。';

/** Checks one category's bands: the first from 0, each flat or by rate, sane numbers. Returns a message or null. */
function bandProblem(category: string, bands: FeeBand[]): string | null {
  if (!isFeeCategory(category)) return `未知的团费类别：${category}`;
  const sorted = [...bands].sort((a, b) => a.wageFromFen - b.wageFromFen);
  if (sorted[0].wageFromFen !== 0) return '第一档须从月收入 0 元起';
  if (!needsWage(category) && (sorted.length > 1 || sorted[0].ratePerMille !== null)) return '这一类别每月交纳固定金额，不按工资分档';
  for (const [i, b] of sorted.entries()) {
    if (i > 0 && b.wageFromFen === sorted[i - 1].wageFromFen) return '两档的起点相同';
    if ((b.flatFen === null) === (b.ratePerMille === null)) return '每一档须为固定金额或按比例之一';
    if (b.flatFen !== null && (!Number.isSafeInteger(b.flatFen) || b.flatFen < 0 || b.flatFen > 100_000)) return '固定金额应在 0 到 1,000 元之间';
    if (b.ratePerMille !== null && (!Number.isSafeInteger(b.ratePerMille) || b.ratePerMille < 1 || b.ratePerMille > 100))
      return '比例应为 1‰ 到 100‰ 之间的整数';
    if (b.roundingFen !== null && (!Number.isSafeInteger(b.roundingFen) || b.roundingFen < 1 || b.roundingFen > 10_000))
      return '取整单位应在 0.01 到 100 元之间';
    if (b.capFen !== null && (!Number.isSafeInteger(b.capFen) || b.capFen < 0 || b.capFen > 100_000)) return '上限应在 0 到 1,000 元之间';
  }
  return null;
}

/** The fee standards (R20): read as one table, added (never changed) by top admins. */
export class FeeStandards {
  constructor(private readonly deps: ServiceDeps) {}

  /** Every standard with its bands. */
  async table(t?: Transaction): Promise<StandardTable> {
    const standards = await FeeStandard.findAll({ transaction: t });
    const bands = await FeeStandardBand.findAll({ transaction: t });
    return new StandardTable(
      standards.map((s) => ({
        id: s.id,
        name: s.name,
        title: s.title,
        article: s.article,
        validFrom: s.validFrom,
        bands: bands
          .filter((b) => b.standardId === s.id)
          .map((b) => ({
            category: b.category,
            wageFromFen: b.wageFromFen,
            flatFen: b.flatFen,
            ratePerMille: b.ratePerMille,
            roundingFen: b.roundingFen,
            capFen: b.capFen,
          })),
      })),
    );
  }

  /** Top admins: admins of a root of the tree (团中央), since a standard applies to the whole country. */
  async isTopAdmin(personId: number, t?: Transaction): Promise<boolean> {
    return (await this.topOrgOf(personId, t)) !== null;
  }

  /** The root organisation the person administers, if any. */
  private async topOrgOf(personId: number, t?: Transaction): Promise<Organisation | null> {
    const rows = await Admin.findAll({ where: { personId }, attributes: ['orgId'], transaction: t });
    if (!rows.length) return null;
    return Organisation.findOne({ where: { id: rows.map((r) => r.orgId), parentId: null }, transaction: t });
  }

  /**
   * Adds a standard from a month (top admins only): months from then on follow it for the
   * categories it sets; months before keep the standard they had. Audited.
   */
  async add(actorPersonId: number, input: NewStandard): Promise<FeeStandard> {
    const top = await this.topOrgOf(actorPersonId);
    if (!top) throw new ForbiddenError(NOT_TOP_ADMIN);
    const name = input.name.trim();
    const title = input.title.trim();
    if (!name || Array.from(name).length > 100) throw UserError.invalid('FEE_STANDARD_NAME', '请填写文件名称或文号（最多 100 个字）');
    if (!title || Array.from(title).length > 200) throw UserError.invalid('FEE_STANDARD_TITLE', '请填写标准的标题（最多 200 个字）');
    if (!isMonth(input.validFrom)) throw UserError.invalid('FEE_STANDARD_FROM', '生效月份应写成 2027-01 这样的月份');
    const latest = monthIndex(chinaMonth(this.deps.now())) + AHEAD_MONTHS;
    if (input.validFrom < EARLIEST || monthIndex(input.validFrom) > latest)
      throw UserError.invalid('FEE_STANDARD_FROM', `生效月份应在 ${EARLIEST} 到 ${AHEAD_MONTHS} 个月后之间`);
    if (!input.bands.length) throw UserError.invalid('FEE_STANDARD_BANDS', '标准中至少要有一个类别的交纳办法');
    const byCategory = new Map<string, FeeBand[]>();
    for (const b of input.bands) byCategory.set(b.category, [...(byCategory.get(b.category) ?? []), b]);
    for (const [category, bands] of byCategory) {
      const problem = bandProblem(category, bands);
      if (problem) throw UserError.invalid('FEE_STANDARD_BANDS', problem);
    }
    return this.deps.db.transaction(async (t) => {
      const standard = await FeeStandard.create(
        { name, title, article: input.article?.trim() || null, validFrom: input.validFrom, createdByPersonId: actorPersonId },
        { transaction: t },
      );
      await FeeStandardBand.bulkCreate(
        input.bands.map((b) => ({ ...b, standardId: standard.id })),
        { transaction: t },
      );
      await recordAudit(
        {
          actorPersonId,
          orgId: top.id,
          action: 'fee.standard.add',
          targetType: 'fee_standard',
          targetId: standard.id,
          after: {
            standardName: name,
            validFrom: input.validFrom,
            rules: [...byCategory].map(([c, bands]) => `${categoryLabel(c)}：${ruleText(bands)}`).join('；'),
          },
        },
        t,
      );
      return standard;
    });
  }
}
