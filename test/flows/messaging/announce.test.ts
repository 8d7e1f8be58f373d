/**
 * R21 /announce in chat: an admin writes to its subtree (one kind of organisation here), sees
 * the preview with the recipient count, edits, confirms, and follows the delivery counts;
 * the recipients read it in their chats. Non-admins and forged organisation picks are refused.
 */
import { buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { TestChat } from '../../helpers/chat';
import { buildPerson } from '../../helpers/fixtures/factories';
import { takeRendered } from '../../helpers/notices';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
let t: Awaited<ReturnType<typeof buildTree>>;

beforeAll(async () => {
  sys = await createTestSystem();
  t = await buildTree(sys, '播');
});
afterAll(() => sys.close());

async function loggedIn(admin: { idNumber: string; password: string }): Promise<TestChat> {
  const chat = new TestChat(sys);
  expect(await chat.login(admin.idNumber, admin.password)).toContain('登录成功');
  return chat;
}

async function member(name: string, branchId: number, chatId: string): Promise<number> {
  const { person } = await buildPerson(sys, { name, branchId });
  await sys.services.bindings.bind('test', chatId, chatId, person.id);
  return person.id;
}

describe('R21 /announce and /announcements', () => {
  it("R21 write, preview with the count, edit, confirm; the branches' members get it, the progress shows the counts", async () => {
    const admin = await loggedIn(await makeAdmin(sys, t.school.id, '钱校管'));
    await member('甲同学', t.branchA.id, 'ann-a');
    await member('乙同学', t.branchB.id, 'ann-b');
    await member('县同学', t.otherBranch.id, 'ann-c');

    const first = await admin.send({ type: 'command', name: 'announce', args: '' });
    expect(first[0].text).toContain(`发布范围：${t.school.fullName} 及其下级组织`);
    expect(first[0].choices!.flat().map((c) => c.value)).toEqual(['aud:all', 'aud:cadres']);
    const kinds = await admin.send({ type: 'choice', value: 'aud:all' });
    expect(kinds[0].choices!.flat().map((c) => c.label)).toEqual(['所有组织', '仅团委', '仅团支部']);
    expect(await admin.press('kind:branch')).toContain('请输入通知内容');
    const preview = await admin.say('请各团支部本周五前提交团员名单。');
    expect(preview).toContain('【预览】');
    expect(preview).toContain(`【通知】${t.school.fullName}`);
    expect(preview).toContain('对象：全体团员和团干部（仅团支部）');
    expect(preview).toContain('共 2 人，其中 2 人已在聊天中登录');
    expect(await admin.press('edit')).toContain('请输入通知内容');
    expect(await admin.say('请各团支部本周四前提交团员名单。')).toContain('本周四前');
    const sent = await admin.send({ type: 'choice', value: 'send' });
    expect(sent[0].text).toContain('✅ 通知已发布');
    const progressButton = sent[0].choices![0][0].value;
    expect(progressButton).toMatch(/^!ann:s:\d+$/);
    expect(await admin.press('send')).toContain('按钮已失效'); // a second press publishes nothing

    expect(await admin.press(progressButton)).toContain('正在后台排队');
    while (await sys.services.announcements.enqueueNext());
    const progress = await admin.press(progressButton);
    expect(progress).toContain('共 2 人：2 人已登录可送达（2 条消息），0 人未登录');
    expect(progress).toContain('已发送 0，待发送 2，已屏蔽机器人 0，失败 0');

    for (const chat of ['ann-a', 'ann-b']) expect((await takeRendered(sys, 'test', chat)).map((r) => r.text).join()).toContain('本周四前提交团员名单');
    expect(await takeRendered(sys, 'test', 'ann-c')).toEqual([]);
    expect(await admin.press(progressButton)).toContain('✅ 发送已完成');
    expect(await admin.say('/announcements')).toContain('请各团支部本周四前提交团员名单');
    expect(await admin.say('/audit')).toContain('发布通知');
  });

  it('R21 an admin of two organisations picks one; a forged pick of another subtree is refused; members may not announce', async () => {
    const idNumber = (await makeAdmin(sys, t.branchA.id, '双管')).idNumber;
    const both = await sys.services.accounts.findByIdNumber(idNumber);
    await sys.services.admins.add(t.otherBranch.id, both!.id);
    const admin = await loggedIn({ idNumber, password: 'Admin2024x' });
    const start = await admin.send({ type: 'command', name: 'announce', args: '' });
    expect(
      start[0]
        .choices!.flat()
        .map((c) => c.value)
        .sort(),
    ).toEqual([`org:${t.branchA.id}`, `org:${t.otherBranch.id}`].sort());
    const forged = await admin.press(`org:${t.school.id}`);
    expect(forged).toContain('不能向它发布通知');
    expect(forged).not.toContain(t.school.fullName);
    expect(await admin.press(`org:${t.otherBranch.id}`)).toContain(`发布范围：${t.otherBranch.fullName}`);
    await admin.say('/cancel');

    const { idNumber: memberId } = await buildPerson(sys, { name: '普通团员', branchId: t.branchA.id, password: 'Member2024x' });
    const plain = await loggedIn({ idNumber: memberId, password: 'Member2024x' });
    expect(await plain.say('/announce')).toContain('只有组织管理员可以发布通知');
    expect(await plain.say('/announcements')).toContain('只有组织管理员');
  });
});
