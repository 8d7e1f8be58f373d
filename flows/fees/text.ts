/**
 * Fees as members and admins read them in chat: a statement (amount due and why, months paid,
 * what is owed), an organisation's totals, the owed list and a member's entries.
 */
import type { FeePayment } from '../../models';
import { yuanText } from '../../server/services/fees/money';
import { monthNumber, monthsText, rangeText, type Month } from '../../server/services/fees/months';
import type { Payer } from '../../server/services/fees/payers';
import { profileText } from '../../server/services/fees/profiles';
import type { FeeSummary, FeeTotals, MemberFees } from '../../server/services/fees/reports';
import type { YearStatement } from '../../server/services/fees/statement';
import { categoryRuleText, standardCitation } from '../../server/wording/fees';
import { formatChinaTime } from '../../server/lib/china-datetime';
import { shortLabel } from '../engine/org-picker';
import type { Choice } from '../engine/types';
import { actionValue, button } from '../engine/types';

/** Prefix of the fee buttons (`!fee:<what>:<id>`), handled in fees.ts. */
export const FEE_ACTION = 'fee';
export const feeButton = (label: string, what: string, payload: string | number): Choice => button(label, actionValue(FEE_ACTION, `${what}:${payload}`));

/** Why counting starts where it does. */
function startReason(s: YearStatement, payer: Payer): string {
  const start = s.startMonth!;
  if (start === `${s.year}-01`) return '本年年初';
  if (payer.joinedLeagueAt?.slice(0, 7) === start) return '入团当月';
  return '在本系统登记的当月，此前的月份不计';
}

/** Runs of months with the same amount, when the amount changed during the year: `1-6月 3 元，7-12月 4 元`. */
function amountRuns(s: YearStatement): string | null {
  const amounts = new Set(s.months.map((m) => m.dueFen));
  if (amounts.size <= 1) return null;
  const runs: Array<{ months: Month[]; dueFen: number | null }> = [];
  for (const m of s.months) {
    const last = runs.at(-1);
    if (last && last.dueFen === m.dueFen) last.months.push(m.month);
    else runs.push({ months: [m.month], dueFen: m.dueFen });
  }
  return runs.map((r) => `${monthsText(r.months).replace(/^\d{4}年/, '')} ${r.dueFen === null ? '未知' : yuanText(r.dueFen)}`).join('，');
}

/** A member's fees this year, for themself or an admin. */
export function statementLines(payer: Payer, s: YearStatement): string[] {
  const { profile, applied, dueFen } = s.current;
  const lines = [`所在团支部：${payer.branchName}`];
  if (!profile) lines.push('团费类别：未设置（申报后由团支部管理员确认，即可算出应交金额）');
  else {
    lines.push(`团费类别：${profileText(profile)}`);
    lines.push(`每月应交：${dueFen === null ? '未知（请补充税后月收入）' : yuanText(dueFen)}`);
    if (applied) {
      lines.push(`依据：${standardCitation(applied.standard)}：${categoryRuleText(profile.category, applied)}`);
    }
  }
  const through = `${s.year}年${monthNumber(s.asOfMonth)}月`;
  if (!s.startMonth) lines.push(`本年还没有应交的月份。`);
  else {
    lines.push(
      `计费起点：${rangeText({ from: s.startMonth, to: s.startMonth })}（${startReason(s, payer)}）；截至 ${through}${s.dueFen === null ? '' : `共应交 ${yuanText(s.dueFen)}`}`,
    );
    const runs = amountRuns(s);
    if (runs) lines.push(`各月应交：${runs}`);
  }
  lines.push(
    `本年已交：${s.paidMonths.length ? `${monthsText(s.paidMonths)}，共 ${yuanText(s.paidFen)}` : `无${s.paidFen ? `（${yuanText(s.paidFen)}）` : ''}`}`,
  );
  if (!s.owedMonths.length) lines.push(s.startMonth ? '尚欠：无，已交清 ✅' : '尚欠：无');
  else
    lines.push(
      `尚欠：${monthsText(s.owedMonths)}，共 ${s.owedMonths.length} 个月${s.owedFen === null ? '（金额待设置团费类别后算出）' : `，${yuanText(s.owedFen)}`}`,
    );
  return lines;
}

