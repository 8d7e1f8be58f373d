/** Helpers for the import tests: member rows, real spreadsheets written with exceljs, an admin with a tree. */
import * as ExcelJS from 'exceljs';
import { writeRosterXlsx } from '../../bench/roster-data';
import type { System } from '../../server/system';
import { buildTree, makeAdmin } from './admin-fixtures';
import { makeIdNumber } from './factories';

/** Template headers in template order. */
export const HEADERS = ['姓名', '身份证号码', '所在团支部', '政治面貌', '入团时间', '手机号码', '民族', '学历', '职务'] as const;
export type Header = (typeof HEADERS)[number];
/** One row as header → value. */
export type MemberRow = Partial<Record<Header | string, ExcelJS.CellValue>>;

/** A valid row for `branch` with a new ID number (born 2005), changed by `overrides`. */
export function memberRow(branch: string, overrides: MemberRow = {}): MemberRow {
  return {
    姓名: '张晓明', 身份证号码: makeIdNumber('20050615'), 所在团支部: branch, 政治面貌: '团员', 入团时间: '2019-05-04',
    手机号码: '13800138000', 民族: '汉族', 学历: '高中', 职务: null, ...overrides,
  };
}

/** An .xlsx with `headers` in row 1 (after optional title lines) and one row per `rows` entry. */
export async function rosterXlsx(rows: MemberRow[], opts: { headers?: readonly string[]; titleLines?: string[] } = {}): Promise<Buffer> {
  const headers = opts.headers ?? HEADERS;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('团员信息');
  for (const t of opts.titleLines ?? []) ws.addRow([t]);
  ws.addRow([...headers]);
  for (const r of rows) {
    const row = ws.addRow(headers.map((h) => r[h] ?? null));
    headers.forEach((h, i) => {
      if (h === '身份证号码' && typeof r[h] === 'string') row.getCell(i + 1).numFmt = '@';
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A UTF-8 CSV (with BOM, as Excel writes it) of the rows. */
export function rosterCsv(rows: MemberRow[], headers: readonly string[] = HEADERS): Buffer {
  const quote = (v: ExcelJS.CellValue) => {
    const s = v instanceof Date ? v.toISOString().slice(0, 10) : v == null ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [headers.join(','), ...rows.map((r) => headers.map((h) => quote(r[h] ?? null)).join(','))];
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}

/** Reads an .xlsx whole (tests only). */
export async function loadWorkbook(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** The 错误信息 of each data row of an error report: row number → message. */
export async function reportMessages(report: Buffer): Promise<Map<number, string>> {
  const ws = (await loadWorkbook(report)).worksheets[0];
  let errorCol = 0;
  let headerRow = 0;
  ws.eachRow((row, n) => {
    if (errorCol) return;
    row.eachCell((cell, col) => {
      if (cell.value === '错误信息') [errorCol, headerRow] = [col, n];
    });
  });
  const out = new Map<number, string>();
  ws.eachRow((row, n) => {
    const v = row.getCell(errorCol).value;
    if (n > headerRow && v) out.set(n, String(v));
  });
  return out;
}

/** A tree (province › city › school › two branches, plus a county with its own branch) and an admin of the school. */
export async function importFixture(sys: System, tag: string) {
  const tree = await buildTree(sys, tag);
  const admin = await makeAdmin(sys, tree.school.id, '钱管理');
  return { ...tree, admin };
}

/** Queues an import of `rows` generated members of the fixture's branch A, as the chat does; returns the job's id. */
export async function queueImport(sys: System, fixture: Awaited<ReturnType<typeof importFixture>>, rows: number, chatId: string, idOffset: number): Promise<number> {
  const file = (await writeRosterXlsx({ rows, branches: [fixture.branchA.fullName], idOffset, inMemory: true }))!;
  const { id } = await sys.services.backgroundJobs.enqueue({
    kind: 'roster-import', actorPersonId: fixture.admin.person.id, channel: 'test', chatId, title: `名单-${chatId}.xlsx`, params: { fileName: `名单-${chatId}.xlsx` }, input: file,
  });
  return id;
}
