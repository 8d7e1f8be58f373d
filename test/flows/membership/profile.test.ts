import { GENERIC_ERROR } from '../../../flows/engine/runner';
import { Person } from '../../../models';
import { EDITED_REASON } from '../../../server/services/accounts/identity';
import { TestChat } from '../../helpers/chat';
import { buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

async function loggedIn(name = '王明') {
  const { person, idNumber } = await buildPerson(sys, { name, password: 'Secret123' });
  await sys.services.identity.verifyPerson(person.id);
  const chat = new TestChat(sys);
  expect(await chat.login(idNumber, 'Secret123')).toContain('登录成功');
  return { chat, person, idNumber };
}

describe('/profile (修改资料)', () => {
  it('R5 shows the verification state; editing the name resets it to pending with the reason, also in /me', async () => {
    const { chat, person } = await loggedIn();
    const card = await chat.say('/profile');
    expect(card).toContain('实名认证：已认证');
    expect(await chat.press('field:name')).toContain('重新认证');
    const saved = await chat.say('王 明明');
    expect(saved).toContain('姓名已修改');
    expect(saved).toContain(`待认证（${EDITED_REASON}）`);
    expect(await chat.press('done')).toContain('完成');
    expect(await chat.say('/me')).toContain(`实名认证：待认证（${EDITED_REASON}）`);
    const fresh = (await Person.findByPk(person.id))!;
    expect(fresh.name).toBe('王明明');
    await sys.services.identity.reverifyPending(100);
    expect(await chat.say('/me')).toContain('实名认证：已认证');
  });

  it("R5 R4 the ID number is changed after a warning and a confirmation; another account's number is refused", async () => {
    const { chat, person, idNumber } = await loggedIn('李红');
    const other = await buildPerson(sys, { name: '李白' });
    await chat.say('/profile');
    const warning = await chat.press('field:idNumber');
    expect(warning).toContain('⚠️');
    expect(warning).toContain('重新实名认证');
    expect(await chat.say('12345')).toContain('18 位');
    expect(await chat.say(other.idNumber)).toContain('确认把身份证号码改为');
    const refused = await chat.press('confirm');
    expect(refused).toContain('另一个账号');
    expect(refused).toContain('请输入新的身份证号码');
    const newId = makeIdNumber('19980707');
    expect(await chat.say(newId)).toContain(`${newId.slice(0, 6)}********${newId.slice(-4)}`);
    expect(await chat.press('confirm')).toContain('身份证号码已修改');
    const fresh = (await Person.findByPk(person.id))!;
    expect(fresh.idMasked).toBe(`${newId.slice(0, 6)}********${newId.slice(-4)}`);
    expect(fresh.verificationState).toBe('pending');
    // The state never holds the whole number in clear.
    expect(JSON.stringify(await sys.services.conversations.load('test', chat.userId))).not.toContain(newId);
    await chat.say('/logout');
    expect(await chat.login(idNumber, 'Secret123')).toContain('不正确');
    await chat.say('/cancel');
    expect(await chat.login(newId, 'Secret123')).toContain('登录成功');
  });

  it('R16 phone, 民族, 学历 and 入团时间 are checked and saved without touching verification', async () => {
    const { chat, person } = await loggedIn('马兰');
    await chat.say('/profile');
    await chat.press('field:phone');
    expect(await chat.say('123')).toContain('11 位');
    expect(await chat.say('139 1234 5678')).toContain('手机号码已修改');
    await chat.press('field:ethnicity');
    expect(await chat.say('火星')).toContain('无法识别');
    expect(await chat.say('回')).toContain('民族：回族');
    await chat.press('field:education');
    expect(await chat.press('edu:4')).toContain('学历：本科');
    await chat.press('field:joinedLeagueAt');
    expect(await chat.say('2999-01-01')).toContain('晚于今天');
    expect(await chat.say('2015年5月4日')).toContain('入团时间：2015-05-04');
    await chat.press('field:phone');
    expect(await chat.say('13912345678')).toContain('无需修改');
    expect(await chat.press('back')).toContain('【修改资料】');
    const fresh = (await Person.findByPk(person.id))!;
    expect(fresh).toMatchObject({ phone: '13912345678', ethnicity: '回族', education: '本科', joinedLeagueAt: '2015-05-04', verificationState: 'verified' });
  });

  it('random text, stray buttons and /cancel at every step always get an answer', async () => {
    const { chat } = await loggedIn('杨帆');
    const replies: string[] = [];
    for (const field of ['name', 'idNumber', 'phone', 'ethnicity', 'education', 'joinedLeagueAt', 'toString', '']) {
      replies.push(await chat.say('/profile'));
      replies.push(await chat.say('随便说点什么'));
      replies.push(await chat.press('edu:99'));
      replies.push(await chat.press(`field:${field}`));
      replies.push(await chat.press('edu:99'));
      replies.push(await chat.press('confirm'));
      replies.push(await chat.say('🙂'));
      expect(await chat.say('/cancel')).toContain('已取消');
    }
    await chat.say('/profile');
    await chat.press('field:idNumber');
    await chat.say(makeIdNumber('19970101'));
    replies.push(await chat.say('乱输'));
    expect(await chat.say('/cancel')).toContain('已取消');
    for (const r of replies) {
      expect(r.length).toBeGreaterThan(0);
      expect(r).not.toContain(GENERIC_ERROR);
    }
    expect(await new TestChat(sys).say('/profile')).toContain('请先登录');
  });
});
