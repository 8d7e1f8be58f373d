/**
 * The fee sheet an admin exports (导出团费情况): one row per member of the subtree with what
 * is due, paid and owed this year, and a sheet of totals by organisation. Amounts are yuan
 * numbers with two decimals, computed from fen.
 */
import { PassThrough } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { yuanNumber } from './money';
import { monthsText } from './months';
import { profileText } from './profiles';
import type { FeeSummary, FeeTotals, MemberFees } from './report-types';

const MONEY = '0.00';
const BOLD: Partial<ExcelJS.Font> = { bold: true };

async function membersSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, members: AsyncIterable<MemberFees>): Promise<void> {
  const ws = wb.addWorksheet('团费明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: '姓名', width: 12 },
    { header: '身份证号码', width: 22 },
    { header: '所在团支部', width: 40 },
    { header: '团费类别', width: 26 },
    { header: '本月应交（元）', width: 14, style: { numFmt: MONEY } },
    { header: '本年应交（元）', width: 14, style: { numFmt: MONEY } },
    { header: '本年已交（元）', width: 14, style: { numFmt: MONEY } },
    { header: '已交月份', width: 24 },
    { header: '欠交月份', width: 24 },
    { header: '欠交金额（元）', width: 14, style: { numFmt: MONEY } },
  ];
  ws.getRow(1).font = BOLD;
  ws.getRow(1).commit();
  for await (const { payer, statement: s } of members) {
    const profile = s.current.profile;
    ws.addRow([
      payer.name,
      payer.idMasked,
      payer.branchName,
      profile ? profileText(profile) : '未设置',
      s.current.dueFen === null ? '未知' : yuanNumber(s.current.dueFen),
      s.dueFen === null ? '未知' : yuanNumber(s.dueFen),
      yuanNumber(s.paidFen),
      s.paidMonths.length ? monthsText(s.paidMonths) : '无',
      s.owedMonths.length ? monthsText(s.owedMonths) : '无',
      s.owedFen === null ? '未知' : yuanNumber(s.owedFen),
    ]).commit();
  }
  ws.commit();
}

function totalsRow(name: string, t: FeeTotals): ExcelJS.CellValue[] {
  return [name, t.members, yuanNumber(t.dueFen), yuanNumber(t.paidFen), yuanNumber(t.owedFen), t.owing, t.uncategorised];
}

function totalsSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, summary: FeeSummary): void {
  const ws = wb.addWorksheet('按组织汇总');
  ws.columns = [
    { header: '组织', width: 44 },
    { header: '团员人数', width: 10 },
    { header: '应交（元）', width: 12, style: { numFmt: MONEY } },
    { header: '已交（元）', width: 12, style: { numFmt: MONEY } },
    { header: '欠交（元）', width: 12, style: { numFmt: MONEY } },
    { header: '欠交人数', width: 10 },
    { header: '未设置类别人数', width: 14 },
  ];
  ws.getRow(1).font = BOLD;
  ws.addRow(totalsRow(`${summary.org.fullName}（合计）`, summary.totals)).font = BOLD;
  if (summary.direct) ws.addRow(totalsRow(`${summary.org.fullName}（本组织直属）`, summary.direct));
  for (const c of summary.children) ws.addRow(totalsRow(c.org.fullName, c.totals));
  ws.addRow([]);
  ws.addRow([`${summary.year}年1月至${Number(summary.asOfMonth.slice(5, 7))}月；“应交”“欠交”不含未设置团费类别的团员。`]);
  ws.commit();
}

/**
 * The workbook of a summary and its members. Written as a stream: each member's row is
 * compressed as it comes, so only the finished file is held, never the subtree's rows.
 */
export async function feeSheet(summary: FeeSummary, members: AsyncIterable<MemberFees>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '智慧团建';
  await membersSheet(wb, members);
  totalsSheet(wb, summary);
  await wb.commit();
  return Buffer.concat(chunks);
}
