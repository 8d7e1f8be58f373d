import crypto from 'node:crypto';
import { IdVault } from '../server/security/id-vault';
import { rosterIdNumber } from '../bench/roster-data';
const v = new IdVault(crypto.randomBytes(32));
const ids = Array.from({ length: 100000 }, (_, i) => rosterIdNumber(i));
for (let k = 0; k < 3; k++) {
let t = process.hrtime.bigint(); for (const id of ids) v.encrypt(id); console.log('encrypt ms', Number(process.hrtime.bigint() - t) / 1e6);
t = process.hrtime.bigint(); for (const id of ids) v.lookupHash(id); console.log('hash ms', Number(process.hrtime.bigint() - t) / 1e6);
}
