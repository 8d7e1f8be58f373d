/**
 * The permission matrix: every admin command and every button prefix, pressed by a member, by
 * an admin of another subtree and by a chat that is not logged in, with button data forged to
 * point at another organisation's things. None of them may learn anything of it (its names,
 * its registration code, its people) or change anything; the organisation's own admin, the
 * control, sees and does it all.
 */
import { ACTIONS, FLOWS } from '../../flows';
import { menuCommands } from '../../flows/engine/menu';
import type { Reply } from '../../flows/engine/types';
import { Activity, ActivityParticipant, Announcement, Application, FeePayment, FeeProfile, Invitation, Organisation } from '../../models';
import { buildTree, makeAdmin } from '../helpers/fixtures/admin-fixtures';
import { TestChat } from '../helpers/chat';
import { buildPerson, makeIdNumber } from '../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../helpers/system';

let sys: TestSystem;
let t: Awaited<ReturnType<typeof buildTree>>;
let secrets: string[];
let appId: number;
let invitationId: number;
let activityId: number;
let announcementId: number;
let inviteeId: number;
let paymentId: number;
let declarationId: number;
const chats: Record<'owner' | 'member' | 'stranger' | 'unbound', TestChat> = {} as never;

const texts = (replies: Reply[]) => replies.map((r) => `${r.text}\n${JSON.stringify(r.choices ?? [])}`).join('\n');

beforeAll(async () => {
  sys = await createTestSystem();
  t = await buildTree(sys, '权');
  const owner = await makeAdmin(sys, t.school.id, '钱校管');
  const stranger = await makeAdmin(sys, t.otherBranch.id, '孙外管');
  const member = await buildPerson(sys, { name: '周团员', branchId: t.otherBranch.id, password: 'Member2024x' });
  const applicant = await sys.services.applications.registerMember({
    idNumber: makeIdNumber('20000101'),
    name: '冯申请',
    joinedLeagueAt: '2016-09-01',
    role: 'member',
    branchId: t.branchA.id,
    phone: '13800138000',
    password: 'Apply2024x',
  });
  appId = applicant.app.id;
  const invitee = await buildPerson(sys, { name: '陈受邀', branchId: t.branchB.id, password: 'Invitee2024x' });
  invitationId = (await sys.services.invitations.invite(owner.person.id, { orgId: t.school.id, idNumber: invitee.idNumber, title: '委员' })).invitation.id;
  const school = (await Organisation.findByPk(t.school.id))!;
  const soon = new Date(sys.clock.now.getTime() + 3_600_000);
  activityId = (
    await sys.services.activities.create(owner.person.id, {
      orgId: t.school.id,
      kind: 'other_meeting',
      title: '秘密团员大会',
      startsAt: soon,
      endsAt: new Date(soon.getTime() + 3_600_000),
    })
  ).id;
  await sys.services.activityParticipants.add(owner.person.id, activityId, [invitee.person.id]);
  announcementId = (await sys.services.announcements.create(owner.person.id, { orgId: t.school.id, audience: 'all', orgKind: null, text: '秘密通知内容' })).id;
  inviteeId = invitee.person.id;
  await sys.services.fees.profiles.set(owner.person.id, inviteeId, { category: 'student' });
  const year = sys.clock.now.getUTCFullYear();
  paymentId = (
    await sys.services.fees.payments.record(owner.person.id, { personId: inviteeId, months: { from: `${year}-01`, to: `${year}-01` }, amountFen: 20 })
  ).payment.id;
  declarationId = (await sys.services.fees.profiles.declare(inviteeId, { category: 'wage', wageFen: 500_000 })).id;
  secrets = [
    t.school.fullName,
    t.branchA.fullName,
    t.branchB.fullName,
    school.adminCode,
    t.branchA.adminCode,
    '冯申请',
    '陈受邀',
    '钱校管',
    '秘密团员大会',
    '秘密通知内容',
  ];

  for (const [key, login] of [
    ['owner', owner],
    ['stranger', stranger],
    ['member', member],
  ] as const) {
    chats[key] = new TestChat(sys);
    expect(await chats[key].login(login.idNumber, 'password' in login ? login.password : 'Member2024x')).toContain('登录成功');
  }
  chats.unbound = new TestChat(sys);
});
afterAll(() => sys.close());

