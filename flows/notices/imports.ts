/** A background import's notices to the admin who sent the file (R7): how it ended, and the rows to fix. */
import { XLSX_MIME } from '../../server/lib/spreadsheet-mime';
import { alreadyImportedMessage } from '../../server/services/membership/roster-import/importer';
import type { ImportResult } from '../../server/services/membership/roster-import/import-ending';
import type { Reply } from '../engine/types';
import type { NoticeRenderers } from './types';

/** The file's name without its extension, for the report's name. */
const base = (name: string): string => name.replace(/\.[^.]+$/, '') || '名单';

function finishedReply(fileName: string, result: ImportResult): Reply {
  if (result.ok) {
    const lines = result.branches.map((b) => `· ${b.fullName}：${b.count} 人`);
    if (result.branchCount > result.branches.length) lines.push(`· 另有 ${result.branchCount - result.branches.length} 个团支部`);
    const posts = result.posts ? `，其中 ${result.posts} 人已设置职务` : '';
    return {
      text: [
        `导入成功：共 ${result.imported} 人（团员 ${result.members} 人，团干部 ${result.cadres} 人${posts}）。`,
        ...lines,
        '新账号初始密码为身份证号码后 8 位，首次登录需修改密码。',
      ].join('\n'),
    };
  }
  if (result.reason === 'format') return { text: `${result.message}\n改好后可直接重新发送文件，或发送 /cancel 结束。` };
  if (result.reason === 'already-imported') return { text: alreadyImportedMessage(result.rowCount) };
  const which = result.errorCount === 1 ? `第 ${result.firstRow} 行有错误` : `第 ${result.firstRow} 行等 ${result.errorCount} 行有错误`;
  return {
    text: `导入未完成：${which}，未写入任何数据。请按“错误信息”列修改后重新发送此文件。`,
    file: { name: `错误报告-${base(fileName)}.xlsx`, data: Buffer.from(result.report, 'base64'), mime: XLSX_MIME },
  };
}

export const importNotices: NoticeRenderers<'import.finished' | 'import.row_errors'> = {
  async 'import.finished'(_services, notice) {
    return finishedReply(notice.fileName, notice.result);
  },
  async 'import.row_errors'(_services, notice) {
    const examples = notice.firstErrors.map((e) => `第 ${e.rowNumber} 行：${e.message}`);
    const more = notice.errorCount > examples.length ? `\n……其余 ${notice.errorCount - examples.length} 行见错误报告。` : '';
    return { text: `${examples.join('\n')}${more}\n\n改好后直接把文件发给我即可（不用删除“错误信息”列）；发送 /cancel 结束。` };
  },
};
