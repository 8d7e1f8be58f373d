import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { Turns } from '../../models/turns';
import { assertOutsideWriteTransaction } from '../../models/write-scope';
import { BusyError } from '../errors';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

/**
 * Hashes computed at once, at most. scrypt runs on libuv's thread pool (4 threads), which the
 * SQLite driver uses for every query: 20 logins at once would otherwise hold all four threads
 * for seconds and every user would wait for the database.
 */
export const MAX_CONCURRENT_HASHES = 2;

/** Longest a hash waits for a place: past it the login is refused as busy rather than left hanging. */
export const HASH_WAIT_MS = 20_000;

/** Places to hash in: `run` waits for one of `size`, at most `waitMs`, then says busy. */
class Places {
  private readonly turns: Turns;

  constructor(
    size: number,
    private readonly waitMs = HASH_WAIT_MS,
  ) {
    this.turns = new Turns(size);
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.turns.run(fn, this.waitMs, () => new BusyError('password hashing'));
  }
}

/**
 * Slow salted password hashes (R2) with scrypt. The stored string carries its parameters,
 * so raising the cost later keeps old hashes verifiable.
 */
export class PasswordHasher {
  private readonly places: Places;

  constructor(
    private readonly log2N = 17,
    concurrency = MAX_CONCURRENT_HASHES,
  ) {
    this.places = new Places(concurrency);
  }

  async hash(password: string): Promise<string> {
    const salt = crypto.randomBytes(16);
    const N = 2 ** this.log2N;
    const key = await this.scrypt(password, salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 });
    return `scrypt$${this.log2N}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [algo, log2N, r, p, salt, key] = stored.split('$');
    if (algo !== 'scrypt') return false;
    const N = 2 ** Number(log2N);
    const expected = Buffer.from(key, 'base64');
    const actual = await this.scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
      N,
      r: Number(r),
      p: Number(p),
      maxmem: 256 * N * Number(r),
    });
    return crypto.timingSafeEqual(actual, expected);
  }

  /** One scrypt computation, waiting for a place: the thread pool keeps threads for the database. */
  protected scrypt(password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions): Promise<Buffer> {
    assertOutsideWriteTransaction('a password hash');
    return this.places.run(() => scrypt(password, salt, keylen, options));
  }
}

/** Constant-time string comparison (for secrets of any length). */
export function safeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}