/** Everything that must not move when an outsider presses. */
async function snapshot(): Promise<string> {
  const orgs = await Organisation.findAll({ where: { id: [t.school.id, t.branchA.id, t.branchB.id] }, order: [['id', 'ASC']] });
  const app = await Application.findByPk(appId);
  const inv = await Invitation.findByPk(invitationId);
  const act = await Activity.findByPk(activityId);
  const participants = await ActivityParticipant.findAll({ where: { activityId }, order: [['id', 'ASC']] });
  const fees = await FeePayment.findAll({ where: { personId: inviteeId }, order: [['id', 'ASC']] });
  const profiles = await FeeProfile.findAll({ where: { personId: inviteeId }, order: [['id', 'ASC']] });
  return JSON.stringify([
    orgs.map((o) => [o.adminCode, o.fullName, o.shortName, o.kind, o.schoolCode]),
    app?.stage,
    inv?.status,
    act && [act.title, act.startsAt, act.place, act.signinMode, act.signinBeforeMin, act.allowWalkIns, act.counterChatId],
    participants.map((p) => [p.personId, p.response, p.notifiedAt, p.signedInAt]),
    fees.map((f) => [f.id, f.fromMonth, f.toMonth, f.amountFen, f.reversesId]),
    profiles.map((f) => [f.id, f.category, f.wageFen, f.status]),
    await Announcement.count(),
  ]);
}

/** The admin commands: every command on the admin menu that a member's menu lacks. */
function adminCommands(): string[] {
  const member = new Set(menuCommands('member').map((c) => c.command));
  return menuCommands('admin')
    .map((c) => c.command)
    .filter((c) => !member.has(c));
}

/** Button data pointing at the target's things, for every action prefix (each must be covered). */
function forgedButtons(): string[] {
  const s = t.school.id;
  const a = t.branchA.id;
  const buttons = [
    `!app:${appId}:show`,
    `!app:${appId}:submitted:approved`,
    `!app:${appId}:submitted:rejected`,
    `!admin-code:ask:${s}`,
    `!admin-code:rotate:${s}`,
    `!admin-code:rotate:${a}`,
    `!admin-code:keep:${s}`,
    '!audit:999999999',
    '!audit:1',
    `!inv:a:${invitationId}`,
    `!inv:d:${invitationId}`,
    ...['n', 's', 'o', 'c', 'a', 'w', 'l', 'x'].map((what) => `!av:${what}:${activityId}`),
    `!act:r:${activityId}`,
    `!act:d:${activityId}`,
    // Commands with a forged activity id, as a button would carry them.
    `/activities ${activityId}`,
    `/participants ${activityId}`,
    `/activity_edit ${activityId}`,
    `!ann:s:${announcementId}`,
    ...['o', 'x', 'd'].map((what) => `!fee:${what}:${s}`),
    `!fee:w:${s}:0`,
    `!fee:w:${a}:1`,
    `!fee:p:${inviteeId}`,
    `!fee:c:${declarationId}`,
    `!fee:j:${declarationId}`,
    `/fees ${s}`,
    `/fee_pay ${inviteeId}`,
    `/fee_set ${inviteeId}`,
    `/fee_reverse ${paymentId}`,
    '/fee_standard_add',
    `!progress:v:${s}:0`,
    `!progress:v:${a}:1`,
    `!progress:c:${s}`,
    `!progress:x:${s}`,
    `/progress ${s}`,
  ];
  for (const action of ACTIONS) expect(buttons.some((b) => b.startsWith(`!${action.prefix}:`))).toBe(true);
  return buttons;
}

