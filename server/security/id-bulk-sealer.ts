/**
 * Encrypting and hashing many ID numbers at once (the spreadsheet import): the same format as
 * IdVault.encrypt / lookupHash, done on a worker thread so that the main thread keeps reading
 * the spreadsheet meanwhile. About 5 µs of crypto per number: half a second per 100,000.
 */
import { Worker } from 'node:worker_threads';

/** Ciphers (`v1.<iv>.<tag>.<ciphertext>`) and lookup hashes (hex) of some ID numbers, in order. */
export interface SealedIds {
  ciphers: string[];
  hashes: string[];
}

/**
 * Seals `numbers` with the two derived keys. Self-contained (it requires what it needs), since
 * its source is what the worker thread runs: one implementation of the format for both.
 */
export function sealIdNumbers(encKey: Uint8Array, macKey: Uint8Array, numbers: readonly string[]): SealedIds {
  const nodeCrypto = require('node:crypto') as typeof import('node:crypto');
  const ivs = nodeCrypto.randomBytes(12 * numbers.length); // one draw: most of the cost of a single IV
  const ciphers: string[] = new Array(numbers.length);
  const hashes: string[] = new Array(numbers.length);
  for (let i = 0; i < numbers.length; i++) {
    const iv = ivs.subarray(i * 12, i * 12 + 12);
    const cipher = nodeCrypto.createCipheriv('aes-256-gcm', encKey, iv);
    const ct = Buffer.concat([cipher.update(numbers[i], 'utf8'), cipher.final()]);
    ciphers[i] = `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
    hashes[i] = nodeCrypto.createHmac('sha256', macKey).update(numbers[i]).digest('hex');
  }
  return { ciphers, hashes };
}

/*
 * A batch crosses between the threads as joined texts (the numbers; back, the ciphers and the
 * hashes): cloning one string is a copy, cloning thousands is most of the cost. Two texts
 * back, not one: each stays under V8's large-object size (128 KB for 1,000 rows), so it dies
 * young instead of waiting in the old generation for a full GC.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
try { require('node:os').setPriority(workerData.nice); } catch {}
const seal = (${sealIdNumbers.toString()});
parentPort.on('message', ({ id, numbers }) => {
  try {
    const { ciphers, hashes } = seal(workerData.encKey, workerData.macKey, numbers.split('\\n'));
    parentPort.postMessage({ id, ciphers: ciphers.join('\\n'), hashes: hashes.join('\\n') });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.stack || err) });
  }
});
`;

/**
 * The worker keeps nothing between batches: a small heap. V8 otherwise sizes a worker's heap
 * like a whole process's (a 100,000-row import peaked at 290–395 MB that way, 270–290 MB so).
 * A batch too large for it fails the worker, and the calling thread seals instead.
 */
const SEALER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 };

/**
 * The worker's priority (Linux sets it for this thread alone): sealing runs ahead of the
 * inserts and can yield the CPU to the reading it feeds on and to the bot's own work; on two
 * cores the import was 0.1–0.3 s faster this way, measured.
 */
const SEALER_NICE = 10;

type Waiter = { resolve(s: SealedIds): void; reject(e: Error): void };

/**
 * A worker thread sealing batches of ID numbers; falls back to the calling thread when no
 * worker can be started. Close it when done.
 * @example const sealer = vault.bulkSealer(); const { ciphers, hashes } = await sealer.seal(ids); await sealer.close();
 */
export class BulkIdSealer {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiter>();

  constructor(
    private readonly encKey: Uint8Array,
    private readonly macKey: Uint8Array,
  ) {
    try {
      this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { encKey, macKey, nice: SEALER_NICE }, resourceLimits: SEALER_LIMITS });
      this.worker.on('message', (m: { id: number; ciphers?: string; hashes?: string; error?: string }) => {
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (m.ciphers !== undefined && m.hashes !== undefined) w?.resolve({ ciphers: m.ciphers.split('\n'), hashes: m.hashes.split('\n') });
        else w?.reject(new Error(`ID sealing failed: ${m.error}`));
      });
      this.worker.on('error', (err) => this.failAll(err));
    } catch {
      this.worker = null;
    }
  }

  /** Seals a batch (off the calling thread when possible; on it if the worker fails). */
  async seal(numbers: readonly string[]): Promise<SealedIds> {
    const worker = this.worker;
    if (worker && numbers.length > 0) {
      const id = this.nextId++;
      try {
        return await new Promise<SealedIds>((resolve, reject) => {
          this.waiting.set(id, { resolve, reject });
          worker.postMessage({ id, numbers: numbers.join('\n') });
        });
      } catch {
        // e.g. instrumented code that cannot run on its own: the calling thread does it.
        if (this.worker === worker) void this.close();
      }
    }
    return sealIdNumbers(this.encKey, this.macKey, numbers);
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
    this.failAll(new Error('ID sealer closed'));
  }

  private failAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
