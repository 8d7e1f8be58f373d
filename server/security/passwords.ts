import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/**
 * Slow salted password hashes (R2) with scrypt. The stored string carries its parameters,
 * so raising the cost later keeps old hashes verifiable.
 */
export class PasswordHasher {
  constructor(private readonly log2N = 17) {}

  async hash(password: string): Promise<string> {
    const salt = crypto.randomBytes(16);
    const N = 2 ** this.log2N;
    const key = await scrypt(password, salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 });
    return `scrypt$${this.log2N}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [algo, log2N, r, p, salt, key] = stored.split('$');
    if (algo !== 'scrypt') return false;
    const N = 2 ** Number(log2N);
    const expected = Buffer.from(key, 'base64');
    const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
      N, r: Number(r), p: Number(p), maxmem: 256 * N * Number(r),
    });
    return crypto.timingSafeEqual(actual, expected);
  }
}

/** Constant-time string comparison (for secrets of any length). */
export function safeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}
