import crypto from 'node:crypto';
const key = crypto.randomBytes(32);
const N = 100000;
const time = (label: string, fn: () => void) => { const t = process.hrtime.bigint(); fn(); console.log(label, (Number(process.hrtime.bigint() - t) / 1e6).toFixed(0)); };
for (let k = 0; k < 2; k++) {
time('randomBytes12', () => { for (let i = 0; i < N; i++) crypto.randomBytes(12); });
const ivs = crypto.randomBytes(12 * N);
time('createCipheriv', () => { for (let i = 0; i < N; i++) crypto.createCipheriv('aes-256-gcm', key, ivs.subarray(i * 12, i * 12 + 12)); });
time('full', () => { for (let i = 0; i < N; i++) { const c = crypto.createCipheriv('aes-256-gcm', key, ivs.subarray(i * 12, i * 12 + 12)); const ct = Buffer.concat([c.update('640104199501010011', 'utf8'), c.final()]); c.getAuthTag(); } });
time('full+b64', () => { for (let i = 0; i < N; i++) { const iv = ivs.subarray(i * 12, i * 12 + 12); const c = crypto.createCipheriv('aes-256-gcm', key, iv); const ct = c.update('640104199501010011', 'utf8'); c.final(); const tag = c.getAuthTag(); ['v1', iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.'); } });
const mac = crypto.createHmac('sha256', key);
time('hmac', () => { for (let i = 0; i < N; i++) crypto.createHmac('sha256', key).update('640104199501010011').digest('hex'); });
const sk = crypto.createSecretKey(key);
time('hmac keyobj', () => { for (let i = 0; i < N; i++) crypto.createHmac('sha256', sk).update('640104199501010011').digest('hex'); });
time('cipher keyobj', () => { for (let i = 0; i < N; i++) { const c = crypto.createCipheriv('aes-256-gcm', sk, ivs.subarray(i * 12, i * 12 + 12)); c.update('640104199501010011', 'utf8'); c.final(); c.getAuthTag(); } });
}
