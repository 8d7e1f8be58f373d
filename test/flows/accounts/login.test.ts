import { TestChat } from '../../helpers/chat';
import { buildOrg, buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';
import { renderedFor } from '../../helpers/notices';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

describe('login, profile and logout flows', () => {
  it('R2 R3 a created account logs in with the last 8 ID characters and must change the password first', async () => {
    const branch = await buildOrg(sys, { kind: 'branch' });
    const { idNumber } = await buildPerson(sys, { name: '李四', branchId: branch.id });
    const chat = new TestChat(sys);
    expect(await chat.say('/login')).toContain('身份证号码');
    expect(await chat.say(idNumber.toLowerCase())).toContain('密码');
    const afterPassword = await chat.say(idNumber.slice(-8));
    expect(chat.deletions).toBe(2); // the ID number's message and the password's are deleted
    expect(afterPassword).toContain('登录成功');
    expect(afterPassword).toContain('初始密码');
    // Every other command waits for the change (R3).
    expect(await chat.say('/me')).toContain('请先设置新密码');
    expect(await chat.say('abc')).toContain('8-64');
    expect(await chat.say(idNumber.slice(-8))).toMatch(/8-64|字母和数字|初始密码/);
    expect(await chat.say('Newpass2024')).toContain('再输入一次');
    expect(await chat.say('Newpass2024')).toContain('密码已修改');
    const me = await chat.say('/me');
    expect(me).toContain('李四');
    expect(me).toContain(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
    expect(me).not.toContain(idNumber);
    expect(me).toContain(branch.fullName);
    // The new password works and the old one no longer does.
    const other = new TestChat(sys);
    expect(await other.login(idNumber, idNumber.slice(-8))).toContain('不正确');
    await other.say('/cancel');
    expect(await other.login(idNumber, 'Newpass2024')).toContain('登录成功');
  });

  it('R2 a wrong password asks for the password again (the ID number kept); a button goes back to the ID number; every such message deleted', async () => {
    const { idNumber } = await buildPerson(sys, { name: '重输', password: 'Secret123' });
    const chat = new TestChat(sys);
    await chat.say('/login');
    await chat.say(idNumber);
    const wrong = await chat.send({ type: 'text', text: 'Wrong1234' });
    expect(wrong[0].text).toContain('不正确');
    expect(wrong[0].text).toContain('请重新输入密码');
    expect(wrong[0].choices?.flat().map((c) => c.value)).toContain('login:id');
    expect(wrong[0].inputHint).toBe('password');
    expect(await chat.say('Secret123')).toContain('登录成功，重输');
    expect(chat.deletions).toBe(3); // the ID number and both passwords
    // The button instead: back to the ID number.
    const other = new TestChat(sys);
    await other.say('/login');
    await other.say(idNumber);
    await other.say('Wrong1234');
    expect(await other.press('login:id')).toContain('请输入您的身份证号码');
    expect(await other.say(makeIdNumber())).toContain('请输入密码');
  });

  it('R2 a sticker, a photo or a location at the password step is not a failed try', async () => {
    const { idNumber, person } = await buildPerson(sys, { password: 'Secret123' });
    const chat = new TestChat(sys);
    await chat.say('/login');
    await chat.say(idNumber);
    for (const kind of ['sticker', 'photo', 'location']) {
      const [reply] = await chat.send({ type: 'other', kind });
      expect(reply.text).toContain('请直接输入密码文字');
    }
    expect(await sys.services.deps.db.fast.all('SELECT failures FROM rate_limits WHERE key = ?', [`login:person:${person.id}`])).toEqual([]);
    expect(await chat.say('Secret123')).toContain('登录成功');
  });

  it('R1 login refuses an ID number with a wrong check digit at once', async () => {
    const chat = new TestChat(sys);
    await chat.say('/login');
    const id = makeIdNumber();
    const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    expect(await chat.say(wrong)).toContain('校验位');
    expect(await chat.say(id)).toContain('请输入密码');
  });

  it('R2 login failures are limited per chat user (the source) with growing delays', async () => {
    const { idNumber } = await buildPerson(sys, { password: 'Secret123' });
    const chat = new TestChat(sys);
    for (let i = 0; i < 5; i++) {
      expect(await chat.login(idNumber, 'wrong-pass')).toContain('不正确');
      await chat.say('/cancel');
    }
    // Five tries passed: even the right password waits now, 30 s at first.
    expect(await chat.login(idNumber, 'Secret123')).toContain('后再试');
    await chat.say('/cancel');
    sys.clock.advance(29_000);
    expect(await chat.login(idNumber, 'Secret123')).toContain('后再试');
    await chat.say('/cancel');
    sys.clock.advance(2_000);
    expect(await chat.login(idNumber, 'Secret123')).toContain('登录成功');
  });

  it('R2 failures from other chats slow the account down gently, never lock the owner out, and the owner is told', async () => {
    const { idNumber, person } = await buildPerson(sys, { password: 'Secret123' });
    const usual = new TestChat(sys);
    expect(await usual.login(idNumber, 'Secret123')).toContain('登录成功');
    await usual.say('/logout');
    const phone = new TestChat(sys); // where the owner stays logged in, and is told
    expect(await phone.login(idNumber, 'Secret123')).toContain('登录成功');
    for (let i = 0; i < 5; i++) {
      const stranger = new TestChat(sys);
      expect(await stranger.login(idNumber, 'guess-' + i)).toContain('不正确');
    }
    // A chat new to the account waits a little (seconds, not an hour) …
    const fresh = new TestChat(sys);
    const held = await fresh.login(idNumber, 'Secret123');
    expect(held).toContain('后再试');
    expect(held).toMatch(/\d+ 秒/);
    // … the chat the owner logged in from before does not wait at all.
    expect(await usual.login(idNumber, 'Secret123')).toContain('登录成功');
    const alerts = (await renderedFor(person.id)).map((m) => m.text);
    expect(alerts.filter((t) => t.includes('账号安全提醒'))).toHaveLength(1);
    expect(alerts[0]).toContain('5 次');
  });

  it('R2 a login ends after 30 days without a message; a chat in use stays logged in', async () => {
    const { idNumber } = await buildPerson(sys, { name: '许久', password: 'Secret123' });
    const idle = new TestChat(sys);
    const busy = new TestChat(sys);
    expect(await idle.login(idNumber, 'Secret123')).toContain('登录成功');
    expect(await busy.login(idNumber, 'Secret123')).toContain('登录成功');
    for (let day = 0; day < 31; day++) {
      sys.clock.advance(86_400_000);
      expect(await busy.say('/me')).toContain('许久'); // used every day: the login goes on
    }
    const after = await idle.say('/me');
    expect(after).toContain('已超过 30 天未使用，已自动退出');
    expect(after).toContain('请先登录');
    expect(await idle.say('/me')).not.toContain('已自动退出'); // told once; the login is gone
    expect(await busy.say('/me')).toContain('许久');
  });

  it("R2 a password change ends every other chat's login; the chat that changed it stays", async () => {
    const { idNumber } = await buildPerson(sys, { name: '换密', password: 'Secret123' });
    const phone = new TestChat(sys);
    const laptop = new TestChat(sys);
    await phone.login(idNumber, 'Secret123');
    await laptop.login(idNumber, 'Secret123');
    await phone.say('/password');
    await phone.say('Secret123');
    await phone.say('Newer2024x');
    expect(await phone.say('Newer2024x')).toContain('您在其他 1 个聊天中的登录已退出');
    expect(await laptop.say('/me')).toContain('请先登录');
    expect(await phone.say('/me')).toContain('换密');
  });

  it('/me and /logout need a login; /logout unbinds; personal commands refuse group chats', async () => {
    const { idNumber } = await buildPerson(sys, { password: 'Secret123' });
    const chat = new TestChat(sys);
    expect(await chat.say('/me')).toContain('请先登录');
    await chat.login(idNumber, 'Secret123');
    expect(chat.menus.at(-1)).toBe('member');
    expect(await chat.say('/logout')).toContain('已退出');
    expect(chat.menus.at(-1)).toBe('guest');
    expect(await chat.say('/me')).toContain('请先登录');
    const group = new TestChat(sys, chat.userId, { chatId: '-100123', isPrivate: false });
    expect(await group.say('/login')).toContain('私聊');
  });

  it('/cancel leaves a conversation; stray text and stale buttons get an answer', async () => {
    const chat = new TestChat(sys);
    await chat.say('/login');
    expect(await chat.say('/cancel')).toContain('已取消');
    expect(await chat.say('随便说点什么')).toContain('/start');
    expect(await chat.press('whatever')).toContain('已失效');
    expect(await chat.say('/nonsense')).toContain('没有 /nonsense');
  });

  it('a repeated update id is handled once', async () => {
    const chat = new TestChat(sys);
    const first = await chat.send({ type: 'command', name: 'start', args: '' }, 424242);
    const again = await chat.send({ type: 'command', name: 'start', args: '' }, 424242);
    expect(first.length).toBe(1);
    expect(again).toEqual([]);
  });

  it('a restart in the middle of a conversation loses nothing', async () => {
    const { idNumber } = await buildPerson(sys, { password: 'Secret123' });
    const chat = new TestChat(sys);
    await chat.say('/login');
    await chat.say(idNumber);
    // A second process on the same database and key: the conversation carries on there.
    const restarted = await sys.reopen();
    const after = new TestChat(restarted, chat.userId);
    expect(await after.say('Secret123')).toContain('登录成功');
    expect(await after.say('/me')).toContain('张三');
  });
});
