/**
 * /import (导入团员, R7) and /template (下载导入模板): an admin sends a member spreadsheet in
 * chat and gets either a summary or the same sheet back with an error column to fix and re-send.
 */
import { NOT_AN_ADMIN_MESSAGE } from '../../server/services/membership/roster-import/scope';
import { fileProblem, importIntro, TEMPLATE_CHOICE, templateReply } from './import-replies';
import type { Flow, FlowContext, IncomingFile, StepResult } from '../engine/types';

/** Waiting for a file; plain JSON. */
interface State {
  step: 'file';
}

type Result = StepResult<State>;

const WAITING: State = { step: 'file' };
const REMINDER = '请直接发送团员名单文件（.xlsx 或 .csv）。需要模板请点“下载导入模板”，或发送 /cancel 取消。';

async function adminRoots(ctx: FlowContext): Promise<string[]> {
  const orgs = await ctx.services.admins.orgsOf(ctx.actor.personId!);
  return orgs.map((o) => o.fullName);
}

/**
 * Checks and downloads one file and queues its import as a background job: the answer comes
 * at once, the import runs elsewhere (progress in one message edited in place, the outcome
 * through the outbox). The conversation keeps waiting only when the file was refused here.
 */
async function importFile(ctx: FlowContext, file: IncomingFile): Promise<Result> {
  const problem = fileProblem(file.name, file.size);
  if (problem) return { replies: [{ text: problem }], next: WAITING };
  let buffer: Buffer;
  try {
    buffer = await file.download();
  } catch {
    return { replies: [{ text: '文件下载失败，请稍后重新发送此文件。' }], next: WAITING };
  }
  const late = fileProblem(file.name, buffer.length); // the declared size was wrong
  if (late) return { replies: [{ text: late }], next: WAITING };
  const { channel, chatId, personId } = ctx.actor;
  const queued = await ctx.services.backgroundJobs.enqueue({
    kind: 'roster-import',
    actorPersonId: personId!,
    channel,
    chatId,
    title: file.name,
    params: { fileName: file.name },
    input: buffer,
    dedupeKey: ctx.updateId ? `${channel}:${ctx.updateId}` : undefined,
  });
  return {
    replies: [
      {
        text: `已收到“${file.name}”，正在后台检查和导入（任务编号 ${queued.id}）。进度会显示在下一条消息中，完成后会通知您；这期间您可以继续使用其他功能，发送 /jobs 可查看后台任务。`,
      },
    ],
  };
}

/** /import: explains, offers the template, waits for the file. */
export const importFlow: Flow<State> = {
  name: 'import',
  version: 1,
  commands: ['import'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    const roots = await adminRoots(ctx);
    if (!roots.length) return { replies: [{ text: NOT_AN_ADMIN_MESSAGE }] };
    return { replies: [importIntro(roots)], next: WAITING };
  },
  async step(ctx, state, event) {
    if (event.type === 'document') return importFile(ctx, event.file);
    if (event.type === 'choice' && event.value === TEMPLATE_CHOICE) return { replies: [await templateReply()], next: state };
    return { replies: [{ text: REMINDER, choices: [[{ label: '下载导入模板', value: TEMPLATE_CHOICE }]] }], next: state };
  },
  /** A spreadsheet sent with no conversation going on: an admin is taken straight to the import. */
  async onDocument(ctx, file) {
    if (!(await adminRoots(ctx)).length) {
      return { replies: [{ text: `收到文件“${file.name}”，但无法处理：${NOT_AN_ADMIN_MESSAGE}` }] };
    }
    return importFile(ctx, file);
  },
};

/** /template: the import template, for anyone who asks. */
export const templateFlow: Flow = {
  name: 'template',
  version: 1,
  commands: ['template'],
  async start() {
    return { replies: [await templateReply()] };
  },
};
