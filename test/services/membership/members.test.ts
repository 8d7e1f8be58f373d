import { AuditLog, Post } from '../../../models';
import { ForbiddenError } from '../../../server/errors';
import { AUDIT_PAGE_SIZE } from '../../../server/services/audit/audit-trail';
import { MEMBER_DUPLICATE_MESSAGE } from '../../../server/services/membership/members';
import { buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const member = (orgId: number, over: Partial<{ idNumber: string; role: 'member' | 'cadre'; postTitle: string | null }> = {}) => ({
  orgId,
  idNumber: over.idNumber ?? makeIdNumber('20080315'),
  name: '刘小红',
  role: over.role ?? 'member',
  postTitle: over.postTitle ?? null,
  joinedLeagueAt: '2022年5月4日',
  phone: '138 1234 5678',
});

describe('addMember (R7) and the audit trail', () => {
  it('R7 R3 adds a member with the initial password, placed in the branch, audited with the ID masked', async () => {
    const tree = await buildTree(sys, '甲');
    const { person: admin } = await makeAdmin(sys, tree.branchA.id);
    const input = member(tree.branchA.id);
    const person = await sys.services.members.addMember(admin.id, input);
    expect(person.branchId).toBe(tree.branchA.id);
    expect(person.passwordHash).toBeNull();
    expect(person.mustChangePassword).toBe(true);
    expect(person.joinedLeagueAt).toBe('2022-05-04');
    expect(person.phone).toBe('13812345678');
    expect(await sys.services.accounts.checkPassword(person, input.idNumber.slice(-8))).toBe(true);
    const row = await AuditLog.findOne({ where: { action: 'member.add', targetId: String(person.id) } });
    expect(row).toMatchObject({ actorPersonId: admin.id, orgId: tree.branchA.id });
    expect(row!.after).toContain(person.idMasked);
    expect(row!.after).not.toContain(input.idNumber);
  });

  it('R7 R14 a cadre gets the post in the branch', async () => {
    const tree = await buildTree(sys, '乙');
    const { person: admin } = await makeAdmin(sys, tree.school.id);
    const person = await sys.services.members.addMember(admin.id, member(tree.branchB.id, { role: 'cadre', postTitle: '团支部书记' }));
    expect(person.role).toBe('cadre');
    expect(await Post.findOne({ where: { personId: person.id, orgId: tree.branchB.id, title: '团支部书记' } })).not.toBeNull();
  });

  it("R7 is refused outside the admin's subtree, and for an organisation that is not a branch, saying why", async () => {
    const tree = await buildTree(sys, '丙');
    const { person: admin } = await makeAdmin(sys, tree.school.id);
    const outside = member(tree.otherBranch.id);
    await expect(sys.services.members.addMember(admin.id, outside)).rejects.toThrow(ForbiddenError);
    await expect(sys.services.members.addMember(admin.id, outside)).rejects.toThrow(/不是该组织或其上级组织的管理员/);
    expect(await sys.services.accounts.findByIdNumber(outside.idNumber)).toBeNull();
    await expect(sys.services.members.addMember(admin.id, member(tree.school.id))).rejects.toMatchObject({ code: 'NOT_BRANCH' });
    const { person: notAdmin } = await buildPerson(sys);
    await expect(sys.services.members.addMember(notAdmin.id, member(tree.branchA.id))).rejects.toThrow(ForbiddenError);
  });

  it('R4 R7 refuses an ID number already registered, with the way out', async () => {
    const tree = await buildTree(sys, '丁');
    const { person: admin } = await makeAdmin(sys, tree.branchA.id);
    const { idNumber } = await buildPerson(sys);
    await expect(sys.services.members.addMember(admin.id, member(tree.branchA.id, { idNumber }))).rejects.toMatchObject({
      code: 'DUPLICATE_ACCOUNT',
      message: MEMBER_DUPLICATE_MESSAGE,
    });
  });

  it('R7 refuses bad fields with the reason', async () => {
    const tree = await buildTree(sys, '戊');
    const { person: admin } = await makeAdmin(sys, tree.branchA.id);
    await expect(sys.services.members.addMember(admin.id, { ...member(tree.branchA.id), phone: '12345' })).rejects.toMatchObject({ code: 'PHONE_INVALID' });
    await expect(sys.services.members.addMember(admin.id, { ...member(tree.branchA.id), joinedLeagueAt: '2001-01-01' })).rejects.toMatchObject({
      code: 'JOINED_INVALID',
    });
    await expect(sys.services.members.addMember(admin.id, { ...member(tree.branchA.id), name: 'x' })).rejects.toMatchObject({ code: 'NAME_INVALID' });
  });

  it("audit: admins above see their subtree's changes, newest first and paged; unrelated admins and members do not", async () => {
    const tree = await buildTree(sys, '己');
    const { person: branchAdmin } = await makeAdmin(sys, tree.branchA.id);
    const { person: cityAdmin } = await makeAdmin(sys, tree.city.id);
    const { person: countyAdmin } = await makeAdmin(sys, tree.other.id);
    for (let i = 0; i < AUDIT_PAGE_SIZE + 2; i++) await sys.services.members.addMember(branchAdmin.id, member(tree.branchA.id));
    const first = await sys.services.auditTrail.page(cityAdmin.id);
    expect(first.entries).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.entries[0].id).toBeGreaterThan(first.entries[1].id);
    expect(first.entries.every((e) => e.orgId === tree.branchA.id)).toBe(true);
    const second = await sys.services.auditTrail.page(cityAdmin.id, first.nextBefore);
    expect(second.entries).toHaveLength(2);
    expect(second.nextBefore).toBeNull();
    expect((await sys.services.auditTrail.page(countyAdmin.id)).entries).toHaveLength(0);
    const { person: plain } = await buildPerson(sys);
    await expect(sys.services.auditTrail.page(plain.id)).rejects.toThrow(ForbiddenError);
  });

  it('audit: a whole ID number that slipped into a row is masked when read', async () => {
    const tree = await buildTree(sys, '庚');
    const { person: admin } = await makeAdmin(sys, tree.branchA.id);
    const id = makeIdNumber('19990101');
    await AuditLog.create({
      actorPersonId: admin.id,
      orgId: tree.branchA.id,
      action: 'test',
      targetType: 'person',
      targetId: null,
      before: null,
      after: JSON.stringify({ note: `id ${id}` }),
    });
    const page = await sys.services.auditTrail.page(admin.id);
    expect(JSON.stringify(page)).not.toContain(id);
    expect(JSON.stringify(page)).toContain(`${id.slice(0, 6)}********${id.slice(-4)}`);
  });
});
