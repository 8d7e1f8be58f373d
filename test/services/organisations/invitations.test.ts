import { Op } from 'sequelize';
import { Invitation, Person } from '../../../models';
import { buildOrg, buildPerson } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
let start: Date;
beforeAll(async () => {
  sys = await createTestSystem();
  start = sys.clock.now;
});
beforeEach(() => {
  sys.clock.now = new Date(start); // set before each test, so a failed test that moved the clock leaves the next one unharmed
});
afterAll(() => sys.close());

describe('invitations service (R13)', () => {
  it('R13 two admins inviting the same person at the same moment make one open invitation', async () => {
    const committee = await buildOrg(sys, { kind: 'committee' });
    const a = await buildPerson(sys, { name: '管理甲' });
    const b = await buildPerson(sys, { name: '管理乙' });
    await sys.services.admins.add(committee.id, a.person.id);
    await sys.services.admins.add(committee.id, b.person.id);
    const invitee = await buildPerson(sys, { name: '受邀人' });
    const results = await Promise.allSettled([
      sys.services.invitations.invite(a.person.id, { orgId: committee.id, idNumber: invitee.idNumber, title: '委员' }),
      sys.services.invitations.invite(b.person.id, { orgId: committee.id, idNumber: invitee.idNumber, title: '副书记' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason.message)).toContain('尚未答复');
    expect(await Invitation.count({ where: { personId: invitee.person.id, status: 'pending' } })).toBe(1);
  });

  it('R13 R14 accepting posts in two organisations keeps the one branch; expireDue marks stale invitations', async () => {
    const county = await buildOrg(sys, { kind: 'leading_body' });
    const committee = await buildOrg(sys, { kind: 'committee', parentId: county.id });
    const branch = await buildOrg(sys, { kind: 'branch', parentId: committee.id });
    const admin = await buildPerson(sys, { name: '县管理' });
    await sys.services.admins.add(county.id, admin.person.id);
    const member = await buildPerson(sys, { name: '团员甲', branchId: branch.id });
    const one = await sys.services.invitations.invite(admin.person.id, { orgId: county.id, idNumber: member.idNumber, title: '委员' });
    const two = await sys.services.invitations.invite(admin.person.id, { orgId: committee.id, idNumber: member.idNumber, title: '  副书记 ' });
    expect(two.invitation.title).toBe('副书记');
    await sys.services.invitations.respond(member.person.id, one.invitation.id, true);
    await sys.services.invitations.respond(member.person.id, two.invitation.id, true);
    expect((await sys.services.posts.of(member.person.id)).map((p) => p.title)).toEqual(['委员', '副书记']);
    expect((await Person.findByPk(member.person.id))!.branchId).toBe(branch.id);

    const three = await sys.services.invitations.invite(admin.person.id, { orgId: committee.id, idNumber: member.idNumber, title: '组织委员' });
    const other = await buildPerson(sys, { name: '团员乙', branchId: branch.id });
    const four = await sys.services.invitations.invite(admin.person.id, { orgId: county.id, idNumber: other.idNumber, title: '宣传委员' });
    sys.clock.advance(8 * 86_400_000);
    // Made directly: invite() itself expires what is due first.
    const fresh = await Invitation.create({
      orgId: committee.id,
      personId: other.person.id,
      title: '委员',
      invitedByPersonId: admin.person.id,
      expiresAt: new Date(sys.clock.now.getTime() + 86_400_000),
    });
    const expiredBefore = await Invitation.count({ where: { status: 'expired' } });
    const expired = await sys.services.invitations.expireDue();
    expect(expired).toBeGreaterThanOrEqual(2);
    expect(expired).toBe((await Invitation.count({ where: { status: 'expired' } })) - expiredBefore); // it says how many it marked
    expect((await Invitation.findByPk(three.invitation.id))!.status).toBe('expired');
    expect((await Invitation.findByPk(four.invitation.id))!.status).toBe('expired');
    expect((await Invitation.findByPk(fresh.id))!.status).toBe('pending');
    expect(await Invitation.count({ where: { status: 'pending', expiresAt: { [Op.lte]: sys.clock.now } } })).toBe(0);
    await expect(sys.services.invitations.invite(admin.person.id, { orgId: committee.id, idNumber: member.idNumber, title: '' })).rejects.toThrow('1-20');
  });
});
