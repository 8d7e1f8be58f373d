import { appButton, type Flow } from '../engine/types';

const ABOUT = '团务应用：在手机上查看个人信息、团费和活动；组织管理员还可以查看组织和人员、处理待审批的申请。';

/** Why there is no button, and where a developer finds the app on this machine. */
const notConfigured = (localUrl?: string) =>
  '本服务器尚未配置团务应用的公开地址（WEBAPP_URL），暂时不能从这里打开。\n' +
  `本地开发环境中，团务应用在 ${localUrl ?? 'http://localhost:<端口>/app/'}，用浏览器打开，以身份证号码和密码登录。`;

/** /app: a button that opens the web app (R22), in Telegram as a Mini App (logged in as the bot's login). */
export const appFlow: Flow = {
  name: 'app',
  version: 1,
  commands: ['app'],
  async start(ctx) {
    const app = ctx.io.webApp;
    if (!app?.url) return { replies: [{ text: notConfigured(app?.localUrl) }] };
    return { replies: [{ text: ABOUT, choices: [[appButton('打开团务应用', '/')]] }] };
  },
};
