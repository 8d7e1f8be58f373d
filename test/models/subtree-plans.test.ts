import { QueryTypes } from 'sequelize';
import type { Organisation } from '../../models';
import { AnnouncementRecipients } from '../../server/services/messaging/announcement-recipients';
import { createTestSystem, type TestSystem } from '../helpers/system';

/**
 * Every subtree query the services issue, as PostgreSQL plans it on a tree of a few thousand
 * organisations and 40,000 people: none may read the whole people or organisations table (a
 * subtree must cost the subtree). The statements are captured from the services themselves
 * through Sequelize's logging hook, then explained. Only PostgreSQL: SQLite plans by the
 * order written and has its own checks (entry progress, the import).
 */
const onPostgres = process.env.TEST_DATABASE_URL?.startsWith('postgres') ?? false;
if (!onPostgres) console.info('subtree-plans.test.ts: skipped: it explains plans on PostgreSQL only (set TEST_DATABASE_URL)');

const CITIES = 10;
const COUNTIES = 10; // per city
const GROUPS = 4; // per county
const BRANCHES = 8; // per group
const PEOPLE = 40_000;

interface Captured {
  sql: string;
  bind?: unknown[];
}

/** The tree: a province, its cities, counties, general branches and branches; people on the branches; posts above. */
async function generate(sys: TestSystem): Promise<void> {
  const q = (sql: string) => sys.db.sequelize.query(sql);
  const org = (select: string) =>
    q(`INSERT INTO organisations (id, parent_id, path, depth, full_name, name_key, short_name, kind, admin_code, created_at, updated_at) ${select}`);
  const cols = (id: string, parent: string, depth: number, kind: string) =>
    `${id}, ${parent}, p.path || (${id}) || '/', ${depth}, '组织' || (${id}), 'k' || (${id}), '组' || (${id}), ${kind}, lpad((${id})::text, 8, '0'), now(), now()`;
  await q(`INSERT INTO organisations (id, parent_id, path, depth, full_name, name_key, short_name, kind, admin_code, created_at, updated_at)
    VALUES (1000, NULL, '/1000/', 0, '某省团委', 'k1000', '省', 'committee', '00001000', now(), now())`);
  // Ids by level: cities 1001.., counties 2000.., groups 3000.., branches 10000..
  await org(`SELECT ${cols('1000 + g', '1000', 1, `'committee'`)} FROM generate_series(1, ${CITIES}) g JOIN organisations p ON p.id = 1000`);
  await org(
    `SELECT ${cols('2000 + g', '1001 + g / ' + COUNTIES, 2, `'committee'`)} FROM generate_series(0, ${CITIES * COUNTIES - 1}) g JOIN organisations p ON p.id = 1001 + g / ${COUNTIES}`,
  );
  await org(
    `SELECT ${cols('3000 + g', '2000 + g / ' + GROUPS, 3, `'general_branch'`)} FROM generate_series(0, ${CITIES * COUNTIES * GROUPS - 1}) g JOIN organisations p ON p.id = 2000 + g / ${GROUPS}`,
  );
  const branches = CITIES * COUNTIES * GROUPS * BRANCHES;
  await org(
    `SELECT ${cols('10000 + g', '3000 + g / ' + BRANCHES, 4, `'branch'`)} FROM generate_series(0, ${branches - 1}) g JOIN organisations p ON p.id = 3000 + g / ${BRANCHES}`,
  );
  await q(`SELECT setval(pg_get_serial_sequence('organisations', 'id'), (SELECT MAX(id) FROM organisations))`);
  await q(`INSERT INTO people (id_cipher, id_hash, id_masked, name, gender, birth_date, phone, ethnicity, education, joined_league_at, role, branch_id,
      must_change_password, verification_state, verification_retryable, created_at, updated_at)
    SELECT 'c', md5('plan' || n), '1101**********0000', '张' || (n * 7919 % 9973), 'M', '2004-01-01', CASE WHEN n % 20 = 0 THEN NULL ELSE '13800000000' END,
      '汉族', '本科', '2019-05-04', CASE WHEN n % 10 = 0 THEN 'cadre' ELSE 'member' END, 10000 + n % ${branches}, false,
      CASE WHEN n % 10 = 3 THEN 'pending' ELSE 'verified' END, true, now(), now()
    FROM generate_series(1, ${PEOPLE}) n`);
  await q(`INSERT INTO posts (person_id, org_id, title, created_at, updated_at)
    SELECT (SELECT MIN(id) FROM people) + o.id % ${PEOPLE}, o.id, '书记', now(), now() FROM organisations o WHERE o.kind <> 'branch'`);
  await q('ANALYZE');
}

