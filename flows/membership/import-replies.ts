/**
 * What the import conversation says: the explanation, the template and the progress message
 * (one message edited in place, throttled so a chat API is not flooded). How an import ended is
 * told by typed notices (flows/notices/imports.ts).
 */
import { XLSX_MIME } from '../../server/lib/spreadsheet-mime';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../../server/services/membership/roster-import/importer';
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
