/**
 * A generated province on PostgreSQL for `npm run bench -- province`: 300,000 organisations and
 * 3,000,000 people (or the small version: about 1,000 and 10,000). The schema comes from the
 * migrations; the rows are written with set-based SQL on the server (`INSERT … SELECT` over
 * `generate_series` for people and everything hanging off them, `unnest` of arrays for the
 * tree built here), which measured faster than shipping rows from Node. Shape: province ›
 * cities › counties (leading bodies) › school and company committees or working committees,
 * every other one with a general branch › branches, each with a materialised `path`
 * (`/1/5/23/`) and `depth`. People lie on branches scattered by a hash of their id (as imports
 * write them), the first of each branch a cadre with a post; non-branch organisations have two
 * cadres with posts, the first of them its admin. Most people have a fee profile, half of those
 * paid January to June, everyone has a Telegram login (a chat binding, seen lately: logins end
 * after LOGIN_IDLE_DAYS), so announcements reach them. A marker in `settings` records what was generated: a later run with the same size
 * reuses it.
 */
import pg from 'pg';
import type { OrgKind } from '../models/Organisation';

/** The fields entry progress requires (R16), as the counters' migration lists them. */
const ENTRY_FIELDS = ['name', 'id_cipher', 'role', 'joined_league_at', 'phone', 'ethnicity', 'education'];

/** How large a province to generate. */
export interface ProvinceSize {
  label: 'full' | 'small';
  cities: number;
  countiesPerCity: number;
  unitsPerCounty: number;
  orgs: number;
  people: number;
}

export const FULL: ProvinceSize = { label: 'full', cities: 16, countiesPerCity: 12, unitsPerCounty: 60, orgs: 300_000, people: 3_000_000 };
export const SMALL: ProvinceSize = { label: 'small', cities: 4, countiesPerCity: 3, unitsPerCounty: 6, orgs: 1_000, people: 10_000 };

/** What a generated province holds, as the marker records it. */
export interface GeneratedProvince {
  version: number;
  size: ProvinceSize;
  provinceId: number;
  /** A city and a county, for lookups lower down. */
  cityId: number;
  countyId: number;
  branches: number;
  /** Seconds the generation took, and how many rows each table got. */
  generatedS: number;
  counts: Record<string, number>;
}

/** Bumped when the generated shape changes: an older marker means generate again. */
const VERSION = 1;
const MARKER = 'bench.province';
const AT = '2026-01-05T00:00:00Z';
const BATCH = 50_000;

interface OrgRow {
  id: number;
  parentId: number | null;
  path: string;
  depth: number;
  kind: OrgKind;
  name: string;
}

/** The tree in memory: exactly `size.orgs` organisations, ids from 1 (the province). */
export function buildProvinceTree(size: ProvinceSize): OrgRow[] {
  const orgs: OrgRow[] = [];
  const add = (parent: OrgRow | null, kind: OrgKind, label: string): OrgRow => {
    const id = orgs.length + 1;
    // Unique full names (name_key is unique): the id keeps them apart.
    const row = {
      id,
      parentId: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: (parent?.depth ?? -1) + 1,
      kind,
      name: `共青团基准${label}${id}`,
    };
    orgs.push(row);
    return row;
  };
  const province = add(null, 'leading_body', '省委员会');
  const holders: OrgRow[] = [];
  for (let c = 0; c < size.cities; c++) {
    const city = add(province, 'leading_body', '市委员会');
    for (let k = 0; k < size.countiesPerCity; k++) {
      const county = add(city, 'leading_body', '县委员会');
      for (let u = 0; u < size.unitsPerCounty; u++) {
        const unit = add(county, u % 5 === 4 ? 'working_committee' : 'committee', u % 5 === 4 ? '工作委员会' : '委员会');
        holders.push(unit);
        if (u % 2 === 0) holders.push(add(unit, 'general_branch', '总支部'));
      }
    }
  }
  for (let i = 0; orgs.length < size.orgs; i++) add(holders[i % holders.length], 'branch', '团支部');
  return orgs;
}

