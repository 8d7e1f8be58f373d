import { Admin, Organisation, Person } from '../models';
import type { Services } from '../server/services';
import { chinaMonth } from '../server/services/fees/months';

/** Demo fee categories by branch: the university's students pay 0.2 元, the community's members by wage. */
const WAGES: Record<string, number> = { 马晓燕: 450_000, 吴婷: 600_000 };

/**
 * Fee categories for the demo people (set by their branch's admin, as in use) and one
 * payment, so that /fee and /fees show something at once (README, "Demo logins"). The
 * standards themselves are reference data, loaded by a migration on every database.
 */
export async function seedDemoFees(services: Services): Promise<void> {
  const { fees, deps } = services;
  const people = await Person.findAll({ where: { role: ['member', 'cadre'] }, order: [['id', 'ASC']] });
  for (const p of people) {
    if (p.branchId === null) continue;
    const admin = await Admin.findOne({ where: { orgId: p.branchId } });
    const branch = await Organisation.findByPk(p.branchId);
    if (!admin || !branch) continue;
    const wageFen = WAGES[p.name];
    await fees.profiles.set(admin.personId, p.id, wageFen ? { category: 'wage', wageFen } : { category: branch.isSchool ? 'student' : 'unemployed' });
  }
  const year = chinaMonth(deps.now()).slice(0, 4);
  const paid = people.find((p) => p.name === '陈思远');
  const admin = paid?.branchId ? await Admin.findOne({ where: { orgId: paid.branchId } }) : null;
  if (paid && admin)
    await fees.payments.record(admin.personId, {
      personId: paid.id,
      months: { from: `${year}-01`, to: `${year}-12` },
      amountFen: 240,
      note: '全年团费（示例）',
    });
}
