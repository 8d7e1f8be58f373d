import { AUDIT_PAGE_SIZE } from '../../../server/services/audit/audit-trail';
import { formatChinaTime } from '../../../server/lib/china-datetime';
import { AuditLog } from '../../../models';
import { birthYearsAgo, buildTree, makeAdmin, newAdminInput } from '../../helpers/fixtures/admin-fixtures';
import { TestChat } from '../../helpers/chat';
import { makeIdNumber } from '../../helpers/fixtures/factories';
import { expectRobustAtEveryStep } from '../../helpers/fixtures/robustness';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

async function adminChat(orgId: number, name?: string) {
  const admin = await makeAdmin(sys, orgId, name);
  const chat = new TestChat(sys);
  await sys.services.bindings.bind('test', chat.userId, chat.userId, admin.person.id);
  return { chat, ...admin };
}

const choiceValues = (replies: { choices?: { value: string }[][] }[]) =>
  replies
    .flatMap((r) => r.choices ?? [])
    .flat()
    .map((c) => c.value);

describe('/admin_code (R6) and /audit (permissions)', () => {
  it('R6 an admin sees its code and rotates it; the old code stops working; the rotation is audited', async () => {
    const tree = await buildTree(sys, '甲');
    const { chat, person } = await adminChat(tree.branchA.id);
    const old = tree.branchA.adminCode;
    const shown = await chat.send({ type: 'command', name: 'admin_code', args: '' });
    expect(shown[0].text).toContain(old);
    const ask = choiceValues(shown).find((v) => v.startsWith('!admin-code:ask:'))!;
    expect(await chat.press(ask)).toContain('确定更换');
    expect(await chat.press(`!admin-code:keep:${tree.branchA.id}`)).toContain('已保留');
    const rotated = await chat.press(`!admin-code:rotate:${tree.branchA.id}`);
    const fresh = (await sys.services.organisations.require(tree.branchA.id)).adminCode;
    expect(fresh).not.toBe(old);
    expect(rotated).toContain(fresh);
    await expect(sys.services.adminRegistration.registerAdmin(newAdminInput({ id: tree.branchA.id, adminCode: old }, sys.clock.now))).rejects.toMatchObject({
      code: 'ADMIN_CODE_WRONG',
    });
    await expect(sys.services.adminRegistration.registerAdmin(newAdminInput({ id: tree.branchA.id, adminCode: fresh }, sys.clock.now))).resolves.toMatchObject({
      created: true,
    });
    const row = await AuditLog.findOne({ where: { action: 'admin_code.rotate', orgId: tree.branchA.id } });
    expect(row?.actorPersonId).toBe(person.id);
    expect(row?.after).not.toContain(fresh); // the live code is not written to the log
  });

  it('R6 admins above see and rotate the codes of organisations below; others are refused', async () => {
    const tree = await buildTree(sys, '乙');
    const { chat: city } = await adminChat(tree.city.id);
    await city.say('/admin_code');
    const found = await city.send({ type: 'text', text: '高一' });
    expect(choiceValues(found)).toContain(`org:${tree.branchB.id}`);
    expect(await city.press(`org:${tree.branchB.id}`)).toContain(tree.branchB.adminCode);
    expect(await city.press(`!admin-code:rotate:${tree.branchB.id}`)).toContain('已更换');
    expect(await city.say('农业局')).toContain('没有找到'); // a sibling subtree is not searched …
    expect(await city.press(`org:${tree.otherBranch.id}`)).toContain('无权'); // … nor shown on a forged button
    const { chat: branch } = await adminChat(tree.branchA.id);
    expect(await branch.press(`!admin-code:rotate:${tree.school.id}`)).toContain('无权'); // never upwards
    expect(await branch.press(`!admin-code:ask:${tree.branchB.id}`)).toContain('无权'); // nor sideways
    const member = new TestChat(sys);
    expect(await member.say('/admin_code')).toContain('请先登录');
  });

  it('audit rows are visible in /audit to an admin above, ID numbers masked, not to an unrelated admin', async () => {
    const tree = await buildTree(sys, '丙');
    const { chat: branchChat, person: branchAdmin } = await adminChat(tree.branchA.id, '钱支书');
    const idNumber = makeIdNumber(birthYearsAgo(sys.clock.now, 17));
    await sys.services.members.addMember(branchAdmin.id, {
      orgId: tree.branchA.id,
      idNumber,
      name: '孙小梅',
      role: 'member',
      joinedLeagueAt: '2023-05-04',
      phone: '13712345678',
    });
    await branchChat.press(`!admin-code:rotate:${tree.branchA.id}`);
    const { chat: city } = await adminChat(tree.city.id);
    const seen = await city.say('/audit');
    expect(seen).toContain('添加团员/团干部');
    expect(seen).toContain('更换管理员注册码');
    expect(seen).toContain('钱支书');
    expect(seen).toContain('孙小梅');
    expect(seen).toContain(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
    expect(seen).not.toContain(idNumber);
    expect(seen.indexOf('更换管理员注册码')).toBeLessThan(seen.indexOf('添加团员/团干部')); // newest first
    const { chat: county } = await adminChat(tree.other.id);
    const unrelated = await county.say('/audit');
    expect(unrelated).toContain('暂无操作记录');
    expect(unrelated).not.toContain('孙小梅');
    // The branch admin sees its own branch, but not what happens in the sibling branch.
    await sys.services.members.addMember((await makeAdmin(sys, tree.branchB.id)).person.id, {
      orgId: tree.branchB.id,
      idNumber: makeIdNumber('20080808'),
      name: '李隔壁',
      role: 'member',
      joinedLeagueAt: '2023-05-04',
      phone: '13712345679',
    });
    const own = await branchChat.say('/audit');
    expect(own).toContain('孙小梅');
    expect(own).not.toContain('李隔壁');
  });

  it(`/audit pages ${AUDIT_PAGE_SIZE} at a time (one message) with a 下一页 button`, async () => {
    const tree = await buildTree(sys, '丁');
    const { chat, person } = await adminChat(tree.branchA.id);
    for (let i = 0; i < AUDIT_PAGE_SIZE + 1; i++) await sys.services.adminCodes.rotate(person.id, tree.branchA.id);
    const first = await chat.send({ type: 'command', name: 'audit', args: '' });
    expect(first[0].text.match(/更换管理员注册码/g)).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first[0].text.length).toBeLessThanOrEqual(4096);
    const next = choiceValues(first).find((v) => v.startsWith('!audit:'))!;
    expect(next).toBeTruthy();
    const second = await chat.press(next);
    expect(second.match(/更换管理员注册码/g)).toHaveLength(1);
    expect(second).toContain('已是最早的记录');
    const { chat: county } = await adminChat(tree.other.id);
    expect(await county.press(next)).not.toContain('更换管理员注册码'); // the cursor never widens what one may see
  });

  it('the audit log reads as Chinese: actions, people by name with masked ID numbers, fields and stages by their labels, Beijing time', async () => {
    const tree = await buildTree(sys, '庚');
    const { chat, person: admin } = await adminChat(tree.branchA.id, '周审核');
    const idNumber = makeIdNumber(birthYearsAgo(sys.clock.now, 16));
    const { app, person } = await sys.services.applications.applyToJoin({
      idNumber,
      name: '吴申请',
      phone: '13800138000',
      branchId: tree.branchA.id,
      statement: '我志愿加入中国共产主义青年团，努力学习。',
      password: 'Apply2024x',
    });
    const { decisions } = sys.services.applications;
    await decisions.move(admin.id, app.id, 'submitted', 'accepted');
    await decisions.move(admin.id, app.id, 'accepted', 'activist');
    await decisions.move(admin.id, app.id, 'activist', 'candidate');
    await decisions.move(admin.id, app.id, 'candidate', 'admitted');
    const seen = await chat.say('/audit');
    expect(seen).toContain('批准入团申请');
    expect(seen).toContain('受理入团申请');
    expect(seen).toContain(`申请人：吴申请（${person.idMasked}）`);
    expect(seen).toContain('阶段：发展对象');
    expect(seen).toContain('阶段：已入团');
    expect(seen).toContain(`所在团支部：${tree.branchA.fullName}`);
    expect(seen).toContain('政治面貌：团员');
    expect(seen).not.toMatch(/[a-z]+\.[a-z]+|personId|stage=|branchId/);
    expect(seen).toContain(formatChinaTime(sys.clock.now).slice(0, 10));
  });

  it('/cancel, stray text and stale buttons at every step of /admin_code and /audit never crash', async () => {
    const tree = await buildTree(sys, '戊');
    const { person } = await makeAdmin(sys, tree.school.id);
    const makeChat = async () => {
      const chat = new TestChat(sys);
      await sys.services.bindings.bind('test', chat.userId, chat.userId, person.id);
      return chat;
    };
    await expectRobustAtEveryStep(
      sys,
      [
        async (c) => expect(await c.say('/admin_code')).toContain(tree.school.adminCode),
        async (c) => expect(await c.say('高一')).toContain('请点击选择'),
        async (c) => expect(await c.press(`org:${tree.branchA.id}`)).toContain('管理员注册码'),
      ],
      makeChat,
    );
    await expectRobustAtEveryStep(sys, [async (c) => expect(await c.say('/audit')).toContain('操作记录')], makeChat);
  }, 120_000);
});