/** The marker of a province generated in this database, if any. */
export async function readMarker(client: pg.Client): Promise<GeneratedProvince | null> {
  const exists = await client.query(`SELECT to_regclass('public.settings') AS t`);
  if (!exists.rows[0].t) return null;
  const { rows } = await client.query('SELECT value FROM settings WHERE name = $1', [MARKER]);
  if (!rows.length) return null;
  const marker = JSON.parse(rows[0].value) as GeneratedProvince;
  return marker.version === VERSION ? marker : null;
}

/** Drops everything in the database's public schema (`--fresh`, or a marker of another size). */
export async function wipe(client: pg.Client): Promise<void> {
  await client.query('DROP SCHEMA public CASCADE');
  await client.query('CREATE SCHEMA public');
}

/**
 * Writes the province into a migrated database holding only what the migrations seed (and the
 * bench's own accounts, made afterwards through the services). `sealedId`: one real sealed ID
 * number every generated row carries (nothing measured here decrypts them; hashes are unique
 * placeholders of the real width).
 */
export async function generateProvince(client: pg.Client, size: ProvinceSize, sealedId: string, log: (line: string) => void): Promise<GeneratedProvince> {
  const started = performance.now();
  const step = async (what: string, sql: string, params: unknown[] = []) => {
    const t0 = performance.now();
    const res = await client.query(sql, params);
    log(`  ${what}: ${(res.rowCount ?? 0).toLocaleString()} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };
  const tree = buildProvinceTree(size);
  const branches = tree.filter((o) => o.kind === 'branch');
  const others = tree.filter((o) => o.kind !== 'branch');
  // Branches are the last ids (added after the rest): people pick one by a hash of their id.
  const firstBranch = branches[0].id;
  if (branches.at(-1)!.id !== firstBranch + branches.length - 1) throw new Error('branches are not one id range');

  await client.query('BEGIN');
  // The rows are consistent by construction: foreign-key triggers would only check each row again.
  await client.query('SET LOCAL session_replication_role = replica');
  for (let i = 0; i < tree.length; i += BATCH) {
    const part = tree.slice(i, i + BATCH);
    await step(
      `organisations ${i + 1}–${i + part.length}`,
      `INSERT INTO organisations (id, parent_id, path, depth, full_name, name_key, short_name, kind, admin_code, created_at, updated_at)
       SELECT id, parent_id, path, depth, name, name, right(name, 10), kind, 'Bench123', $7, $7
       FROM unnest($1::int[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[]) AS t(id, parent_id, path, depth, name, kind)`,
      [
        part.map((o) => o.id),
        part.map((o) => o.parentId),
        part.map((o) => o.path),
        part.map((o) => o.depth),
        part.map((o) => o.name),
        part.map((o) => o.kind),
        AT,
      ],
    );
  }

  // People 1 … 2×others are the non-branch organisations' cadres; the rest lie on branches.
  const cadres = others.length * 2;
  const names = `substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘', 1 + abs(hashint4(i + 11)) % 36, 1)
    || substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉晨宇轩浩', 1 + abs(hashint4(i + 13)) % 40, 1)`;
  const person = (branch: string, role: string) => `
    SELECT i, $1, lpad(to_hex(i), 64, '0'), '640104********' || lpad((i % 10000)::text, 4, '0'), ${names},
      CASE WHEN i % 2 = 1 THEN 'M' ELSE 'F' END, (2001 + i % 10) || '-05-0' || (1 + i % 9), '139' || lpad(i::text, 8, '0'),
      CASE WHEN abs(hashint4(i + 7)) % 1000 < 15 THEN NULL ELSE '汉族' END,
      CASE WHEN abs(hashint4(i + 9)) % 1000 < 15 THEN NULL ELSE '本科' END,
      (2015 + i % 10) || '-05-04', ${role}, ${branch},
      CASE WHEN abs(hashint4(i + 5)) % 100 < 90 THEN 'verified' WHEN abs(hashint4(i + 5)) % 100 < 97 THEN 'pending' ELSE 'failed' END,
      false, true, $2::timestamptz, $2::timestamptz`;
  const peopleColumns = `(id, id_cipher, id_hash, id_masked, name, gender, birth_date, phone, ethnicity, education, joined_league_at, role, branch_id,
    verification_state, must_change_password, verification_retryable, created_at, updated_at)`;
  await step(
    'cadres of committees and leading bodies',
    `INSERT INTO people ${peopleColumns} ${person('NULL', `'cadre'`)} FROM generate_series(1, ${cadres}) i`,
    [sealedId, AT],
  );
  await step(
    'their posts',
    `INSERT INTO posts (person_id, org_id, title, created_at, updated_at)
     SELECT 2 * (n - 1) + k, o, CASE k WHEN 1 THEN '书记' ELSE '副书记' END, $2, $2 FROM unnest($1::int[]) WITH ORDINALITY AS t(o, n), generate_series(1, 2) k`,
    [others.map((o) => o.id), AT],
  );
  await step(
    'admins (each 书记 of a non-branch organisation)',
    `INSERT INTO admins (org_id, person_id, created_at, updated_at) SELECT org_id, person_id, $1, $1 FROM posts WHERE title = '书记'`,
    [AT],
  );
  // Branch members in batches: one statement of 3 M rows would hold its whole WAL and sort at once.
  for (let from = cadres + 1; from <= size.people; from += 500_000) {
    const to = Math.min(size.people, from + 499_999);
    await step(
      `branch members ${from.toLocaleString()}–${to.toLocaleString()}`,
      `INSERT INTO people ${peopleColumns} ${person(`${firstBranch} + abs(hashint4(i))::bigint % ${branches.length}`, `CASE WHEN abs(hashint4(i + 3)) % 100 = 0 THEN 'applicant' ELSE 'member' END`)}
       FROM generate_series(${from}, ${to}) i`,
      [sealedId, AT],
    );
  }
  await step(
    'each branch’s first member a cadre',
    `UPDATE people p SET role = 'cadre' FROM (SELECT min(id) AS id FROM people WHERE branch_id IS NOT NULL GROUP BY branch_id) f WHERE p.id = f.id`,
  );
  await step(
    'their posts',
    `INSERT INTO posts (person_id, org_id, title, created_at, updated_at) SELECT min(id), branch_id, '团支部书记', $1, $1 FROM people WHERE branch_id IS NOT NULL GROUP BY branch_id`,
    [AT],
  );
  await step(
    'chat bindings (everyone logged in on Telegram)',
    `INSERT INTO chat_bindings (channel, external_user_id, chat_id, person_id, created_at, updated_at, last_seen_at)
     SELECT 'telegram', (1000000000 + id)::text, (1000000000 + id)::text, id, $1, $1, now() FROM people`,
    [AT],
  );
  await step(
    'fee profiles (four in five payers: students and wage earners)',
    `INSERT INTO fee_profiles (person_id, valid_from, category, wage_fen, status, set_by_person_id, created_at, updated_at)
     SELECT id, '2026-01', CASE WHEN abs(hashint4(id + 21)) % 3 = 0 THEN 'wage' ELSE 'student' END,
       CASE WHEN abs(hashint4(id + 21)) % 3 = 0 THEN 300000 + abs(hashint4(id + 23)) % 5 * 100000 END, 'confirmed', id, $1, $1
     FROM people WHERE branch_id IS NOT NULL AND role <> 'applicant' AND abs(hashint4(id + 19)) % 5 < 4`,
    [AT],
  );
  await step(
    'fee payments (half of them paid January to June)',
    `INSERT INTO fee_payments (person_id, org_id, year, from_month, to_month, amount_fen, source, recorded_by_person_id, created_at)
     SELECT f.person_id, p.branch_id, 2026, '2026-01', '2026-06',
       6 * CASE WHEN f.category = 'student' THEN 20 ELSE LEAST(2000, round(f.wage_fen * 2 / 1000 / 100.0) * 100) END, 'import', f.person_id, '2026-06-30T00:00:00Z'
     FROM fee_profiles f JOIN people p ON p.id = f.person_id WHERE abs(hashint4(f.person_id + 29)) % 2 = 0`,
  );
  // Replica mode skipped the triggers that keep each organisation's entry counts (migration
  // 20261222090000): count them once, as that migration's backfill does (it is frozen, so its SQL
  // cannot be imported).
  const bad = (p: string) => `(${ENTRY_FIELDS.map((f) => `${p}.${f} IS NULL OR ${p}.${f} = ''`).join(' OR ')})`;
  const flag = (cond: string) => `CASE WHEN ${cond} THEN 1 ELSE 0 END`;
  await step(
    'entry counts of the branches',
    `UPDATE organisations SET entry_members = m.n, entry_members_bad_member = m.bm, entry_members_bad_cadre = m.bc
     FROM (SELECT branch_id, COUNT(*) AS n, SUM(${flag(`p.role = 'member' AND ${bad('p')}`)}) AS bm, SUM(${flag(`p.role = 'cadre' AND ${bad('p')}`)}) AS bc
       FROM people p WHERE p.role IN ('member', 'cadre') AND p.branch_id IS NOT NULL GROUP BY branch_id) m
     WHERE organisations.id = m.branch_id`,
  );
  const held = `FROM people p WHERE p.id IN (SELECT t.person_id FROM posts t WHERE t.org_id = organisations.id)
    AND NOT (organisations.kind = 'branch' AND p.branch_id = organisations.id AND p.role IN ('member', 'cadre'))`;
  await step(
    'entry counts of the post holders',
    `UPDATE organisations SET entry_holders = (SELECT COUNT(*) ${held}), entry_holders_bad = (SELECT COUNT(*) ${held} AND ${bad('p')})
     WHERE id IN (SELECT org_id FROM posts)`,
  );
  await client.query('COMMIT');
  for (const table of ['organisations', 'people', 'posts', 'admins', 'chat_bindings', 'fee_profiles', 'fee_payments'])
    await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT MAX(id) FROM ${table}))`);
  // Autovacuum would gather statistics soon after such a load; the measurements should not depend on when.
  let t0 = performance.now();
  await client.query('VACUUM (ANALYZE)');
  log(`  VACUUM (ANALYZE): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  t0 = performance.now();
  const counts: Record<string, number> = {};
  for (const table of ['organisations', 'people', 'posts', 'admins', 'chat_bindings', 'fee_profiles', 'fee_payments'])
    counts[table] = Number((await client.query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n);
  const city = tree.find((o) => o.depth === 1)!;
  const county = tree.find((o) => o.depth === 2)!;
  return {
    version: VERSION,
    size,
    provinceId: 1,
    cityId: city.id,
    countyId: county.id,
    branches: branches.length,
    generatedS: (performance.now() - started) / 1000,
    counts,
  };
}

/** Records the generated province, so that the next run reuses it. */
export async function writeMarker(client: pg.Client, marker: GeneratedProvince): Promise<void> {
  await client.query(
    `INSERT INTO settings (name, value, created_at) VALUES ($1, $2, now()) ON CONFLICT (name) DO UPDATE SET value = excluded.value, created_at = excluded.created_at`,
    [MARKER, JSON.stringify(marker)],
  );
}

/** Logins end after LOGIN_IDLE_DAYS unused: a province reused weeks later has its logins seen again. */
export async function keepLoginsAlive(client: pg.Client, log: (line: string) => void): Promise<void> {
  const { rows } = await client.query(`SELECT min(last_seen_at) < now() - interval '7 days' AS stale FROM chat_bindings`);
  if (!rows[0].stale) return;
  const t0 = performance.now();
  const res = await client.query('UPDATE chat_bindings SET last_seen_at = now()');
  log(`logins of the reused province seen again: ${(res.rowCount ?? 0).toLocaleString()} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
