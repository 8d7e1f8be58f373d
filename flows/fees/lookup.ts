import { profileText } from '../../server/services/fees/profiles';
import { statementLines } from './text';
import type { Choice, Flow } from '../engine/types';
import { button } from '../engine/types';

/** /fee (团费查询, R20): the member's monthly amount and why, the months paid this year, and what is owed. */
export const feeFlow: Flow = {
  name: 'fee',
  version: 1,
  commands: ['fee'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    const own = await ctx.services.fees.own(ctx.actor.personId!);
    if (!own.ok) {
      const why =
        own.reason === 'applicant'
          ? '入团申请人尚无需交纳团费，入团后即可在这里查询。'
          : '您的团籍不在任何团支部，团费由团籍所在的团支部收缴；如有疑问请联系所在组织的管理员。';
      return { replies: [{ text: `【我的团费】\n${why}` }] };
    }
    const { statement, payer, declared } = own;
    const lines = [`【我的团费】${statement.year}年`, ...statementLines(payer, statement)];
    if (declared) lines.push(`您已申报：${profileText(declared)}，待团支部管理员确认。`);
    lines.push('', '团员可以自愿多交团费。交纳团费请联系所在团支部，交纳后由管理员登记。');
    const choices: Choice[][] = [
      [button(statement.current.profile ? '✏️ 申报类别或收入变化' : '📝 申报团费类别', '/fee_declare'), button('📜 团费标准', '/fee_standard')],
    ];
    return { replies: [{ text: lines.join('\n'), choices }] };
  },
};
