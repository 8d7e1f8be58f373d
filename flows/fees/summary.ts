import { XLSX_MIME } from '../../server/lib/spreadsheet-mime';
import { chinaMonth, yearOf } from '../../server/services/fees/months';
import { OWING_PAGE } from '../../server/services/fees/reports';
import { profileText } from '../../server/services/fees/profiles';
import { entryLine, FEE_ACTION, feeButton, owingLine, statementLines, summaryChoices, summaryText } from './text';
import { shortLabel } from '../engine/org-picker';
import type { Action, Choice, Flow, FlowContext, Reply } from '../engine/types';
import { button, idArg } from '../engine/types';

/** An organisation's totals and those below it, with what to do next. */
async function summary(ctx: FlowContext, orgId: number | null): Promise<Reply[]> {
  const me = ctx.actor.personId!;
  const { fees } = ctx.services;
  const s = await fees.reports.summary(me, orgId);
  const roots = await fees.payers.roots(me);
  const isRoot = roots.some((r) => r.id === s.org.id);
  const choices = summaryChoices(s, isRoot ? null : s.org.parentId);
  if (isRoot && roots.length > 1)
    choices.push(
      roots
        .filter((r) => r.id !== s.org.id)
        .slice(0, 4)
        .map((r) => feeButton(`🏢 ${shortLabel(r.fullName, 12)}`, 'o', r.id)),
    );
  return [{ text: summaryText(s), choices }];
}

async function owingList(ctx: FlowContext, orgId: number, page: number): Promise<Reply[]> {
  const p = await ctx.services.fees.reports.owingPage(ctx.actor.personId!, orgId, page);
  if (!p.total) return [{ text: `【欠交名单】${p.org.fullName}\n没有欠交团费的团员 ✅`, choices: [[feeButton('返回', 'o', orgId)]] }];
  const lines = [
    `【欠交名单】${p.org.fullName}（共 ${p.total} 人，第 ${p.page + 1}/${p.pages} 页，欠得多的在前）`,
    ...p.items.map((m, i) => owingLine(p.page * OWING_PAGE + i + 1, m)),
    '',
    '点击姓名查看其团费记录、登记交费或设置类别。',
  ];
  const choices: Choice[][] = [];
  for (let i = 0; i < p.items.length; i += 2)
    choices.push(p.items.slice(i, i + 2).map((m, j) => feeButton(`${p.page * OWING_PAGE + i + j + 1}. ${m.payer.name}`, 'p', m.payer.id)));
  const paging = [
    ...(p.page > 0 ? [feeButton('◀ 上一页', 'w', `${orgId}:${p.page - 1}`)] : []),
    ...(p.page + 1 < p.pages ? [feeButton('下一页 ▶', 'w', `${orgId}:${p.page + 1}`)] : []),
  ];
  if (paging.length) choices.push(paging);
  choices.push([feeButton('📥 导出表格', 'x', orgId), feeButton('返回', 'o', orgId)]);
  return [{ text: lines.join('\n'), choices }];
}

/** A member's card for an admin: the statement, this year's entries (each may be reversed), what to do. */
async function memberCard(ctx: FlowContext, personId: number): Promise<Reply[]> {
  const me = ctx.actor.personId!;
  const { fees } = ctx.services;
  const year = yearOf(chinaMonth(ctx.services.deps.now()));
  const { payer, entries, reversed } = await fees.payments.history(me, personId, year);
  const own = await fees.own(payer.id);
  const lines = [`【团员团费】${payer.name}（${payer.idMasked}）${year}年`];
  if (own.ok) lines.push(...statementLines(payer, own.statement));
  if (own.ok && own.declared) lines.push(`本人申报：${profileText(own.declared)}（待确认）`);
  lines.push('', entries.length ? '本年交费记录（新的在前）：' : '本年没有交费记录。', ...entries.slice(0, 20).map((e) => entryLine(e, reversed.has(e.id))));
  const reversible = entries.filter((e) => e.reversesId === null && !reversed.has(e.id)).slice(0, 6);
  const choices: Choice[][] = [[button('➕ 登记交费', `/fee_pay ${payer.id}`), button('🏷 设置类别', `/fee_set ${payer.id}`)]];
  for (let i = 0; i < reversible.length; i += 3) choices.push(reversible.slice(i, i + 3).map((e) => button(`↩ 冲正第 ${e.id} 号`, `/fee_reverse ${e.id}`)));
  return [{ text: lines.join('\n'), choices }];
}

async function declarations(ctx: FlowContext, orgId: number): Promise<Reply[]> {
  const org = await ctx.services.fees.payers.requireOrg(ctx.actor.personId!, orgId);
  const { items, total } = await ctx.services.fees.profiles.pendingFor(ctx.actor.personId!, { path: org.path, limit: 8 });
  if (!items.length) return [{ text: '没有待确认的团费类别申报。', choices: [[feeButton('返回', 'o', orgId)]] }];
  const lines = [`【待确认的团费类别申报】共 ${total} 份${total > items.length ? `，先显示 ${items.length} 份` : ''}`];
  const choices: Choice[][] = [];
  items.forEach((d, i) => {
    lines.push(`${i + 1}. ${d.payer.name}（${d.payer.idMasked}）${shortLabel(d.payer.branchName, 12)}：${profileText(d)}`);
    choices.push([feeButton(`✅ 确认 ${i + 1}. ${d.payer.name}`, 'c', d.id), feeButton('退回', 'j', d.id)]);
  });
  choices.push([feeButton('返回', 'o', orgId)]);
  return [{ text: lines.join('\n'), choices }];
}

/** /fees (团费收缴情况): totals of the admin's organisation and each one below it; `/fees <id>` one below. */
export const feesFlow: Flow = {
  name: 'fees',
  version: 1,
  commands: ['fees'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx, args) {
    return { replies: await summary(ctx, idArg(args)) };
  },
};

/** The fee buttons; every one checks the presser's rights again (a forged one too). */
export const feeAction: Action = {
  prefix: FEE_ACTION,
  privateOnly: true,
  async handle(ctx, payload) {
    const [what, a, b] = payload.split(':');
    const id = Number(a);
    if (!Number.isSafeInteger(id) || id <= 0) return [{ text: '这个按钮已失效，请重新发送 /fees。' }];
    const me = ctx.actor.personId!;
    switch (what) {
      case 'o':
        return summary(ctx, id);
      case 'w':
        return owingList(ctx, id, Math.max(0, Number(b) || 0));
      case 'x': {
        const sheet = await ctx.services.fees.reports.sheet(me, id);
        return [
          {
            text: `团费情况表：${sheet.org.fullName}（${sheet.members} 人）`,
            file: { name: `团费情况-${sheet.org.shortName}.xlsx`, mime: XLSX_MIME, data: sheet.data },
          },
        ];
      }
      case 'p':
        return memberCard(ctx, id);
      case 'd':
        return declarations(ctx, id);
      case 'c':
      case 'j': {
        const { profile, payer } = await ctx.services.fees.profiles.decide(me, id, what === 'c');
        const done =
          what === 'c'
            ? `✅ 已确认 ${payer.name} 的团费类别：${profileText(profile)}（${profile.validFrom} 起）。`
            : `已退回 ${payer.name} 的申报，已通知本人。`;
        return [{ text: `${done}此操作已记入操作记录。`, choices: [[feeButton('查看该团员团费', 'p', payer.id)]] }];
      }
      default:
        return [{ text: '这个按钮已失效，请重新发送 /fees。' }];
    }
  },
};
