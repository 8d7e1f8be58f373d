import { AuditLog, Person } from '../../../models';
import { RESET_RULE } from '../../../server/services/accounts/password-resets';
import { buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { queuedFor } from '../../helpers/fixtures/applicants';
import { TestChat } from '../../helpers/chat';
import { buildPerson } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
let tags = 0;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const tree = () => buildTree(sys, `重${++tags}`);
async function loggedIn(idNumber: string, password: string): Promise<TestChat> {
  const chat = new TestChat(sys);
  expect(await chat.login(idNumber, password)).toContain('登录成功');
  return chat;
}

/** Runs /reset_password to the confirmation; returns the confirmation's text. */
async function resetBy(chat: TestChat, query: string, personId: number): Promise<string> {
  await chat.say('/reset_password');
  const found = await chat.send({ type: 'text', text: query });
  expect(found[0].choices?.flat().map((c) => c.value)).toContain(`reset:${personId}`);
  expect(await chat.press(`reset:${personId}`)).toContain('确认重置');
  return chat.press('reset:yes');
}

describe('/reset_password: a forgotten password has a way back', () => {
  it('R3 an admin resets a member of its subtree: initial password, forced change, every chat logged out, the member told, audited', async () => {
    const t = await tree();
    const admin = await makeAdmin(sys, t.school.id, '钱重置');
    const { person, idNumber } = await buildPerson(sys, { name: '忘记了', branchId: t.branchA.id, password: 'Forgot2024x' });
    const phone = await loggedIn(idNumber, 'Forgot2024x');
    const laptop = await loggedIn(idNumber, 'Forgot2024x');
    const adminChat = await loggedIn(admin.idNumber, admin.password);

    const done = await resetBy(adminChat, '忘记了', person.id);
    expect(done).toContain('已把 忘记了');
    expect(done).toContain('在 2 个聊天中的登录已退出');
    expect(done).not.toContain(idNumber);
    for (const chat of [phone, laptop]) expect(await chat.say('/me')).toContain('请先登录');
    expect((await queuedFor(person.id)).map((m) => m.text)).toEqual(expect.arrayContaining([expect.stringContaining('【密码已重置】管理员 钱重置')]));
    expect(await AuditLog.count({ where: { action: 'account.password_reset', targetId: String(person.id) } })).toBe(1);
    expect(await adminChat.say('/audit')).toContain('重置密码');

    // The member logs in with the initial password and must change it first.
    const again = new TestChat(sys);
    const login = await again.login(idNumber, idNumber.slice(-8));
    expect(login).toContain('登录成功');
    expect(login).toContain('请先设置新密码');
    expect(await again.say('/me')).toContain('请先设置新密码');
    expect((await Person.findByPk(person.id))!.mustChangePassword).toBe(true);
  });

  it('R3 found by ID number too (the message with it deleted)', async () => {
    const t = await tree();
    const admin = await makeAdmin(sys, t.branchA.id);
    const { person, idNumber } = await buildPerson(sys, { name: '号码找', branchId: t.branchA.id });
    const chat = await loggedIn(admin.idNumber, admin.password);
    const deletionsBefore = chat.deletions;
    expect(await resetBy(chat, idNumber, person.id)).toContain('已把 号码找');
    expect(chat.deletions).toBe(deletionsBefore + 1);
  });

  it('R3 never another admin of the same or a higher organisation, never outside the subtree, never by a member; a forged button learns nothing', async () => {
    const t = await tree();
    const schoolAdmin = await makeAdmin(sys, t.school.id, '校管一');
    const schoolAdmin2 = await makeAdmin(sys, t.school.id, '校管二');
    const branchAdmin = await makeAdmin(sys, t.branchA.id, '班管');
    const outsider = await makeAdmin(sys, t.otherBranch.id, '外管');
    const member = await buildPerson(sys, { name: '普通团员', branchId: t.branchA.id, password: 'Member2024x' });
    const cases: Array<[string, { idNumber: string; password: string }, number, boolean]> = [
      ['the branch admin resets the school admin above it', branchAdmin, schoolAdmin.person.id, false],
      ['a school admin resets the other school admin', schoolAdmin, schoolAdmin2.person.id, false],
      ['an admin of another subtree resets a member here', outsider, member.person.id, false],
      ['a member resets another member', { idNumber: member.idNumber, password: 'Member2024x' }, branchAdmin.person.id, false],
      ['the school admin resets the branch admin below it', schoolAdmin, branchAdmin.person.id, true],
    ];
    for (const [what, actor, targetId, allowed] of cases) {
      const chat = await loggedIn(actor.idNumber, actor.password);
      const target = (await Person.findByPk(targetId))!;
      if (allowed) {
        expect({ what, done: await resetBy(chat, target.name, targetId) }).toEqual({ what, done: expect.stringContaining('已把') });
        continue;
      }
      await chat.say('/reset_password');
      const found = await chat.send({ type: 'text', text: target.name });
      expect({ what, offered: found[0].choices?.flat().some((c) => c.value === `reset:${targetId}`) ?? false }).toEqual({ what, offered: false });
      const forged = await chat.press(`reset:${targetId}`);
      expect({ what, forged: forged.includes('确认重置') || forged.includes(target.idMasked) }).toEqual({ what, forged: false });
      expect(await AuditLog.count({ where: { action: 'account.password_reset', targetId: String(targetId) } })).toBe(0);
      await chat.say('/cancel');
    }
  });

  it(`R3 resets are rate-limited: ${RESET_RULE.freeAttempts} in a row, then a wait`, async () => {
    const t = await tree();
    const admin = await makeAdmin(sys, t.school.id);
    const people = await Promise.all(
      Array.from({ length: RESET_RULE.freeAttempts + 1 }, (_, i) => buildPerson(sys, { name: `批量${i}`, branchId: t.branchB.id })),
    );
    for (const p of people.slice(0, -1)) await sys.services.passwordResets.reset(admin.person.id, p.person.id);
    await expect(sys.services.passwordResets.reset(admin.person.id, people.at(-1)!.person.id)).rejects.toMatchObject({ code: 'RESET_LIMITED' });
  });
});
