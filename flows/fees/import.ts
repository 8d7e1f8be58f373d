/**
 * /fee_import (导入团费): an admin sends a spreadsheet of payments and gets either a summary or
 * the same sheet back with an error column to fix and re-send. A payment sheet is small (at
 * most MAX_FEE_IMPORT_ROWS rows), so it is checked and written while the admin waits, all or
 * nothing, by the same rules as a payment recorded in chat.
 */
import { XLSX_MIME } from '../../server/lib/spreadsheet-mime';
import { yuanText } from '../../server/services/fees/money';
import { MAX_FEE_IMPORT_ROWS, type FeeImportOutcome } from '../../server/services/fees/payments/import';
import { buildPaymentTemplate } from '../../server/services/fees/payments/template';
import { fileProblem } from '../membership/import-replies';
import type { Flow, FlowContext, IncomingFile, Reply, StepResult } from '../engine/types';
import { button } from '../engine/types';

interface State {
  step: 'file';
}

const WAITING: State = { step: 'file' };
const TEMPLATE = 'fee-import:template';

let template: Promise<Buffer> | undefined;

async function templateReply(): Promise<Reply> {
  template ??= buildPaymentTemplate(MAX_FEE_IMPORT_ROWS);
  return {
    text: '团费交纳导入模板：在“团费交纳”工作表中每行填写一笔交费（第 2 行是示例，请改掉或删除），填写要求见“填写说明”工作表。填好后直接把文件发给我即可导入（以后再导入时，请先发送 /fee_import）。',
    file: { name: '团费交纳导入模板.xlsx', data: await template, mime: XLSX_MIME },
  };
}

const intro: Reply = {
  text: [
    '导入团费：请把填好的团费交纳表（Excel .xlsx 或 CSV）直接发送给我。',
    `· 每行一笔：姓名、交费月份（同一年内，如 2026-01至2026-06）、金额（元）；有同名团员时填写身份证号码；每次最多 ${MAX_FEE_IMPORT_ROWS} 行；`,
    '· 只能登记您管理的组织及其下级组织的团员，金额不能少于应交（可以自愿多交），已交过的月份不能重复登记；',
    '· 全部正确才会写入；有错误时会退回原表，最后一列“错误信息”写明每行的问题，改正后重新发送即可。',
  ].join('\n'),
  choices: [[button('下载模板', TEMPLATE), button('取消', '/cancel')]],
};

function outcomeReplies(outcome: FeeImportOutcome, fileName: string): StepResult<State> {
  if (outcome.ok) {
    return {
      replies: [
        {
          text: `✅ 导入成功：共 ${outcome.imported} 笔交费（${outcome.people} 名团员），合计 ${yuanText(outcome.totalFen)}。此操作已记入操作记录；发送 /fees 查看收缴情况。`,
        },
      ],
    };
  }
  if (outcome.reason === 'format') return { replies: [{ text: `${outcome.message}\n改好后可直接重新发送文件，或发送 /cancel 结束。` }], next: WAITING };
  const first = outcome.firstErrors[0].rowNumber;
  const which = outcome.errorCount === 1 ? `第 ${first} 行有错误` : `第 ${first} 行等 ${outcome.errorCount} 行有错误`;
  const examples = outcome.firstErrors.map((e) => `第 ${e.rowNumber} 行：${e.message}`).join('\n');
  const more = outcome.errorCount > outcome.firstErrors.length ? `\n……其余 ${outcome.errorCount - outcome.firstErrors.length} 行见错误报告。` : '';
  const base = fileName.replace(/\.[^.]+$/, '') || '团费';
  return {
    replies: [
      {
        text: `导入未完成：${which}，未写入任何数据。请按“错误信息”列修改后重新发送此文件。`,
        file: { name: `错误报告-${base}.xlsx`, data: outcome.report, mime: XLSX_MIME },
      },
      { text: `${examples}${more}\n\n改好后直接把文件发给我即可（不用删除“错误信息”列）；发送 /cancel 结束。` },
    ],
    next: WAITING,
  };
}

async function importFile(ctx: FlowContext, file: IncomingFile): Promise<StepResult<State>> {
  const problem = fileProblem(file.name, file.size);
  if (problem) return { replies: [{ text: problem.replace('/template', '/fee_import') }], next: WAITING };
  let buffer: Buffer;
  try {
    buffer = await file.download();
  } catch {
    return { replies: [{ text: '文件下载失败，请稍后重新发送此文件。' }], next: WAITING };
  }
  const late = fileProblem(file.name, buffer.length);
  if (late) return { replies: [{ text: late }], next: WAITING };
  const outcome = await ctx.services.fees.imports.run(ctx.actor.personId!, { buffer, fileName: file.name });
  return outcomeReplies(outcome, file.name);
}

export const feeImportFlow: Flow<State> = {
  name: 'fee-import',
  version: 1,
  commands: ['fee_import'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    if (!(await ctx.services.admins.isAdmin(ctx.actor.personId!)))
      return { replies: [{ text: '只有组织管理员可以导入团费记录。查看自己的团费请发送 /fee。' }] };
    return { replies: [intro], next: WAITING };
  },
  async step(ctx, state, event) {
    if (event.type === 'document') return importFile(ctx, event.file);
    if (event.type === 'choice' && event.value === TEMPLATE) return { replies: [await templateReply()], next: state };
    return {
      replies: [{ text: '请直接发送团费交纳表文件（.xlsx 或 .csv）。需要模板请点“下载模板”，或发送 /cancel 取消。', choices: intro.choices }],
      next: state,
    };
  },
};
