import crypto from 'node:crypto';

/** A key for one purpose (`label`), derived from the master key with HKDF: one secret to keep, keys that never mix. */
export function deriveSecret(masterKey: Buffer, label: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), `zhtj ${label}`, 32));
}
