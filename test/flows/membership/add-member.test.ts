import { Post } from '../../../models';
import { buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { TestChat } from '../../helpers/chat';
import { buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { expectRobustAtEveryStep } from '../../helpers/fixtures/robustness';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

async function adminChat(orgId: number): Promise<TestChat> {
  const { idNumber, password } = await makeAdmin(sys, orgId);
  const chat = new TestChat(sys);
  expect(await chat.login(idNumber, password)).toContain('登录成功');
  return chat;
}

describe('/add_member (R7)', () => {
  it('R7 R3 a branch admin adds a member, who logs in with the last 8 characters and must change the password', async () => {
    const tree = await buildTree(sys, '甲');
    const chat = await adminChat(tree.branchA.id);
    expect(chat.menus.at(-1)).toBe('admin');
    expect(await chat.say('/add_member')).toContain(`添加到：${tree.branchA.fullName}`);
    const idNumber = makeIdNumber('20070412');
    expect(await chat.say(idNumber)).toContain('姓名');
    expect(await chat.say('孙小梅')).toContain('政治面貌');
    expect(await chat.say('群众')).toContain('请选择政治面貌');
    expect(await chat.press('role:member')).toContain('入团时间');
    expect(await chat.say('2021.5.4')).toContain('手机号码');
    const summary = await chat.say('13712345678');
    expect(summary).toContain('请核对');
    expect(summary).toContain(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
    expect(summary).not.toContain(idNumber);
    const done = await chat.send({ type: 'choice', value: 'confirm:yes' });
    expect(done[0].text).toContain('已添加 孙小梅');
    expect(done[0].text).toContain('后 8 位');
    expect(done[0].choices?.flat()[0].value).toBe(`/add_member ${tree.branchA.id}`);
    // The new member logs in with R3's initial password and must change it first.
    const member = new TestChat(sys);
    const login = await member.login(idNumber, idNumber.slice(-8));
    expect(login).toContain('登录成功');
    expect(login).toContain('请先设置新密码');
    expect(await member.say('/me')).toContain('请先设置新密码');
    // 继续添加 starts again in the same branch.
    expect(await chat.press(`/add_member ${tree.branchA.id}`)).toContain('身份证号码');
  });

  it('R7 a committee admin picks a branch below by search and adds a cadre with a post', async () => {
    const tree = await buildTree(sys, '乙');
    const chat = await adminChat(tree.school.id);
    expect(await chat.say('/add_member')).toContain('团支部名称');
    const found = await chat.send({ type: 'text', text: '高一' });
    const values = found
      .flatMap((r) => r.choices ?? [])
      .flat()
      .map((c) => c.value);
    expect(values).toEqual(expect.arrayContaining([`org:${tree.branchA.id}`, `org:${tree.branchB.id}`]));
    expect(values).not.toContain(`org:${tree.school.id}`); // only branches
    expect(await chat.press('org-full')).toContain(tree.branchB.fullName);
    expect(await chat.press(`org:${tree.branchB.id}`)).toContain('身份证号码');
    await chat.say(makeIdNumber('20010203'));
    await chat.say('钱多多');
    expect(await chat.press('role:cadre')).toContain('职务');
    expect(await chat.say('团支部书记')).toContain('入团时间');
    await chat.say('2016-05-04');
    expect(await chat.say('13612345678')).toContain('团干部（团支部书记）');
    expect(await chat.say('确认')).toContain('已添加 钱多多');
    const person = (await Post.findOne({ where: { orgId: tree.branchB.id, title: '团支部书记' } }))!;
    expect(person).not.toBeNull();
  });

  it("R7 an organisation outside the admin's subtree is refused with the reason", async () => {
    const tree = await buildTree(sys, '丙');
    const chat = await adminChat(tree.school.id);
    await chat.say('/add_member');
    expect(await chat.say('农业局')).toContain('只能添加到您管理的组织及其下级');
    expect(await chat.press(`org:${tree.otherBranch.id}`)).toContain('不是该组织或其上级组织的管理员');
    expect(await chat.say(`/add_member ${tree.otherBranch.id}`)).toContain('不是该组织或其上级组织的管理员');
    expect(await chat.say(`/add_member ${tree.school.id}`)).toContain('不是团支部');
    const plain = new TestChat(sys);
    const { idNumber } = await buildPerson(sys, { password: 'Plain2024x' });
    await plain.login(idNumber, 'Plain2024x');
    expect(await plain.say('/add_member')).toContain('只有组织管理员');
  });

  it('R4 R7 an ID number already registered is refused and another can be entered', async () => {
    const tree = await buildTree(sys, '丁');
    const chat = await adminChat(tree.branchA.id);
    const { idNumber } = await buildPerson(sys);
    await chat.say('/add_member');
    const refused = await chat.say(idNumber);
    expect(refused).toContain('不能重复注册');
    expect(refused).toContain('/login');
    expect(await chat.say(makeIdNumber('20050505'))).toContain('姓名');
  });

  it('/cancel, stray text and stale buttons at every step never crash', async () => {
    const tree = await buildTree(sys, '戊');
    const { person } = await makeAdmin(sys, tree.school.id);
    await expectRobustAtEveryStep(
      sys,
      [
        async (c) => expect(await c.say('/add_member')).toContain('团支部名称'),
        async (c) => expect(await c.say('高一')).toContain('请点击选择'),
        async (c) => expect(await c.press(`org:${tree.branchA.id}`)).toContain('身份证号码'),
        async (c) => expect(await c.say(makeIdNumber('20060606'))).toContain('姓名'),
        async (c) => expect(await c.say('周小周')).toContain('政治面貌'),
        async (c) => expect(await c.press('role:cadre')).toContain('职务'),
        async (c) => expect(await c.press('post:skip')).toContain('入团时间'),
        async (c) => expect(await c.say('2021-05-04')).toContain('手机号码'),
        async (c) => expect(await c.say('13512345678')).toContain('请核对'),
      ],
      async () => {
        // Bound directly: logging in through /login 144 times would only slow the test down.
        const chat = new TestChat(sys);
        await sys.services.bindings.bind('test', chat.userId, chat.userId, person.id);
        return chat;
      },
    );
  }, 120_000);
});
