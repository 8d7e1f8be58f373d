import * as ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { OWING_SHEET_HEADER, PEOPLE_SHEET_HEADER } from '../../../server/services/membership/org-people-sheet';
import { XLSX_MIME } from '../../../server/lib/spreadsheet-mime';
import { buildOrg } from '../../helpers/fixtures/factories';
import { enterPerson } from '../../helpers/fixtures/progress';
import { createTestSystem, type TestSystem } from '../../helpers/system';
import { type Answer, ApiClient, buildWorld, startApi } from './helpers';

let sys: TestSystem;
let api: { base: string; close(): Promise<void> };
let w: Awaited<ReturnType<typeof buildWorld>>;
let committee: ApiClient;
let branch: ApiClient;
let other: ApiClient;

beforeAll(async () => {
  sys = await createTestSystem();
  api = await startApi(sys);
  w = await buildWorld(sys, '导出');
  committee = new ApiClient(api.base);
  await committee.login(w.committeeAdmin.idNumber, w.committeeAdmin.password);
  branch = new ApiClient(api.base);
  await branch.login(w.branchAdmin.idNumber, w.branchAdmin.password);
  other = new ApiClient(api.base);
  await other.login(w.otherAdmin.idNumber, w.otherAdmin.password);
});
afterAll(async () => {
  await api.close();
  await sys.close();
});

/** The first sheet's rows as text, the header first. */
async function rowsOf(res: Answer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.data as unknown as ArrayBuffer);
  const rows: string[][] = [];
  // Both sheets have six columns.
  wb.worksheets[0].eachRow((row) => rows.push(Array.from({ length: 6 }, (_, i) => String(row.getCell(i + 1).value ?? ''))));
  return rows;
}

/** Every file inside the .xlsx (a zip) as text: what a search of the file's bytes must not find, uncompressed. */
function unzipped(data: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const parts: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream
            .on('data', (c: Buffer) => chunks.push(c))
            .on('end', () => {
              parts.push(Buffer.concat(chunks).toString('utf8'));
              zip.readEntry();
            });
        });
      });
      zip.on('end', () => resolve(parts.join('\n'))).on('error', reject);
      zip.readEntry();
    });
  });
}

const namesOf = (rows: string[][]) =>
  rows
    .slice(1)
    .map((r) => r[0])
    .sort();