/** `团员 30 人：应交 72 元，已交 60 元，欠交 12 元（5 人欠交）；未设置类别 2 人`. */
export function totalsText(t: FeeTotals): string {
  const base = `团员 ${t.members} 人：应交 ${yuanText(t.dueFen)}，已交 ${yuanText(t.paidFen)}，欠交 ${yuanText(t.owedFen)}（${t.owing} 人欠交）`;
  return t.uncategorised ? `${base}；未设置类别 ${t.uncategorised} 人` : base;
}

/** Organisations listed with their totals in one message. */
const CHILDREN_SHOWN = 30;

export function summaryText(s: FeeSummary): string {
  const lines = [`【团费收缴情况】${s.org.fullName}`, `${s.year}年1-${monthNumber(s.asOfMonth)}月（本月计入应交）`, totalsText(s.totals)];
  if (s.totals.uncategorised) lines.push(`（未设置团费类别的团员不计入应交、欠交，可在“欠交名单”中设置）`);
  if (s.pending) lines.push(`有 ${s.pending} 份团费类别申报待确认。`);
  if (s.direct && s.children.length) lines.push('', `本组织直属：${totalsText(s.direct)}`);
  if (s.children.length) {
    lines.push('', '下级组织：');
    s.children.slice(0, CHILDREN_SHOWN).forEach((c, i) => lines.push(`${i + 1}. ${c.org.fullName}：${totalsText(c.totals)}`));
    if (s.children.length > CHILDREN_SHOWN) lines.push(`……共 ${s.children.length} 个下级组织，完整数字见导出表格。`);
  }
  return lines.join('\n');
}

/** The summary's buttons: the owed list, export, organisations below, up. */
export function summaryChoices(s: FeeSummary, parentId: number | null): Choice[][] {
  const id = s.org.id;
  const rows: Choice[][] = [[feeButton(`📋 欠交名单（${s.totals.owing + s.totals.uncategorised}）`, 'w', `${id}:0`), feeButton('📥 导出表格', 'x', id)]];
  if (s.pending) rows.push([feeButton(`📝 待确认申报（${s.pending}）`, 'd', id)]);
  for (let i = 0; i < Math.min(s.children.length, 20); i += 2)
    rows.push(s.children.slice(i, i + 2).map((c) => feeButton(`📂 ${shortLabel(c.org.fullName, 12)}`, 'o', c.org.id)));
  rows.push([button('➕ 登记团费', '/fee_pay'), button('📤 导入团费', '/fee_import'), ...(parentId ? [feeButton('⬆ 上级', 'o', parentId)] : [])]);
  return rows;
}

/** One owed member as a list line. */
export function owingLine(n: number, m: MemberFees): string {
  const s = m.statement;
  const amount = s.owedFen === null ? '金额未知（未设置团费类别）' : yuanText(s.owedFen);
  return `${n}. ${m.payer.name}（${m.payer.idMasked}）${shortLabel(m.payer.branchName, 12)}：欠 ${monthsText(s.owedMonths)}，${amount}`;
}

/** One entry of a member's payments. */
export function entryLine(e: FeePayment, reversed: boolean): string {
  const what =
    e.reversesId !== null
      ? `冲正第 ${e.reversesId} 号（${e.note ?? ''}）`
      : `${e.source === 'import' ? '导入' : '登记'}${e.note ? `，备注：${e.note}` : ''}${reversed ? '，已冲正' : ''}`;
  return `第 ${e.id} 号 · ${rangeText({ from: e.fromMonth, to: e.toMonth })} ${yuanText(e.amountFen)} · ${formatChinaTime(e.createdAt)} ${what}`;
}
