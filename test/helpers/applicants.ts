import type { Organisation } from '../../models/Organisation';
import type { Reply } from '../../flows/engine/types';
import type { System } from '../../server/system';
import { makeAdmin } from './admin-fixtures';
import { TestChat } from './chat';
import { renderedFor } from './notices';

/** The password applicants choose in these tests. */
export const APPLICANT_PASSWORD = 'Apply2024x';

/** An admin of `orgId`, logged in on a TestChat (so notifications reach it). */
export async function loggedInAdmin(sys: System, orgId: number, name = '赵管理') {
  const admin = await makeAdmin(sys, orgId, name);
  const chat = new TestChat(sys);
  expect(await chat.login(admin.idNumber, admin.password)).toContain('登录成功');
  return { ...admin, chat };
}

/** Messages queued for a person, oldest first, rendered as they would be delivered now. */
export function queuedFor(personId: number): Promise<Reply[]> {
  return renderedFor(personId);
}

/** The value of the button whose label contains `label`, in a queued message. */
export function buttonValue(message: Pick<Reply, 'choices'> | undefined, label: string): string {
  const found = (message?.choices ?? []).flat().find((c) => c.label.includes(label));
  if (!found) throw new Error(`no button “${label}” in ${JSON.stringify(message)}`);
  return found.value;
}

/** Types part of the branch's name and presses its button. */
export async function pickBranch(chat: TestChat, org: Organisation): Promise<string> {
  const found = await chat.send({ type: 'text', text: org.fullName.slice(3) });
  const values = found.flatMap((r) => r.choices ?? []).flat().map((c) => c.value);
  expect(values).toContain(`org:${org.id}`);
  return chat.press(`org:${org.id}`);
}

/** The steps of /register (R8) up to the summary, each checking what is asked next. */
export function registerSteps(idNumber: string, branch: Organisation, joined = '2016-09-01'): Array<(c: TestChat) => Promise<unknown>> {
  return [
    async (c) => expect(await c.say('/register')).toContain('身份证号码'),
    async (c) => expect(await c.say(idNumber)).toContain('姓名'),
    async (c) => expect(await c.say('李小红')).toContain('入团时间'),
    async (c) => expect(await c.say(joined)).toContain('身份'),
    async (c) => expect(await c.press('role:member')).toContain('团支部'),
    async (c) => expect(await c.say(branch.fullName.slice(3))).toContain('请点击选择'),
    async (c) => expect(await c.press(`org:${branch.id}`)).toContain('手机号码'),
    async (c) => expect(await c.say('13800138000')).toContain('登录密码'),
    async (c) => expect(await c.say(APPLICANT_PASSWORD)).toContain('再输入一次'),
    async (c) => expect(await c.say(APPLICANT_PASSWORD)).toContain('请核对'),
  ];
}

/** The steps of /join (R9) up to the summary. */
export function joinSteps(idNumber: string, branch: Organisation): Array<(c: TestChat) => Promise<unknown>> {
  return [
    async (c) => expect(await c.say('/join')).toContain('身份证号码'),
    async (c) => expect(await c.say(idNumber)).toContain('姓名'),
    async (c) => expect(await c.say('王小青')).toContain('手机号码'),
    async (c) => expect(await c.say('13900139000')).toContain('团支部'),
    async (c) => expect(await c.say(branch.fullName.slice(3))).toContain('请点击选择'),
    async (c) => expect(await c.press(`org:${branch.id}`)).toContain('入团动机'),
    async (c) => expect(await c.say('我志愿加入中国共产主义青年团，努力学习，为人民服务。')).toContain('登录密码'),
    async (c) => expect(await c.say(APPLICANT_PASSWORD)).toContain('再输入一次'),
    async (c) => expect(await c.say(APPLICANT_PASSWORD)).toContain('请核对'),
  ];
}

/** The steps of /checkin (R9a) up to the summary. */
export function checkinSteps(idNumber: string, homeOrgName: string, branch: Organisation): Array<(c: TestChat) => Promise<unknown>> {
  return [
    async (c) => expect(await c.say('/checkin')).toContain('身份证号码'),
    async (c) => expect(await c.say(idNumber)).toContain('姓名'),
    async (c) => expect(await c.say('张流动')).toContain('入团时间'),
    async (c) => expect(await c.say('2015-05-04')).toContain('团籍所在地'),
    async (c) => expect(await c.say(homeOrgName)).toContain('团支部'),
    async (c) => expect(await c.say(branch.fullName.slice(3))).toContain('请点击选择'),
    async (c) => expect(await c.press(`org:${branch.id}`)).toContain('手机号码'),
    async (c) => expect(await c.say('13700137000')).toContain('登录密码'),
    async (c) => expect(await c.say(APPLICANT_PASSWORD)).toContain('再输入一次'),
    async (c) => expect(await c.say(APPLICANT_PASSWORD)).toContain('请核对'),
  ];
}

/** Runs steps in order on one chat. */
export async function run(chat: TestChat, steps: Array<(c: TestChat) => Promise<unknown>>): Promise<void> {
  for (const step of steps) await step(chat);
}
