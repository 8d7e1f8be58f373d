import { GENERIC_ERROR } from '../../../flows/engine/runner';
import { Invitation, Person } from '../../../models';
import { TestChat } from '../../helpers/chat';
import { buildOrg, buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';
import { renderedFor } from '../../helpers/notices';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const DAY = 86_400_000;

/** A county body › committee › general branch › branch, with an admin of the committee logged in. */
async function world() {
  const county = await buildOrg(sys, { kind: 'leading_body' });
  const committee = await buildOrg(sys, { kind: 'committee', parentId: county.id });
  const general = await buildOrg(sys, {
    kind: 'general_branch',
    parentId: committee.id,
    fullName: `共青团某学院信息${Math.random().toString(36).slice(2, 6)}总支部委员会`,
  });
  const branch = await buildOrg(sys, { kind: 'branch', parentId: general.id });
  const admin = await buildPerson(sys, { name: '管理甲', password: 'Secret123' });
  await sys.services.admins.add(committee.id, admin.person.id);
  const adminChat = new TestChat(sys);
  await adminChat.login(admin.idNumber, 'Secret123');
  const invitee = await buildPerson(sys, { name: '受邀乙', branchId: branch.id, password: 'Secret123' });
  const inviteeChat = new TestChat(sys);
  await inviteeChat.login(invitee.idNumber, 'Secret123');
  return { county, committee, general, branch, admin, adminChat, invitee, inviteeChat };
}

async function noticeTo(personId: number, invitationId: number) {
  return (await renderedFor(personId)).find((p) => JSON.stringify(p).includes(`!inv:a:${invitationId}`));
}

describe('invitations (R13)', () => {
  it('R13 R14 an admin invites by ID number; accepting gives the post and never moves the branch', async () => {
    const w = await world();
    const list = await w.adminChat.say('/invite');
    expect(list).toContain('请选择邀请对方加入的组织');
    expect(await w.adminChat.press(`org:${w.committee.id}`)).toContain('请输入被邀请人的身份证号码');
    expect(await w.adminChat.say(w.invitee.idNumber)).toContain('受邀乙');
    expect(await w.adminChat.press('title:1')).toContain('担任副书记');
    expect(await w.adminChat.press('send')).toContain('已邀请 受邀乙');

    const invitation = (await Invitation.findOne({ where: { personId: w.invitee.person.id } }))!;
    expect(invitation).toMatchObject({ status: 'pending', orgId: w.committee.id, title: '副书记', invitedByPersonId: w.admin.person.id });
    const notice = (await noticeTo(w.invitee.person.id, invitation.id))!;
    expect(notice.text).toContain(w.committee.fullName);
    expect(notice.choices![0].map((c) => c.label)).toEqual(['接受', '拒绝']);

    // Another user pressing the invitee's button is refused.
    expect(await w.adminChat.press(`!inv:a:${invitation.id}`)).toContain('不是发给您的');
    expect(await w.inviteeChat.press(`!inv:a:${invitation.id}`)).toContain('已接受邀请');
    const posts = await sys.services.posts.of(w.invitee.person.id);
    expect(posts.map((p) => [p.org.id, p.title])).toEqual([[w.committee.id, '副书记']]);
    expect((await Person.findByPk(w.invitee.person.id))!.branchId).toBe(w.branch.id);
    expect(await w.inviteeChat.say('/me')).toContain('副书记');
    const toAdmin = await renderedFor(w.admin.person.id);
    expect(toAdmin.map((m) => m.text).join()).toContain('已接受邀请');
    expect(await w.inviteeChat.press(`!inv:a:${invitation.id}`)).toContain('已接受过');
  });

  it('R13 a general branch below is found by name; a branch is never offered and is refused with the reason', async () => {
    const w = await world();
    await w.adminChat.say('/invite');
    const found = await w.adminChat.say('信息');
    expect(found).toContain('总支部委员会');
    expect(found).not.toContain(w.branch.fullName.slice(0, 10));
    const refused = await w.adminChat.press(`org:${w.branch.id}`);
    expect(refused).toContain('团支部不能通过邀请加入');
    expect(await w.adminChat.press(`org:${w.general.id}`)).toContain('请输入被邀请人的身份证号码');
    await expect(sys.services.invitations.invite(w.admin.person.id, { orgId: w.branch.id, idNumber: w.invitee.idNumber, title: '委员' })).rejects.toThrow(
      '团支部不能通过邀请加入',
    );
  });

  it('R13 declining gives no post and tells the inviter', async () => {
    const w = await world();
    const { invitation } = await sys.services.invitations.invite(w.admin.person.id, { orgId: w.general.id, idNumber: w.invitee.idNumber, title: '委员' });
    expect(await w.inviteeChat.press(`!inv:d:${invitation.id}`)).toContain('已拒绝');
    expect(await sys.services.posts.of(w.invitee.person.id)).toEqual([]);
    expect((await Invitation.findByPk(invitation.id))!.status).toBe('declined');
    const toAdmin = await renderedFor(w.admin.person.id);
    expect(toAdmin.map((m) => m.text).join()).toContain('拒绝了');
    expect(await w.inviteeChat.press(`!inv:a:${invitation.id}`)).toContain('已拒绝过');
  });

  it('R13 invitations expire after 7 days with a clear answer, and can then be sent again', async () => {
    const w = await world();
    const { invitation } = await sys.services.invitations.invite(w.admin.person.id, { orgId: w.committee.id, idNumber: w.invitee.idNumber, title: '委员' });
    await expect(sys.services.invitations.invite(w.admin.person.id, { orgId: w.committee.id, idNumber: w.invitee.idNumber, title: '副书记' })).rejects.toThrow(
      '尚未答复',
    );
    sys.clock.advance(7 * DAY + 1000);
    expect(await w.inviteeChat.press(`!inv:a:${invitation.id}`)).toContain('已过期');
    expect((await Invitation.findByPk(invitation.id))!.status).toBe('expired');
    expect(await sys.services.posts.of(w.invitee.person.id)).toEqual([]);
    expect(await w.inviteeChat.say('/invitations')).toContain('没有待答复');
    const again = await sys.services.invitations.invite(w.admin.person.id, { orgId: w.committee.id, idNumber: w.invitee.idNumber, title: '委员' });
    expect(again.invitation.id).not.toBe(invitation.id);
  });

  it('R13 only admins who manage the organisation may invite, and only registered users', async () => {
    const w = await world();
    const otherAdmin = await buildPerson(sys, { name: '别处管理', password: 'Secret123' });
    const elsewhere = await buildOrg(sys, { kind: 'committee' });
    await sys.services.admins.add(elsewhere.id, otherAdmin.person.id);
    await expect(sys.services.invitations.invite(otherAdmin.person.id, { orgId: w.committee.id, idNumber: w.invitee.idNumber, title: '委员' })).rejects.toThrow(
      '无权',
    );
    // An admin of the committee cannot invite into the county body above it.
    await expect(sys.services.invitations.invite(w.admin.person.id, { orgId: w.county.id, idNumber: w.invitee.idNumber, title: '委员' })).rejects.toThrow(
      '无权',
    );
    expect(await w.inviteeChat.say('/invite')).toContain('只有组织管理员');
    const branchAdmin = await buildPerson(sys, { name: '支部管理', password: 'Secret123' });
    await sys.services.admins.add(w.branch.id, branchAdmin.person.id);
    const branchChat = new TestChat(sys);
    await branchChat.login(branchAdmin.idNumber, 'Secret123');
    expect(await branchChat.say('/invite')).toContain('都是团支部');
    await w.adminChat.say('/invite');
    await w.adminChat.press(`org:${w.committee.id}`);
    expect(await w.adminChat.say(makeIdNumber('19990909'))).toContain('尚未注册');
    expect(await w.adminChat.press(`org:${elsewhere.id}`)).toContain('请直接输入');
  });

  it('R13 an invitee who was not logged in sees the invitation in /invitations; holding the post already is refused', async () => {
    const w = await world();
    const offline = await buildPerson(sys, { name: '离线丙', branchId: w.branch.id, password: 'Secret123' });
    const { invitation, notified } = await sys.services.invitations.invite(w.admin.person.id, {
      orgId: w.committee.id,
      idNumber: offline.idNumber,
      title: '组织委员',
    });
    expect(notified).toBe(0);
    const chat = new TestChat(sys);
    await chat.login(offline.idNumber, 'Secret123');
    const listed = await chat.send({ type: 'command', name: 'invitations', args: '' });
    expect(listed.map((r) => r.text).join()).toContain('组织委员');
    expect(listed[1].choices?.[0].map((c) => c.value)).toEqual([`!inv:a:${invitation.id}`, `!inv:d:${invitation.id}`]);
    expect(await chat.press(`!inv:a:${invitation.id}`)).toContain('已接受');
    await expect(sys.services.invitations.invite(w.admin.person.id, { orgId: w.committee.id, idNumber: offline.idNumber, title: '组织委员' })).rejects.toThrow(
      '无需邀请',
    );
    expect(await chat.press('!inv:x:1')).toContain('已失效');
    expect(await chat.press('!inv:a:999999')).toContain('不存在');
  });

  it('random text, stray buttons and /cancel at every step of /invite always get an answer', async () => {
    const w = await world();
    const replies: string[] = [];
    const junk = async () => {
      replies.push(await w.adminChat.say('随便'));
      replies.push(await w.adminChat.press('nonsense'));
      replies.push(await w.adminChat.press('title:99'));
      replies.push(await w.adminChat.press('org-full'));
    };
    const steps = [
      async () => undefined,
      async () => void (await w.adminChat.press(`org:${w.committee.id}`)),
      async () => void (await w.adminChat.say(w.invitee.idNumber)),
      async () => void (await w.adminChat.press('title:0')),
    ];
    for (let upto = 0; upto < steps.length; upto++) {
      replies.push(await w.adminChat.say('/invite'));
      for (let i = 0; i <= upto; i++) await steps[i]();
      await junk();
      expect(await w.adminChat.say('/cancel')).toContain('已取消');
    }
    for (const r of replies) {
      expect(r.length).toBeGreaterThan(0);
      expect(r).not.toContain(GENERIC_ERROR);
    }
    expect(await Invitation.count({ where: { personId: w.invitee.person.id } })).toBe(0);
  });
});
