import { GENERIC_ERROR } from '../../../flows/engine/runner';
import { Organisation, Person } from '../../../models';
import { TestChat } from '../../helpers/chat';
import { buildOrg, buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

async function adminOf(orgId: number, name: string): Promise<TestChat> {
  const { person, idNumber } = await buildPerson(sys, { name, password: 'Secret123' });
  await sys.services.admins.add(orgId, person.id);
  const chat = new TestChat(sys);
  await chat.login(idNumber, 'Secret123');
  return chat;
}

async function schoolTree() {
  const city = await buildOrg(sys, { kind: 'leading_body' });
  const school = await buildOrg(sys, {
    kind: 'committee',
    parentId: city.id,
    isSchool: true,
    fullName: `共青团示范${Math.random().toString(36).slice(2, 7)}大学委员会`,
  });
  return { city, school, cityChat: await adminOf(city.id, '市管理'), schoolChat: await adminOf(school.id, '校管理') };
}

describe('/org_info (完善组织信息)', () => {
  it('R12 R14 R15 the own admin completes names, industry, the one kind change, secretary and school code', async () => {
    const { school, schoolChat: chat } = await schoolTree();
    const card = await chat.say('/org_info');
    expect(card).toContain('【完善组织信息】');
    expect(card).toContain('团委（可修改一次）');
    expect(card).toContain('学校机构编号：（未填写）');

    await chat.press('field:short');
    expect(await chat.say('示范大学团委')).toContain('组织简称：示范大学团委');
    await chat.press('field:full');
    expect(await chat.say('共青团示范大学（本部）委员会')).toContain('组织全称：共青团示范大学（本部）委员会');
    await chat.press('field:industry');
    expect(await chat.press('ind:4')).toContain('行业类别：高等教育');
    await chat.press('field:industry');
    expect(await chat.say('教育科研')).toContain('行业类别：教育科研');

    expect(await chat.press('field:kind')).toContain('只能修改一次');
    expect(await chat.press('kind:working_committee')).toContain('确认把组织类别由“团委”改为“团工委”');
    const changed = await chat.press('confirm');
    expect(changed).toContain('已改为“团工委”');
    expect(changed).toContain('已修改过一次');
    expect(await chat.press('field:kind')).toContain('已经修改过');

    const secretaryId = makeIdNumber('19920202');
    expect(await chat.press('field:secretary')).toContain('身份证号码');
    expect(await chat.say(secretaryId)).toContain('姓名');
    const named = await chat.say('张书记');
    expect(named).toContain('书记已设为 张书记');
    expect(named).toContain('初始密码');
    expect(named).toContain(`张书记（${secretaryId.slice(0, 6)}`);

    await chat.press('field:school');
    expect(await chat.say('123')).toContain('10 位数字');
    expect(await chat.say('4164010749')).toContain('学校机构编号：4164010749');
    expect(await chat.press('field:school')).toContain('清空编号');
    expect(await chat.press('school:clear')).toContain('确定清空');
    expect(await chat.press('confirm')).toContain('学校机构编号：（未填写）');
    expect(await chat.press('done')).toContain('已保存');

    expect(await Organisation.findByPk(school.id)).toMatchObject({
      shortName: '示范大学团委',
      kind: 'working_committee',
      kindChangeUsed: true,
      industry: '教育科研',
      schoolCode: null,
    });
    // R3: the secretary logs in at once with the last 8 characters and must change the password.
    const secretaryChat = new TestChat(sys);
    const login = await secretaryChat.login(secretaryId, secretaryId.slice(-8));
    expect(login).toContain('登录成功');
    expect(login).toContain('初始密码');
    const secretary = (await sys.services.accounts.findByIdNumber(secretaryId))!;
    expect(secretary).toMatchObject({ role: 'cadre', branchId: null });
  });

  it('R12 R15 an admin above edits names but is offered neither the kind nor the school code', async () => {
    const { school, cityChat: chat } = await schoolTree();
    expect(await chat.say('/org_info')).toContain('团的领导机关');
    expect(await chat.press('field:school')).toContain('学校机构编号只能由学校团组织本级的管理员填写');
    expect(await chat.press('pick')).toContain('组织名称');
    const found = await chat.say(school.fullName.slice(3, 9));
    expect(found).toContain(school.fullName.slice(0, 10));
    const card = await chat.press(`org:${school.id}`);
    expect(card).toContain('只能由本组织自己的管理员修改一次');
    expect(card).not.toContain('学校机构编号');
    expect(await chat.press('field:kind')).toContain('只能由本组织自己的管理员修改');
    await chat.press('field:short');
    expect(await chat.say('上级改的简称')).toContain('组织简称：上级改的简称');
    expect((await Organisation.findByPk(school.id))!.kindChangeUsed).toBe(false);
  });

  it('R12 a locked provincial committee offers no name, kind or industry change', async () => {
    const province = await buildOrg(sys, { kind: 'leading_body', locked: true });
    const chat = await adminOf(province.id, '省管理');
    const card = await chat.say('/org_info');
    expect(card).toContain('不能修改');
    expect(card).toContain('组织类别：团的领导机关（不可修改）');
    for (const field of ['short', 'full', 'industry', 'kind']) expect(await chat.press(`field:${field}`)).toContain('不能修改');
    expect(await chat.press('field:secretary')).toContain('身份证号码');
  });

  it('R14 an existing account with a different name is refused in chat; a non-admin is told who may do this', async () => {
    const { schoolChat: chat } = await schoolTree();
    const member = await buildPerson(sys, { name: '真名' });
    await chat.say('/org_info');
    await chat.press('field:secretary');
    await chat.say(member.idNumber);
    expect(await chat.say('假名')).toContain('姓名与您填写的不一致');
    expect(await chat.say('真名')).toContain('书记已设为 真名');
    expect(await Person.count({ where: { name: '真名' } })).toBe(1);
    const { idNumber } = await buildPerson(sys, { name: '普通人', password: 'Secret123' });
    const plain = new TestChat(sys);
    await plain.login(idNumber, 'Secret123');
    expect(await plain.say('/org_info')).toContain('只有组织管理员');
  });

  it('random text, stray buttons and /cancel at every step always get an answer', async () => {
    const { school, cityChat, schoolChat: chat } = await schoolTree();
    const replies: string[] = [];
    const paths: string[][] = [
      [],
      ['field:short'],
      ['field:full'],
      ['field:industry'],
      ['field:kind'],
      ['field:kind', 'kind:general_branch'],
      ['field:secretary'],
      ['field:school'],
      ['pick'],
    ];
    for (const path of paths) {
      replies.push(await chat.say('/org_info'));
      for (const value of path) replies.push(await chat.press(value));
      replies.push(await chat.say('🙂 乱七八糟'.repeat(path.length ? 1 : 30)));
      replies.push(await chat.press('ind:99'));
      replies.push(await chat.press('kind:nonsense'));
      replies.push(await chat.press('org:999999'));
      expect(await chat.say('/cancel')).toContain('已取消');
    }
    await chat.say('/org_info');
    await chat.press('field:secretary');
    await chat.say(makeIdNumber());
    replies.push(await chat.press('confirm'));
    replies.push(await chat.say('Bob'));
    expect(await chat.say('/cancel')).toContain('已取消');
    replies.push(await cityChat.say('/org_info'));
    replies.push(await cityChat.press('pick'));
    replies.push(await cityChat.press('org-full'));
    replies.push(await cityChat.press(`org:${(await buildOrg(sys, {})).id}`));
    for (const r of replies) {
      expect(r.length).toBeGreaterThan(0);
      expect(r).not.toContain(GENERIC_ERROR);
    }
    expect(await Organisation.findByPk(school.id)).toMatchObject({ kind: 'committee', kindChangeUsed: false, shortName: school.shortName, industry: null });
  });
});