/** Node types and relations of a JSON plan that read a whole table. */
function seqScans(plan: Record<string, any>, out: string[] = []): string[] {
  if (plan['Node Type'] === 'Seq Scan' && ['people', 'organisations'].includes(plan['Relation Name']))
    out.push(`${plan['Parallel Aware'] ? 'Parallel ' : ''}Seq Scan on ${plan['Relation Name']}`);
  for (const child of plan.Plans ?? []) seqScans(child, out);
  return out;
}

(onPostgres ? describe : describe.skip)('subtree queries on PostgreSQL (R6: a subtree costs the subtree)', () => {
  let sys: TestSystem;
  let actor: number;
  /** A county: a hundredth of the tree, as a province is of the country. */
  let county: Organisation;
  const captured: Captured[] = [];

  beforeAll(async () => {
    sys = await createTestSystem();
    await generate(sys);
    const [{ id }] = await sys.db.sequelize.query<{ id: number }>(`SELECT MIN(id) AS id FROM people`, { type: QueryTypes.SELECT });
    actor = Number(id);
    await sys.db.sequelize.query(`INSERT INTO admins (org_id, person_id, created_at, updated_at) VALUES (2011, ${actor}, now(), now())`);
    county = (await sys.services.organisations.get(2011))!;
  }, 120_000);
  afterAll(() => sys?.close());

  /** Runs `fn` and keeps every SELECT it issued. */
  async function capture(fn: () => Promise<unknown>): Promise<void> {
    const { options } = sys.db.sequelize as unknown as { options: { logging: unknown } };
    const before = options.logging;
    options.logging = (msg: string, opts: { bind?: unknown[] }) => {
      const sql = msg.replace(/^Executing \([^)]*\): /, '').replace(/;\s*$/, '');
      if (/^\s*(SELECT|WITH)\b/i.test(sql)) captured.push({ sql, bind: Array.isArray(opts?.bind) ? opts.bind : undefined });
    };
    try {
      await fn();
    } finally {
      options.logging = before;
    }
  }

  it('R6 R16 R17 R18 R20 no subtree query of the services reads the whole people or organisations table', async () => {
    const s = sys.services;
    await capture(async () => {
      for (const filter of ['all', 'incomplete', 'unverified'] as const)
        for (const scope of ['subtree', 'own'] as const) {
          await s.orgPeople.list(actor, county.id, { filter, scope, page: 1, pageSize: 20 });
          for await (const _ of s.orgPeople.each(actor, county.id, { filter, scope, max: 3, batchSize: 2 })) void _;
        }
      await s.orgPeople.list(actor, 3044, { filter: 'all', scope: 'subtree', page: 0, pageSize: 20 });
      await s.entryProgress.view(actor, county.id);
      await s.entryProgress.everyOrg(actor, county.id);
      await s.activityParticipants.idsUnder(county);
      await s.activityParticipants.idsUnder(county, [actor]);
      await s.applications.pendingFor(actor);
      await s.auditTrail.page(actor);
      await s.fees.payers.find(actor, '张1');
      await s.fees.payers.under(county.path, { limit: 10 });
      await s.fees.profiles.pendingFor(actor);
      await s.fees.reports.summary(actor, county.id);
      await s.fees.reports.owingPage(actor, county.id, 1);
      for await (const _ of s.fees.owing(new Date(), { orgId: county.id, batchSize: 50 })) void _;
      const recipients = new AnnouncementRecipients(sys.db);
      for (const audience of ['all', 'cadres'] as const) {
        const spec = { path: county.path, audience, orgKind: null };
        await recipients.count(spec);
        await recipients.reachable(spec);
      }
      await recipients.kindsUnder(county.path);
    });
    expect(captured.length).toBeGreaterThan(20);
    const offenders: string[] = [];
    for (const { sql, bind } of captured) {
      const [row] = await sys.db.sequelize.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, { bind, type: QueryTypes.SELECT });
      const plan = row['QUERY PLAN'];
      const scans = seqScans((Array.isArray(plan) ? plan : JSON.parse(String(plan)))[0].Plan);
      if (scans.length) offenders.push(`${scans.join(', ')}:\n${sql}`);
    }
    expect(offenders).toEqual([]);
  }, 120_000);

  it('the path index serves a prefix under the database collation', async () => {
    const [row] = await sys.db.sequelize.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) SELECT id FROM organisations WHERE path LIKE :p`, {
      replacements: { p: `${county.path}%` },
      type: QueryTypes.SELECT,
    });
    expect(JSON.stringify(row['QUERY PLAN'])).toContain('organisations_path');
  });
});