describe('permission matrix (member, admin of another subtree, not logged in; forged buttons)', () => {
  it('covers every admin command and every action prefix there is', () => {
    const commands = adminCommands();
    expect(commands).toEqual(
      expect.arrayContaining([
        'add_member',
        'import',
        'applications',
        'invite',
        'org_info',
        'admin_code',
        'audit',
        'jobs',
        'activities',
        'activity',
        'announce',
        'announcements',
        'fees',
        'fee_pay',
        'fee_import',
        'fee_set',
        'progress',
      ]),
    );
    for (const c of commands) expect(FLOWS.some((f) => f.commands.includes(c))).toBe(true);
    expect(ACTIONS.map((a) => a.prefix).sort()).toEqual(['act', 'admin-code', 'ann', 'app', 'audit', 'av', 'fee', 'inv', 'progress']);
  });

  it("the control: the organisation's own admin sees what the others must not", async () => {
    const owner = chats.owner;
    expect(texts(await owner.send({ type: 'choice', value: `!app:${appId}:show` }))).toContain('冯申请');
    expect(texts(await owner.send({ type: 'command', name: 'admin_code', args: '' }))).toContain((await Organisation.findByPk(t.school.id))!.adminCode);
    await owner.say('/cancel');
    expect(texts(await owner.send({ type: 'command', name: 'audit', args: '' }))).toContain(t.school.fullName);
    expect(texts(await owner.send({ type: 'choice', value: `!av:l:${activityId}` }))).toContain('秘密团员大会');
    expect(texts(await owner.send({ type: 'choice', value: `!ann:s:${announcementId}` }))).toContain('秘密通知内容');
    expect(texts(await owner.send({ type: 'choice', value: `!fee:p:${inviteeId}` }))).toContain('陈受邀');
    expect(texts(await owner.send({ type: 'choice', value: `!fee:w:${t.school.id}:0` }))).toContain('陈受邀');
    expect(texts(await owner.send({ type: 'choice', value: `!progress:v:${t.school.id}:0` }))).toContain(t.branchA.fullName);
  });

  for (const who of ['member', 'stranger', 'unbound'] as const) {
    it(`${who}: every admin command, then forged organisation picks in it, reveal and change nothing`, async () => {
      const chat = chats[who];
      const before = await snapshot();
      for (const command of adminCommands()) {
        const replies = await chat.send({ type: 'command', name: command, args: '' });
        const seen = texts(replies);
        for (const s of secrets) expect({ command, leaked: seen.includes(s) ? s : null }).toEqual({ command, leaked: null });
        // Inside whatever conversation it started: pick the target's organisations by forged buttons, and type their names.
        for (const input of [`org:${t.school.id}`, `org:${t.branchA.id}`, 'org-full']) {
          const inside = texts(await chat.send({ type: 'choice', value: input }));
          for (const s of secrets) expect({ command, input, leaked: inside.includes(s) ? s : null }).toEqual({ command, input, leaked: null });
        }
        const typed = texts(await chat.send({ type: 'text', text: t.school.fullName.slice(3, 9) }));
        for (const s of secrets) expect({ command, typed: true, leaked: typed.includes(s) ? s : null }).toEqual({ command, typed: true, leaked: null });
        await chat.say('/cancel');
      }
      expect(await snapshot()).toBe(before);
    });

    it(`${who}: every forged button of every action prefix reveals and changes nothing`, async () => {
      const chat = chats[who];
      const before = await snapshot();
      for (const value of forgedButtons()) {
        const seen = texts(await chat.send({ type: 'choice', value }));
        expect(seen.trim()).not.toBe('');
        for (const s of secrets) expect({ value, leaked: seen.includes(s) ? s : null }).toEqual({ value, leaked: null });
      }
      expect(await snapshot()).toBe(before);
    });
  }

  it('a forged application id answers the same whether it exists or not', async () => {
    const existing = texts(await chats.stranger.send({ type: 'choice', value: `!app:${appId}:show` }));
    const missing = texts(await chats.stranger.send({ type: 'choice', value: '!app:987654321:show' }));
    expect(existing).toBe(missing);
  });
});
