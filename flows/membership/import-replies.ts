/**
 * What the import conversation says: the explanation, the answers to an import's outcome and
 * the progress message (one message edited in place, throttled so a chat API is not flooded).
 */
import { XLSX_MIME } from '../../server/lib/spreadsheet-mime';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, type ImportOutcome, type ImportProgress } from '../../server/services/membership/roster-import/importer';
import { buildTemplate } from '../../server/services/membership/roster-import/template';
import type { Reply } from '../engine/types';
import { button } from '../engine/types';

const MB = 1024 * 1024;
/** The button that sends the template without leaving the import conversation. */
export const TEMPLATE_CHOICE = 'import:template';

/** What to send and how: the rules in short. */
export function importIntro(rootNames: string[]): Reply {
  const where = rootNames.slice(0, 3).join('、') + (rootNames.length > 3 ? ' 等' : '');
  return {
    text: [
      '导入团员：请把填好的团员名单文件（Excel .xlsx 或 CSV）直接发送给我。',
      `· 文件不超过 ${MAX_IMPORT_BYTES / MB} MB，每次最多 ${MAX_IMPORT_ROWS} 行，超过请拆分后分批发送；`,
      '· 每行一人，必填：姓名、身份证号码、所在团支部（组织全称）、政治面貌（团员/团干部）、入团时间、手机号码、民族、学历；团干部可填职务；',
      `· 只能导入到您管理的 ${where} 及其下级团支部；`,
      '· 全部正确才会写入；有错误时会退回原表，最后一列“错误信息”写明每行的问题，改正后重新发送即可。',
      '新账号无需注册：账号为身份证号码，初始密码为身份证号码后 8 位，首次登录须修改密码。',
    ].join('\n'),
    choices: [[button('下载导入模板', TEMPLATE_CHOICE), button('取消', '/cancel')]],
  };
}

let template: Promise<Buffer> | undefined;

/** The template file as a reply (built once per process). */
export async function templateReply(): Promise<Reply> {
  template ??= buildTemplate({ maxRows: MAX_IMPORT_ROWS });
  return {
    text: '团员信息导入模板：在“团员信息”工作表中每行填写一人（第 2 行是示例，请改掉或删除），各列的填写要求见“填写说明”工作表。填好后直接把文件发给我即可导入。',
    file: { name: '团员信息导入模板.xlsx', data: await template, mime: XLSX_MIME },
  };
}

/** A problem with the file itself, before reading it: type or size. Null when it may be read. */
export function fileProblem(name: string, size: number): string | null {
  const ext = /\.([^.]+)$/.exec(name.trim())?.[1]?.toLowerCase() ?? '';
  if (ext === 'xls' || ext === 'et') return `“${name}”是旧版 Excel（.${ext}）文件，无法导入。请用 Excel 或 WPS 打开后“另存为 .xlsx”，再发送新文件。`;
  if (ext !== 'xlsx' && ext !== 'csv') return `只能导入 Excel（.xlsx）或 CSV 文件，您发送的“${name}”不是。请发送 /template 下载导入模板，填好后发送。`;
  if (size > MAX_IMPORT_BYTES) {
    return `文件“${name}”大小为 ${(size / MB).toFixed(1)} MB，超过 ${MAX_IMPORT_BYTES / MB} MB 的上限，无法导入。请拆分成几个较小的文件（每个最多 ${MAX_IMPORT_ROWS} 行）分批发送。`;
  }
  return null;
}

/** The progress line of an import. */
export function progressText(p: ImportProgress): string {
  if (p.phase === 'saving') return `已处理 ${p.done}/${p.done} 行，全部正确，正在保存……`;
  return p.total ? `正在检查：已处理 ${p.done}/${p.total} 行` : `正在检查：已处理 ${p.done} 行`;
}

function base(name: string): string {
  return name.replace(/\.[^.]+$/, '') || '名单';
}

/** The final progress line and the replies for an import's outcome. */
export function outcomeReplies(outcome: ImportOutcome, fileName: string): { progress?: string; replies: Reply[] } {
  if (outcome.ok) {
    const lines = outcome.branches.slice(0, 5).map((b) => `· ${b.fullName}：${b.count} 人`);
    if (outcome.branches.length > 5) lines.push(`· 另有 ${outcome.branches.length - 5} 个团支部`);
    const posts = outcome.posts ? `，其中 ${outcome.posts} 人已设置职务` : '';
    return {
      progress: `已处理 ${outcome.imported}/${outcome.imported} 行，已全部写入`,
      replies: [{ text: [`导入成功：共 ${outcome.imported} 人（团员 ${outcome.members} 人，团干部 ${outcome.cadres} 人${posts}）。`, ...lines, '新账号初始密码为身份证号码后 8 位，首次登录需修改密码。'].join('\n') }],
    };
  }
  if (outcome.reason === 'format') return { progress: '文件无法导入', replies: [{ text: `${outcome.message}\n改好后可直接重新发送文件，或发送 /cancel 结束。` }] };
  if (outcome.reason === 'already-imported') return { progress: `已处理 ${outcome.rowCount}/${outcome.rowCount} 行`, replies: [{ text: outcome.message }] };
  const first = outcome.firstErrors[0]?.rowNumber;
  const which = outcome.errorCount === 1 ? `第 ${first} 行有错误` : `第 ${first} 行等 ${outcome.errorCount} 行有错误`;
  const examples = outcome.firstErrors.map((e) => `第 ${e.rowNumber} 行：${e.message}`);
  const more = outcome.errorCount > examples.length ? `\n……其余 ${outcome.errorCount - examples.length} 行见错误报告。` : '';
  return {
    progress: `已处理 ${outcome.rowCount}/${outcome.rowCount} 行，发现 ${outcome.errorCount} 行有错误`,
    replies: [
      {
        text: `导入未完成：${which}，未写入任何数据。请按“错误信息”列修改后重新发送此文件。`,
        file: { name: `错误报告-${base(fileName)}.xlsx`, data: outcome.report, mime: XLSX_MIME },
      },
      { text: `${examples.join('\n')}${more}\n\n改好后直接把文件发给我即可（不用删除“错误信息”列）；发送 /cancel 结束。` },
    ],
  };
}
