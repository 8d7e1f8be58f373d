import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Keeps ID numbers (PIPL personal data) encrypted with AES-256-GCM, with an HMAC-SHA256
 * beside each for lookup and uniqueness. Separate keys for the two jobs are derived
 * from one master key with HKDF.
 */
export class IdVault {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('ID master key must be 32 bytes');
    this.encKey = Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), 'zhtj id-number encryption', 32));
    this.macKey = Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), 'zhtj id-number lookup', 32));
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, all base64url. */
  encrypt(idNumber: string): string {
    return this.seal(idNumber, crypto.randomBytes(12));
  }

  private seal(idNumber: string, iv: Buffer): string {
    const cipher = crypto.createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([cipher.update(idNumber, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
  }

  /**
   * {@link encrypt} and {@link lookupHash} of many numbers at once (an import): the IVs are
   * drawn in one call, most of what a single encryption costs besides the cipher itself.
   */
  sealMany(idNumbers: readonly string[]): { ciphers: string[]; hashes: string[] } {
    const ivs = crypto.randomBytes(12 * idNumbers.length);
    const ciphers = new Array<string>(idNumbers.length);
    const hashes = new Array<string>(idNumbers.length);
    for (let i = 0; i < idNumbers.length; i++) {
      ciphers[i] = this.seal(idNumbers[i], ivs.subarray(i * 12, i * 12 + 12));
      hashes[i] = this.lookupHash(idNumbers[i]);
    }
    return { ciphers, hashes };
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, ct] = sealed.split('.');
    if (version !== 'v1') throw new Error(`Unknown ID cipher version ${version}`);
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Deterministic keyed hash of a normalised ID number, hex. */
  lookupHash(idNumber: string): string {
    return crypto.createHmac('sha256', this.macKey).update(idNumber).digest('hex');
  }
}

/**
 * The master key: from configuration when given, else from `<dataDir>/id-key`, created
 * (mode 0600) on first start so a demo set-up needs nothing.
 */
export function loadMasterKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) return Buffer.from(configured, 'base64');
  const file = path.join(dataDir, 'id-key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
}