describe('GET /api/orgs/search (R22: an admin finds an organisation of its subtrees)', () => {
  it("matches full and short names within the admin's subtrees only, with the kind's label", async () => {
    const res = await committee.get(`/api/orgs/search?q=${encodeURIComponent(' 高一 ')}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((o: any) => o.id).sort()).toEqual([w.tree.branchA.id, w.tree.branchB.id].sort());
    expect(res.body.items[0]).toEqual({
      id: expect.any(Number),
      fullName: expect.stringContaining('高一'),
      shortName: expect.any(String),
      kind: 'branch',
      kindLabel: '团支部',
    });
    // The branch admin sees its own branch, not the other one of the same school.
    const own = await branch.get(`/api/orgs/search?q=${encodeURIComponent('高一')}`);
    expect(own.body.items.map((o: any) => o.id)).toEqual([w.tree.branchA.id]);
    // Another subtree's admin finds nothing of this one, even by its exact name.
    expect((await other.get(`/api/orgs/search?q=${encodeURIComponent(w.tree.branchA.fullName)}`)).body.items).toEqual([]);
    expect((await other.get(`/api/orgs/search?q=${encodeURIComponent('农业局')}`)).body.items.map((o: any) => o.id)).toEqual([w.tree.otherBranch.id]);
  });

  it('at most 20 answers; q is 1 to 40 characters after trimming', async () => {
    for (let i = 0; i < 22; i++)
      await buildOrg(sys, { parentId: w.tree.school.id, fullName: `共青团导出市第一中学搜索测试${i}班团支部`, shortName: `搜索测试${i}班`, kind: 'branch' });
    expect((await committee.get(`/api/orgs/search?q=${encodeURIComponent('搜索测试')}`)).body.items).toHaveLength(20);
    for (const q of ['', '%20%20', encodeURIComponent('团'.repeat(41))]) {
      const res = await committee.get(`/api/orgs/search?q=${q}`);
      expect([q, res.status, res.body.error.code]).toEqual([q, 400, 'BAD_REQUEST']);
    }
    expect((await committee.get('/api/orgs/search')).status).toBe(400);
  });
});

describe('GET /api/orgs/:id/people/export (R16, R5, R20 lists as .xlsx)', () => {
  it("an .xlsx download with a Chinese file name (RFC 5987) and an ASCII fallback; the rows are the list's, every page; ID numbers masked only", async () => {
    const org = w.tree.branchB.id;
    for (let i = 0; i < 23; i++) await enterPerson(sys, { branchId: org, missing: i % 2 ? ['phone'] : [] });
    const res = await committee.get(`/api/orgs/${org}/people/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX_MIME);
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="people-\d+-all-\d{8}\.xlsx"; filename\*=UTF-8''/);
    const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)![1];
    expect(decodeURIComponent(encoded)).toMatch(new RegExp(`^人员名单-${w.tree.branchB.shortName}-全部人员-\\d{8}\\.xlsx$`));
    const rows = await rowsOf(res);
    expect(rows[0]).toEqual(PEOPLE_SHEET_HEADER);
    const list = await committee.get(`/api/orgs/${org}/people`);
    expect(list.body.pages).toBe(2);
    expect(rows).toHaveLength(1 + list.body.total); // every page, not the first
    const first = rows.find((r) => r[0] === '王乙班')!;
    expect(first).toEqual(['王乙班', w.memberB.person.idMasked, '团员', w.tree.branchB.fullName, '待认证', '入团时间、手机号码、民族、学历']);
    expect(rows.filter((r) => r[5] === '无')).toHaveLength(12);
  });

  it('each filter exports what the list shows for it; no full ID number anywhere in the file', async () => {
    const school = w.tree.school.id;
    expect(await sys.services.identity.verifyPerson(w.member.person.id)).toBe('verified');
    for (const filter of ['all', 'incomplete', 'unverified'] as const) {
      const listed: string[] = [];
      for (let page = 0, pages = 1; page < pages; page++) {
        const list = await committee.get(`/api/orgs/${school}/people?filter=${filter}&page=${page}`);
        pages = list.body.pages;
        listed.push(...list.body.items.map((p: any) => p.name));
      }
      listed.sort();
      const res = await committee.get(`/api/orgs/${school}/people/export?filter=${filter}`);
      expect([filter, res.status]).toEqual([filter, 200]);
      expect([filter, namesOf(await rowsOf(res))]).toEqual([filter, listed]);
      const text = `${res.data.toString('latin1')}\n${await unzipped(res.data)}`;
      for (const idNumber of [w.member.idNumber, w.incomplete.idNumber, w.memberB.idNumber]) expect(text).not.toContain(idNumber);
      expect(text).toContain(w.incomplete.person.idMasked);
    }
    // scope=own: the committee itself (nobody holds a post there).
    expect(await rowsOf(await committee.get(`/api/orgs/${school}/people/export?scope=own`))).toEqual([PEOPLE_SHEET_HEADER]);
  });

  it('filter=owing: the owing list (R20), most owed first, with months and amounts; not for scope=own', async () => {
    const school = w.tree.school.id;
    await sys.services.fees.profiles.set(w.branchAdmin.person.id, w.member.person.id, { category: 'student' });
    const list = await committee.get(`/api/orgs/${school}/people?filter=owing`);
    const res = await committee.get(`/api/orgs/${school}/people/export?filter=owing`);
    expect(res.status).toBe(200);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(res.headers.get('content-disposition')!)![1])).toMatch(/^欠交名单-/);
    const rows = await rowsOf(res);
    expect(rows[0]).toEqual(OWING_SHEET_HEADER);
    expect(rows).toHaveLength(1 + list.body.total);
    const top = list.body.items[0];
    expect(rows[1].slice(0, 4)).toEqual([top.name, top.idMasked, top.branchName, String(top.owedMonths.length)]);
    expect(Number(rows[1][5])).toBeCloseTo(top.owedFen / 100, 2);
    expect(rows.slice(1).filter((r) => r[5] === '未知（未设置团费类别）').length).toBe(list.body.total - 1);
    expect(await unzipped(res.data)).not.toContain(w.member.idNumber);
    const own = await committee.get(`/api/orgs/${school}/people/export?filter=owing&scope=own`);
    expect([own.status, own.body.error.code]).toEqual([400, 'BAD_REQUEST']);
    expect((await committee.get(`/api/orgs/${school}/people/export?filter=nobody`)).status).toBe(400);
  });

  it('past the limit of one export: refused with a Chinese message to export lower down', async () => {
    const people = sys.services.orgPeople;
    const err = await people.exportSheet(w.committeeAdmin.person.id, w.tree.school.id, { filter: 'all', scope: 'subtree' }, 3).catch((e) => e);
    expect(err).toMatchObject({ code: 'EXPORT_TOO_LARGE', kind: 'invalid', message: expect.stringContaining('下级组织') });
    const owing = await people.exportSheet(w.committeeAdmin.person.id, w.tree.school.id, { filter: 'owing', scope: 'subtree' }, 1).catch((e) => e);
    expect(owing).toMatchObject({ code: 'EXPORT_TOO_LARGE' });
  });

  it("the export pages by name and id: people of one name over several batches come once each, in the list's order", async () => {
    const org = await buildOrg(sys, { parentId: w.tree.school.id, fullName: '共青团导出市第一中学同名班团支部', shortName: '同名班', kind: 'branch' });
    for (let i = 0; i < 7; i++) await enterPerson(sys, { branchId: org.id });
    const people = sys.services.orgPeople;
    const query = { filter: 'all' as const, scope: 'subtree' as const };
    const ids: number[] = [];
    for await (const p of people.each(w.committeeAdmin.person.id, org.id, { ...query, max: 100, batchSize: 3 })) ids.push(p.id);
    const listed = (await people.list(w.committeeAdmin.person.id, org.id, { ...query, page: 0, pageSize: 100 })).items.map((p) => p.id);
    expect(ids).toEqual(listed);
    expect(new Set(ids).size).toBe(7);
    const capped: number[] = [];
    for await (const p of people.each(w.committeeAdmin.person.id, org.id, { ...query, max: 4, batchSize: 3 })) capped.push(p.id);
    expect(capped).toEqual(listed.slice(0, 4));
  });
});

