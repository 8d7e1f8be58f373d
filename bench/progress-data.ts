/**
 * A generated league of 100,000 organisations and 1,000,000 people for the entry-progress
 * benchmark, written with multi-row inserts (bulkInsert). Deterministic (a seeded generator):
 * 团中央 › 38 provinces › 10 cities each › 5 counties each (all leading bodies) › 8 school and
 * company committees or working committees per county, half of them with a general branch ›
 * branches (under the committees and general branches) holding the members. Every branch's
 * first person is a cadre with a post there; each organisation that is not a branch has 0-3
 * cadres with posts and no branch; a few people lack 民族 or 学历. People are written scattered
 * as imports write them. ID numbers are not real:
 * progress never reads them, so every row carries one real sealed value and a unique
 * placeholder hash of the real width.
 */
import { BULK_WRITE_DEADLINE_MS, type Database } from '../models';
import { bulkInsert } from '../models/fast-sql';
import type { OrgKind } from '../models/Organisation';
import { random } from './random';

/** What was generated. */
export interface GeneratedLeague {
  orgs: number;
  people: number;
  posts: number;
  /** The id of 团中央 (the root) and of the largest province. */
  rootId: number;
  provinceId: number;
  provinceOrgs: number;
}

interface OrgRow {
  id: number;
  parentId: number | null;
  path: string;
  depth: number;
  kind: OrgKind;
}

const ORG_COLUMNS = ['id', 'parent_id', 'path', 'depth', 'full_name', 'name_key', 'short_name', 'kind', 'admin_code'];
const PEOPLE_COLUMNS = [
  'id',
  'id_hash',
  'id_masked',
  'name',
  'gender',
  'birth_date',
  'phone',
  'ethnicity',
  'education',
  'joined_league_at',
  'role',
  'branch_id',
];
const CHUNK = 20_000;

