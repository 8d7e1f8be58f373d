import crypto from 'node:crypto';
import fs from 'node:fs';
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
  let t = Date.now();
  const hashes = ids.map((id) => v.lookupHash(id));
  const ciphers = v.encryptMany(ids);
  console.log('crypto', Date.now() - t);
  const now = sys.db.fast.timestamp(new Date());
  let rows = ids.map((id, i) => [ciphers[i], hashes[i], id.slice(0, 6) + '********' + id.slice(-4), '张三', 'M', '2000-01-01', '13800138000', '汉族', '本科', '2015-05-04', 'member', b.id, null, true, 'pending', now, now]);
  if (mode === 'sorted') rows.sort((a, b) => (a[1] as string) < (b[1] as string) ? -1 : 1);
  t = Date.now();
  await sys.db.transaction(async (tx) => {
    if (process.argv[3]) await sys.db.sequelize.query(`PRAGMA cache_size = ${process.argv[3]}`, { transaction: tx });
    for (let s = 0; s < rows.length; s += 1800) await bulkInsert(sys.db.sequelize, tx, 'people', COLS, rows.slice(s, s + 1800));
  });
  console.log(mode, process.argv[3] ?? '', 'insert ms', Date.now() - t, 'maxrss', process.resourceUsage().maxRSS / 1024);
  await sys.db.close();
})();