describe('R22 download tickets (the Mini App: Telegram fetches the file without the cookie)', () => {
  const path = () => `/api/orgs/${w.tree.branchA.id}/people/export`;
  const issue = async (c: ApiClient, query = '?filter=incomplete') => (await c.post(`${path()}/ticket${query}`)).body.url as string;

  it('a ticket opens that one export, with no cookie, as the admin who asked for it', async () => {
    const url = await issue(branch);
    expect(url).toMatch(new RegExp(`^${path()}\\?filter=incomplete&scope=subtree&ticket=`));
    const res = await new ApiClient(api.base).get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX_MIME);
    const names = (await rowsOf(res)).slice(1).map((r) => r[0]);
    expect(names).toContain('郑缺项');
    expect(names).not.toContain('吴团员');
  });

  it('refused with another filter, on another route, with a changed signature, after five minutes, or once the session ended', async () => {
    const url = await issue(branch);
    const anonymous = new ApiClient(api.base);
    expect((await anonymous.get(url.replace('filter=incomplete', 'filter=all'))).status).toBe(401);
    expect((await anonymous.get(url.replace(path(), `/api/orgs/${w.tree.branchA.id}/people`))).status).toBe(401);
    expect((await anonymous.get(`${url.slice(0, -2)}xx`)).status).toBe(401);
    const later = await issue(branch);
    sys.clock.advance(5 * 60_000 + 1000);
    expect((await anonymous.get(later)).status).toBe(401);
    const leaving = new ApiClient(api.base);
    await leaving.login(w.branchAdmin.idNumber, w.branchAdmin.password);
    const last = await issue(leaving);
    await leaving.post('/api/logout');
    expect((await anonymous.get(last)).status).toBe(401);
  });

  it('issued only where the export itself is allowed', async () => {
    expect((await other.post(`${path()}/ticket?filter=all`)).status).toBe(403);
    expect((await branch.post(`${path()}/ticket?filter=owing&scope=own`)).status).toBe(400);
    expect((await branch.post(`${path()}/ticket?filter=nope`)).status).toBe(400);
  });
});
