import crypto from 'node:crypto';
import fs from 'node:fs';
import sqlite3 from 'sqlite3';
import { createLogger } from '../server/logger';
import { buildSystem } from '../server/system';
import { bulkInsert } from '../models/fast-sql';
import { rosterIdNumber } from '../bench/roster-data';
const COLS = ['id_cipher','id_hash','id_masked','name','gender','birth_date','phone','ethnicity','education','joined_league_at','role','branch_id','password_hash','must_change_password','verification_state','created_at','updated_at'];
(async () => {
  const mode = process.argv[2];
  const dir = '/tmp/imp/ins'; fs.rmSync(dir, { recursive: true, force: true }); fs.mkdirSync(dir, { recursive: true });
  const sys = await buildSystem({ databaseUrl: `sqlite:${dir}/x.sqlite`, dataDir: dir, scryptLog2N: 10 }, createLogger('silent'), { masterKey: crypto.randomBytes(32) });
  const b = await sys.services.organisations.create({ parentId: null, fullName: 'x团支部', shortName: 'x', kind: 'branch' });
  const v = sys.services.deps.vault;
  const ids = Array.from({ length: 100000 }, (_, i) => rosterIdNumber(i));
  const hashes = ids.map((id) => v.lookupHash(id));
  const ciphers = v.encryptMany(ids);
  const now = sys.db.fast.timestamp(new Date());
  let rows = ids.map((id, i) => [ciphers[i], hashes[i], id.slice(0, 6) + '********' + id.slice(-4), '张三', 'M', '2000-01-01', '13800138000', '汉族', '本科', '2015-05-04', 'member', b.id, null, true, 'pending', now, now]);
  if (process.argv[4] === 'sorted') rows.sort((a, b) => (a[1] as string) < (b[1] as string) ? -1 : 1);
  if (process.argv[3] === 'nouniq') { await sys.db.sequelize.query('CREATE TABLE p2 AS SELECT * FROM people WHERE 0'); await sys.db.sequelize.query('DROP TABLE people'); await sys.db.sequelize.query('ALTER TABLE p2 RENAME TO people'); }
  if (process.argv[3] === 'noidx') { await sys.db.sequelize.query('DROP INDEX people_branch_id'); await sys.db.sequelize.query('DROP INDEX people_verification_state'); }
  const t = Date.now();
  let mainMs = 0;
  await sys.db.transaction(async (tx) => {
    const conn = (tx as any).connection as sqlite3.Database;
    const run = (sql: string, p: unknown[]) => new Promise<void>((res, rej) => conn.run(sql, p, (e) => (e ? rej(e) : res())));
    for (let s = 0; s < rows.length; s += 1800) {
      const chunk = rows.slice(s, s + 1800);
      if (mode === 'base') await bulkInsert(sys.db.sequelize, tx, 'people', COLS, chunk);
      else if (mode === 'json') {
        const m0 = Date.now();
        const json = JSON.stringify(chunk.map((r) => r.slice(0, 12)));
        const sql = `INSERT INTO people (${COLS.join(',')}) SELECT ${Array.from({ length: 12 }, (_, i) => `value->>${i}`).join(', ')}, NULL, 1, 'pending', ?, ? FROM json_each(?)`;
        mainMs += Date.now() - m0;
        await run(sql, [now, now, json]);
      } else if (mode === 'literal') {
        const m0 = Date.now();
        const tuple = `(?,?,?,?,?,?,?,?,?,?,?,?,NULL,1,'pending','${now}','${now}')`;
        const sql = `INSERT INTO people (${COLS.join(',')}) VALUES ${chunk.map(() => tuple).join(',')}`;
        const params = chunk.flatMap((r) => r.slice(0, 12));
        mainMs += Date.now() - m0;
        await run(sql, params);
      }
    }
  });
  console.log(mode, process.argv[3] ?? '', 'insert ms', Date.now() - t, 'main', mainMs, 'maxrss', process.resourceUsage().maxRSS / 1024);
  const [c] = await sys.db.sequelize.query('select count(*) n, sum(must_change_password) m from people');
  console.log(c);
  await sys.db.close();
})();
