import { AuditLog, Organisation, Person } from '../../../models';
import { buildOrg, buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const reload = (id: number) => Organisation.findByPk(id) as Promise<Organisation>;

/** A city body › school committee › general branch, each with its own admin; the city admin is above. */
async function tree() {
  const city = await buildOrg(sys, { kind: 'leading_body' });
  const school = await buildOrg(sys, { kind: 'committee', parentId: city.id, isSchool: true });
  const general = await buildOrg(sys, { kind: 'general_branch', parentId: school.id });
  const admins: Record<string, number> = {};
  for (const [key, org] of Object.entries({ city, school, general })) {
    const { person } = await buildPerson(sys, { name: `管理${key === 'city' ? '甲' : key === 'school' ? '乙' : '丙'}` });
    await sys.services.admins.add(org.id, person.id);
    admins[key] = person.id;
  }
  return { city, school, general, admins };
}

describe('完善组织信息 (R12, R14, R15)', () => {
  it('R12 short name, full name and industry change freely, audited with before/after', async () => {
    const { general, admins } = await tree();
    const info = sys.services.orgInfo;
    await info.rename(admins.general, general.id, { shortName: '信息总支' });
    await info.rename(admins.general, general.id, { shortName: '信息学院团总支', fullName: '共青团某大学信息学院（新）总支部委员会' });
    await info.setIndustry(admins.general, general.id, '高等教育');
    await info.setIndustry(admins.city, general.id, '事业单位'); // an admin above may too
    const org = await reload(general.id);
    expect(org).toMatchObject({ shortName: '信息学院团总支', fullName: '共青团某大学信息学院（新）总支部委员会', industry: '事业单位' });
    expect((await sys.services.organisations.findByFullName('共青团某大学信息学院(新)总支部委员会'))?.id).toBe(general.id);
    const audit = await AuditLog.findAll({ where: { orgId: general.id, action: 'org.rename' }, order: [['id', 'ASC']] });
    expect(JSON.parse(audit[1].before!)).toMatchObject({ shortName: '信息总支' });
    expect(JSON.parse(audit[1].after!)).toMatchObject({ shortName: '信息学院团总支', fullName: '共青团某大学信息学院（新）总支部委员会' });
    await expect(info.setIndustry(admins.general, general.id, '事业单位')).rejects.toThrow('无需修改');
  });

  it('R11 R12 a full name must stay unique after bracket/space normalisation', async () => {
    const { general, admins } = await tree();
    await buildOrg(sys, { fullName: '共青团测试（甲）委员会' });
    await expect(sys.services.orgInfo.rename(admins.general, general.id, { fullName: '共青团测试(甲) 委员会' })).rejects.toThrow('已被其他组织使用');
    await expect(sys.services.orgInfo.rename(admins.general, general.id, { fullName: '团' })).rejects.toThrow('2-100');
  });

  it("R12 the kind changes once, only by the organisation's own admin", async () => {
    const { general, admins } = await tree();
    const info = sys.services.orgInfo;
    await expect(info.changeKind(admins.city, general.id, 'committee')).rejects.toThrow('上级组织的管理员不能修改');
    expect((await info.view(admins.city, general.id)).canChangeKind).toBe(false);
    expect((await info.view(admins.general, general.id)).canChangeKind).toBe(true);
    await expect(info.changeKind(admins.general, general.id, 'general_branch')).rejects.toThrow('无需修改');
    await info.changeKind(admins.general, general.id, 'committee');
    expect(await reload(general.id)).toMatchObject({ kind: 'committee', kindChangeUsed: true });
    await expect(info.changeKind(admins.general, general.id, 'general_branch')).rejects.toThrow('只能修改一次');
    expect((await info.view(admins.general, general.id)).canChangeKind).toBe(false);
    const audit = await AuditLog.findOne({ where: { orgId: general.id, action: 'org.kind' } });
    expect(JSON.parse(audit!.before!)).toMatchObject({ kind: 'general_branch', kindChangeUsed: false });
  });

  it('R10 R12 a school is never a leading body; a kind must fit the tree', async () => {
    const { school, admins } = await tree();
    await expect(sys.services.orgInfo.changeKind(admins.school, school.id, 'leading_body')).rejects.toThrow('学校团组织不能是团的领导机关');
    await expect(sys.services.orgInfo.changeKind(admins.school, school.id, 'branch')).rejects.toThrow('团支部不能有下级组织');
    expect((await reload(school.id)).kindChangeUsed).toBe(false); // a refused change does not use the chance
  });

  it('R12 the Central Committee and provincial committees refuse every change of name, kind and industry', async () => {
    const central = await buildOrg(sys, { kind: 'leading_body', locked: true });
    const { person } = await buildPerson(sys, { name: '中央管理' });
    await sys.services.admins.add(central.id, person.id);
    const info = sys.services.orgInfo;
    for (const attempt of [
      info.rename(person.id, central.id, { shortName: '新简称' }),
      info.rename(person.id, central.id, { fullName: '新全称委员会' }),
      info.setIndustry(person.id, central.id, '事业单位'),
      info.changeKind(person.id, central.id, 'committee'),
    ]) {
      await expect(attempt).rejects.toThrow('不能修改');
    }
    const view = await info.view(person.id, central.id);
    expect(view).toMatchObject({ canEditNames: false, canChangeKind: false, canEditSchoolCode: false });
    expect(await reload(central.id)).toMatchObject({ shortName: central.shortName, fullName: central.fullName, kind: 'leading_body' });
  });

  it('R14 R3 a new secretary gets an account with the initial password; one person may be secretary of two organisations', async () => {
    const { school, general, admins } = await tree();
    const idNumber = makeIdNumber('19900505');
    const first = await sys.services.orgInfo.setSecretary(admins.school, school.id, { idNumber, name: '书记甲' });
    expect(first.created).toBe(true);
    expect(first.person).toMatchObject({ role: 'cadre', branchId: null, passwordHash: null, mustChangePassword: true });
    const login = await sys.services.accounts.login(idNumber, idNumber.slice(-8), 'test:secretary');
    expect(login.id).toBe(first.person.id);
    const second = await sys.services.orgInfo.setSecretary(admins.general, general.id, { idNumber, name: '书记甲' });
    expect(second).toMatchObject({ created: false });
    expect(second.person.id).toBe(first.person.id);
    const posts = await sys.services.posts.of(first.person.id);
    expect(posts.map((p) => [p.org.id, p.title]).sort()).toEqual(
      [
        [school.id, '书记'],
        [general.id, '书记'],
      ].sort(),
    );
    expect(await Person.count({ where: { name: '书记甲' } })).toBe(1);
    await expect(sys.services.orgInfo.setSecretary(admins.general, general.id, { idNumber, name: '书记乙' })).rejects.toThrow('姓名与您填写的不一致');
    await expect(sys.services.orgInfo.setSecretary(admins.general, general.id, { idNumber, name: '书记甲' })).rejects.toThrow('已是本组织书记');
  });

  it("R14 a registered member named secretary keeps their branch; the previous secretary's post is replaced", async () => {
    const { school, admins } = await tree();
    const branch = await buildOrg(sys, { kind: 'branch', parentId: school.id });
    const member = await buildPerson(sys, { name: '团员丁', branchId: branch.id });
    await sys.services.orgInfo.setSecretary(admins.school, school.id, { idNumber: makeIdNumber(), name: '旧书记' });
    const { created } = await sys.services.orgInfo.setSecretary(admins.school, school.id, { idNumber: member.idNumber, name: '团员丁' });
    expect(created).toBe(false);
    expect((await Person.findByPk(member.person.id))!.branchId).toBe(branch.id);
    expect((await sys.services.orgInfo.view(admins.school, school.id)).secretaries.map((s) => s.name)).toEqual(['团员丁']);
    const audit = await AuditLog.findOne({ where: { orgId: school.id, action: 'org.secretary' }, order: [['id', 'DESC']] });
    expect(audit!.before).toContain('旧书记');
    expect(audit!.after).toContain(member.person.idMasked);
    expect(`${audit!.before}${audit!.after}`).not.toContain(member.idNumber);
  });

  it("R15 a school organisation's own admin sets, changes and clears the school code; never for leading bodies", async () => {
    const { city, school, general, admins } = await tree();
    const info = sys.services.orgInfo;
    await info.setSchoolCode(admins.school, school.id, '４１６４０１０７４９');
    expect((await reload(school.id)).schoolCode).toBe('4164010749');
    await info.setSchoolCode(admins.school, school.id, '4164010750');
    expect((await reload(school.id)).schoolCode).toBe('4164010750');
    await info.setSchoolCode(admins.school, school.id, null);
    expect((await reload(school.id)).schoolCode).toBeNull();
    await expect(info.setSchoolCode(admins.school, school.id, null)).rejects.toThrow('本来就是空的');
    await expect(info.setSchoolCode(admins.school, school.id, '12345')).rejects.toThrow('10 位数字');
    await expect(info.setSchoolCode(admins.school, school.id, '9964010749')).rejects.toThrow('学校类别代码');
    await expect(info.setSchoolCode(admins.city, school.id, '4164010749')).rejects.toThrow('本级学校团组织自己的管理员');
    await expect(info.setSchoolCode(admins.city, city.id, '4164010749')).rejects.toThrow('团的领导机关不是学校');
    await expect(info.setSchoolCode(admins.general, general.id, '4164010749')).rejects.toThrow('不是学校团组织');
    expect((await info.view(admins.city, city.id)).canEditSchoolCode).toBe(false);
    expect((await info.view(admins.school, school.id)).canEditSchoolCode).toBe(true);
    const audits = await AuditLog.findAll({ where: { orgId: school.id, action: 'org.school_code' }, order: [['id', 'ASC']] });
    expect(audits.map((a) => [JSON.parse(a.before!).schoolCode, JSON.parse(a.after!).schoolCode])).toEqual([
      [null, '4164010749'],
      ['4164010749', '4164010750'],
      ['4164010750', null],
    ]);
  });

  it('R12 only admins who manage the organisation may change it', async () => {
    const { general } = await tree();
    const { person } = await buildPerson(sys, { name: '外人' });
    await expect(sys.services.orgInfo.rename(person.id, general.id, { shortName: '改名' })).rejects.toThrow('无权');
    await expect(sys.services.orgInfo.view(person.id, general.id)).rejects.toThrow('无权');
    await expect(sys.services.orgInfo.setSecretary(person.id, general.id, { idNumber: makeIdNumber(), name: '某人' })).rejects.toThrow('无权');
  });
});
