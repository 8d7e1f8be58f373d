import { menuCommands } from '../../../flows/engine/menu';
import { shortLabel } from '../../../flows/engine/org-picker';
import type { Reply } from '../../../flows/engine/types';
import { buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { TestChat } from '../../helpers/chat';
import { buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const labels = (replies: Reply[]) =>
  replies
    .flatMap((r) => r.choices ?? [])
    .flat()
    .map((c) => c.label);

describe('menus that fit the person', () => {
  it('R8 an admin sees what waits first, with the count, the admin tools before the member ones, 退出登录 last; the login says what waits', async () => {
    const t = await buildTree(sys, '菜');
    const admin = await makeAdmin(sys, t.branchA.id, '钱菜单');
    for (let i = 0; i < 3; i++) {
      await sys.services.applications.registerMember({
        idNumber: makeIdNumber('20000101'),
        name: '李小红',
        joinedLeagueAt: '2016-09-01',
        role: 'member',
        branchId: t.branchA.id,
        phone: '13800138000',
        password: 'Apply2024x',
      });
    }
    const chat = new TestChat(sys);
    await chat.say('/login');
    await chat.say(admin.idNumber);
    const greeting = await chat.send({ type: 'text', text: admin.password });
    expect(greeting[0].text).toContain('有 3 份申请待审核');
    const buttons = labels(greeting);
    expect(buttons[0]).toBe('待审批的申请（3）');
    expect(buttons.at(-1)).toBe('退出登录');
    expect(buttons.indexOf('导入团员')).toBeLessThan(buttons.indexOf('我的信息'));
    expect(buttons.indexOf('操作记录')).toBeLessThan(buttons.indexOf('修改密码'));
    const commands = menuCommands('admin').map((c) => c.command);
    expect(commands.slice(-3)).toEqual(['logout', 'help', 'cancel']);
  });

  it('R6 a member does not see 管理员注册 once logged in; a guest does', async () => {
    expect(menuCommands('guest').map((c) => c.command)).toContain('register_admin');
    expect(menuCommands('member').map((c) => c.command)).not.toContain('register_admin');
    const { idNumber } = await buildPerson(sys, { password: 'Member2024x' });
    const chat = new TestChat(sys);
    await chat.login(idNumber, 'Member2024x');
    const menu = labels(await chat.send({ type: 'command', name: 'start', args: '' }));
    expect(menu).not.toContain('管理员注册');
    expect(menu.at(-1)).toBe('退出登录');
  });

  it('民族 and 学历 are buttons (the common ones, plus 其他)', async () => {
    const { idNumber, person } = await buildPerson(sys, { password: 'Member2024x' });
    const chat = new TestChat(sys);
    await chat.login(idNumber, 'Member2024x');
    await chat.say('/profile');
    const asked = await chat.send({ type: 'choice', value: 'field:ethnicity' });
    expect(labels(asked)).toEqual(expect.arrayContaining(['汉族', '回族', '其他']));
    expect(await chat.press('eth:other')).toContain('请直接输入民族的全称');
    expect(await chat.say('朝鲜族')).toContain('民族已修改');
    await chat.press('field:ethnicity');
    expect(await chat.press('eth:1')).toContain('民族：回族');
    expect(labels(await chat.send({ type: 'choice', value: 'field:education' }))).toEqual(expect.arrayContaining(['本科', '高中']));
    expect((await sys.services.accounts.get(person.id))!.ethnicity).toBe('回族');
  });

  it('a long organisation name in a button keeps the end that tells it apart', () => {
    const label = shortLabel('共青团宁夏示范大学信息工程学院计算机科学（1）班支部委员会');
    expect(label.startsWith('…')).toBe(true);
    expect(label).toContain('（1）班支部委员会');
    expect(Array.from(label).length).toBeLessThanOrEqual(14);
    expect(shortLabel('计科1班团支部')).toBe('计科1班团支部');
  });
});
