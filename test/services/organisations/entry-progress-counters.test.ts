import { QueryTypes } from 'sequelize';
import { importRoster } from '../../../server/services/membership/roster-import/importer';
import { incompletePersonSql } from '../../../server/services/membership/person-fields';
import { enterPerson } from '../../helpers/fixtures/progress';
import { importFixture, memberRow, rosterXlsx } from '../../helpers/fixtures/roster';
import { createTestSystem, TestSystem } from '../../helpers/system';

/**
 * The counts each organisation keeps for entry progress (migration 20261222090000) are kept by
 * the database on every write, whoever writes: after imports, entries, moves, role and field
 * changes, posts given and taken, deletions, and multi-row statements, they equal a count made
 * afresh from people and posts.
 */
let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const BAD = incompletePersonSql('p');
const COUNTED = `('member', 'cadre')`;
const HELD = `FROM people p WHERE p.id IN (SELECT t.person_id FROM posts t WHERE t.org_id = o.id)
  AND NOT (o.kind = 'branch' AND p.branch_id = o.id AND p.role IN ${COUNTED})`;
const FRESH = `SELECT o.id,
  (SELECT COUNT(*) FROM people p WHERE p.branch_id = o.id AND p.role IN ${COUNTED}) AS members,
  (SELECT COUNT(*) FROM people p WHERE p.branch_id = o.id AND p.role = 'member' AND ${BAD}) AS bad_member,
  (SELECT COUNT(*) FROM people p WHERE p.branch_id = o.id AND p.role = 'cadre' AND ${BAD}) AS bad_cadre,
  (SELECT COUNT(*) ${HELD}) AS holders,
  (SELECT COUNT(*) ${HELD} AND ${BAD}) AS holders_bad
FROM organisations o ORDER BY o.id`;
const KEPT = `SELECT o.id, o.entry_members AS members, o.entry_members_bad_member AS bad_member, o.entry_members_bad_cadre AS bad_cadre,
  o.entry_holders AS holders, o.entry_holders_bad AS holders_bad FROM organisations o ORDER BY o.id`;

async function rows(sql: string): Promise<Array<Record<string, number>>> {
  const got = await sys.db.sequelize.query<Record<string, unknown>>(sql, { type: QueryTypes.SELECT });
  return got.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])));
}
const run = (sql: string) => sys.db.sequelize.query(sql);

describe('entry progress counts kept by the database', () => {
  it('R16 R17 equal a fresh count after imports, entries, moves, field and role changes, posts and deletions', async () => {
    const f = await importFixture(sys, '计数');
    const imported = await importRoster(sys.services, {
      actorPersonId: f.admin.person.id,
      source: {
        fileName: '名单.xlsx',
        buffer: await rosterXlsx([
          memberRow(f.branchA.fullName, { 姓名: '甲一' }),
          memberRow(f.branchA.fullName, { 姓名: '甲二' }),
          memberRow(f.branchA.fullName, { 姓名: '甲三', 政治面貌: '团干部', 职务: '团支部书记' }),
          memberRow(f.branchB.fullName, { 姓名: '乙一' }),
          memberRow(f.branchB.fullName, { 姓名: '乙二', 政治面貌: '团干部', 职务: '团支部书记' }),
        ]),
      },
    });
    expect(imported.ok).toBe(true);
    expect(await rows(KEPT)).toEqual(await rows(FRESH));
    // Fields emptied afterwards (the import takes complete rows only).
    await run(`UPDATE people SET phone = NULL WHERE name = '甲二'`);
    await run(`UPDATE people SET ethnicity = '' WHERE name IN ('乙一', '乙二')`);

    // Entered one by one, with posts in several organisations, one of them twice in one.
    const cadre = await enterPerson(sys, { branchId: f.branchA.id, role: 'cadre', missing: ['phone'], posts: [[f.school.id, '书记']] });
    await sys.services.posts.add(cadre.id, f.school.id, '委员');
    await sys.services.posts.add(cadre.id, f.branchB.id, '组织委员');
    const outsider = await enterPerson(sys, { role: 'cadre', posts: [[f.school.id, '副书记']], missing: ['education'] });
    await enterPerson(sys, { branchId: f.branchB.id, role: 'applicant', missing: ['phone'] });
    expect(await rows(KEPT)).toEqual(await rows(FRESH));

    // Moves and changes, one row and many at once.
    await run(`UPDATE people SET branch_id = ${f.branchB.id} WHERE id = ${cadre.id}`);
    await run(`UPDATE people SET phone = '13900000000' WHERE id = ${cadre.id}`);
    await run(`UPDATE people SET branch_id = ${f.otherBranch.id} WHERE branch_id = ${f.branchA.id} AND role = 'member'`);
    await run(`UPDATE people SET role = 'member' WHERE branch_id = ${f.branchB.id} AND role = 'applicant'`);
    await run(`UPDATE people SET education = '' WHERE id = ${outsider.id}`);
    await run(`UPDATE people SET name = name, updated_at = updated_at WHERE branch_id IS NOT NULL`);
    expect(await rows(KEPT)).toEqual(await rows(FRESH));

    // Posts moved and taken away; an organisation that becomes a branch and back; people deleted.
    await run(`UPDATE posts SET org_id = ${f.city.id} WHERE person_id = ${outsider.id}`);
    await run(`UPDATE organisations SET kind = 'branch' WHERE id = ${f.school.id}`);
    expect(await rows(KEPT)).toEqual(await rows(FRESH));
    await run(`UPDATE organisations SET kind = 'committee' WHERE id = ${f.school.id}`);
    await run(`DELETE FROM posts WHERE person_id = ${cadre.id} AND title = '书记'`);
    await run(`DELETE FROM posts WHERE person_id = ${outsider.id}`);
    const gone = await rows(`SELECT id FROM people WHERE branch_id = ${f.otherBranch.id}`);
    const ids = gone.map((r) => r.id).join(', ');
    for (const table of ['posts', 'chat_bindings', 'admins']) await run(`DELETE FROM ${table} WHERE person_id IN (${ids})`);
    await run(`DELETE FROM people WHERE id IN (${ids})`);
    const kept = await rows(KEPT);
    expect(kept).toEqual(await rows(FRESH));
    expect(kept.some((r) => r.members > 0 && r.bad_cadre > 0)).toBe(true); // the counts are not all zero
    expect(kept.find((r) => r.id === f.otherBranch.id)!.members).toBe(0);
  });

  it('R16 the triggers test completeness as person-fields.ts does', async () => {
    const sql =
      sys.db.dialect === 'postgres'
        ? `SELECT pg_get_functiondef('entry_people_insert'::regproc) AS sql`
        : `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'entry_people_insert'`;
    const [row] = await sys.db.sequelize.query<{ sql: string }>(sql, { type: QueryTypes.SELECT });
    expect(row.sql).toContain(incompletePersonSql('NEW'));
  });
});
