import { buildOrg } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

/** A city (leading body) with a school committee and one class branch, named after `tag`: each test builds its own. */
async function cityTree(tag: string) {
  const city = await buildOrg(sys, { fullName: `共青团${tag}市委员会`, kind: 'leading_body' });
  const school = await buildOrg(sys, { parentId: city.id, fullName: `共青团${tag}市第一中学委员会` });
  const branch = await buildOrg(sys, { parentId: school.id, fullName: `共青团${tag}市第一中学高一（1）班支部委员会`, kind: 'branch' });
  return { city, school, branch };
}

describe('organisation tree', () => {
  it('R10 keeps a materialised path: subtree, ancestry and isWithin', async () => {
    const { city, school, branch } = await cityTree('甲');
    const other = await buildOrg(sys, { fullName: '共青团乙市委员会', kind: 'leading_body' });
    const { organisations } = sys.services;
    expect((await organisations.subtree(city)).map((o) => o.id)).toEqual([city.id, school.id, branch.id]);
    expect(organisations.ancestorIds(branch)).toEqual([city.id, school.id, branch.id]);
    expect(await organisations.isWithin(city.id, branch.id)).toBe(true);
    expect(await organisations.isWithin(other.id, branch.id)).toBe(false);
  });

  it('R11 finds by full name whatever the bracket width and spaces; a second org of the same name is refused', async () => {
    const { branch } = await cityTree('丙');
    const { organisations } = sys.services;
    const found = await organisations.findByFullName(' 共青团丙市第一中学高一(1)班 支部委员会');
    expect(found?.id).toBe(branch.id);
    expect(found?.fullName).toBe('共青团丙市第一中学高一（1）班支部委员会');
    await expect(buildOrg(sys, { fullName: '共青团丙市第一中学高一(1)班支部委员会' })).rejects.toThrow('已被使用');
  });

  it('searches by every word typed, in full or short names', async () => {
    const { branch } = await cityTree('丁');
    const { organisations } = sys.services;
    const hits = await organisations.search('丁市第一中学 高一');
    expect(hits.map((o) => o.id)).toEqual([branch.id]);
    expect(await organisations.search('丁市第一中学　不存在')).toEqual([]);
    expect((await organisations.search('丁市', { kind: 'leading_body' })).map((o) => o.fullName)).toEqual(['共青团丁市委员会']);
  });
});