/** Builds the tree in memory: exactly `total` organisations. */
function buildTree(total: number, rnd: () => number): OrgRow[] {
  const orgs: OrgRow[] = [];
  const add = (parent: OrgRow | null, kind: OrgKind): OrgRow => {
    const id = orgs.length + 1;
    const row = { id, parentId: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/`, depth: (parent?.depth ?? -1) + 1, kind };
    orgs.push(row);
    return row;
  };
  const root = add(null, 'leading_body');
  const holders: OrgRow[] = []; // committees and general branches that take branches
  for (let p = 0; p < 38; p++) {
    const province = add(root, 'leading_body');
    for (let c = 0; c < 10; c++) {
      const city = add(province, 'leading_body');
      for (let k = 0; k < 5; k++) {
        const county = add(city, 'leading_body');
        for (let u = 0; u < 8; u++) {
          const unit = add(county, rnd() < 0.8 ? 'committee' : 'working_committee');
          holders.push(unit);
          if (u % 2 === 0) holders.push(add(unit, 'general_branch'));
        }
      }
    }
  }
  for (let i = 0; orgs.length < total; i++) add(holders[i % holders.length], 'branch');
  return orgs;
}

/** Writes the league into a migrated, empty database. */
export async function generateLeague(
  db: Database,
  opts: { orgs?: number; people?: number; sealedId: string; seed?: number } = { sealedId: '' },
): Promise<GeneratedLeague> {
  const totalOrgs = opts.orgs ?? 100_000;
  const totalPeople = opts.people ?? 1_000_000;
  const rnd = random(opts.seed ?? 17);
  const tree = buildTree(totalOrgs, rnd);
  const sqlite = db.dialect === 'sqlite';
  const at = sqlite ? db.fast.timestamp(new Date('2026-11-30T00:00:00Z')) : new Date('2026-11-30T00:00:00Z');
  const stamps = { created_at: at, updated_at: at };
  let personId = 0;
  let posts = 0;

  await db.transaction(
    async (t) => {
      const insert = async (table: string, columns: string[], rows: unknown[][], same: Record<string, unknown>) => {
        for (let i = 0; i < rows.length; i += CHUNK) await bulkInsert(db.sequelize, t, table, columns, rows.slice(i, i + CHUNK), same);
      };
      await insert(
        'organisations',
        ORG_COLUMNS,
        tree.map((o) => {
          const name = `共青团基准${o.kind === 'branch' ? '团支部' : '组织'}${o.id}`;
          return [o.id, o.parentId, o.path, o.depth, name, name, name.slice(-10), o.kind, 'Bench123'];
        }),
        stamps,
      );

      const people: unknown[][] = [];
      const postRows: unknown[][] = [];
      // Posts after the people they name (foreign keys): both go when the people fill a chunk.
      const flush = async (force = false) => {
        if (people.length < CHUNK && !(force && people.length)) return;
        await insert('people', PEOPLE_COLUMNS, people.splice(0), { ...stamps, id_cipher: opts.sealedId });
        if (postRows.length) await insert('posts', ['person_id', 'org_id', 'title'], postRows.splice(0), stamps);
      };
      const person = (role: 'member' | 'cadre', branchId: number | null) => {
        const id = ++personId;
        const gap = rnd();
        const year = 1996 + (id % 12);
        people.push([
          id,
          id.toString(16).padStart(64, '0'),
          `640104********${String(id % 10_000).padStart(4, '0')}`,
          '张晓明',
          id % 2 ? 'M' : 'F',
          `${year}-05-0${1 + (id % 9)}`,
          `139${String(id).padStart(8, '0')}`,
          gap < 0.015 ? null : '汉族',
          gap > 0.985 ? null : '本科',
          `${year + 14}-05-04`,
          role,
          branchId,
        ]);
        return id;
      };

      const branches = tree.filter((o) => o.kind === 'branch');
      const others = tree.filter((o) => o.kind !== 'branch');
      for (const org of others) {
        const n = [0, 1, 2, 2, 3, 3, 3, 2][Math.floor(rnd() * 8)];
        for (let i = 0; i < n; i++) {
          postRows.push([person('cadre', null), org.id, i === 0 ? '书记' : '副书记']);
          posts++;
        }
        await flush();
      }
      // Branch sizes: a few with 0-2 people, the rest 5-20, scaled to land on exactly `totalPeople`.
      const sizes = branches.map(() => (rnd() < 0.08 ? Math.floor(rnd() * 3) : 5 + Math.floor(rnd() * 16)));
      const scale = (totalPeople - personId) / sizes.reduce((a, b) => a + b, 0);
      const placed = new Int32Array(totalPeople - personId);
      let n = 0;
      for (let i = 0; i < branches.length; i++) {
        const size = i === branches.length - 1 ? placed.length - n : Math.min(placed.length - n, Math.round(sizes[i] * scale));
        placed.fill(branches[i].id, n, n + size);
        n += size;
      }
      // An import writes its rows in ID-hash order: a branch's people lie scattered over the
      // rows of its file (up to 100,000), not side by side. Shuffled within such windows.
      for (let w = 0; w < placed.length; w += 100_000) {
        const end = Math.min(placed.length, w + 100_000);
        for (let i = end - 1; i > w; i--) {
          const j = w + Math.floor(rnd() * (i - w + 1));
          [placed[i], placed[j]] = [placed[j], placed[i]];
        }
      }
      const hasCadre = new Set<number>();
      for (const branchId of placed) {
        const first = !hasCadre.has(branchId);
        const id = person(first ? 'cadre' : 'member', branchId);
        if (first) {
          hasCadre.add(branchId);
          postRows.push([id, branchId, '团支部书记']);
          posts++;
        }
        await flush();
      }
      await flush(true);
    },
    undefined,
    { deadlineMs: BULK_WRITE_DEADLINE_MS },
  );
  if (!sqlite) {
    for (const table of ['organisations', 'people'])
      await db.sequelize.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT MAX(id) FROM ${table}))`);
  }
  // PostgreSQL's autovacuum would gather statistics soon after such a load; SQLite has none unless asked, nor in production.
  if (!sqlite) await db.sequelize.query('ANALYZE');
  const provinces = tree.filter((o) => o.depth === 1);
  const sizeOf = (p: OrgRow) => tree.filter((o) => o.path.startsWith(p.path)).length;
  const province = provinces.reduce((a, b) => (sizeOf(b) > sizeOf(a) ? b : a));
  return { orgs: tree.length, people: personId, posts, rootId: 1, provinceId: province.id, provinceOrgs: sizeOf(province) };
}
