import crypto from 'node:crypto';
import os from 'node:os';

const HOST =
  os
    .hostname()
    .replace(/[^A-Za-z0-9.-]/g, '')
    .slice(0, 32) || 'host';

/** A name for this process on leases and claims: `<host>:<pid>:<random>`. */
export function leaseOwnerName(): string {
  return `${HOST}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
}

/**
 * True when `owner` names a process of this machine that no longer runs: its leases may be
 * taken over at once, instead of when they run out (a restart after a crash carries on at once).
 * Only this machine's processes can be known dead; others' leases run out.
 */
export function isDeadHere(owner: string | null | undefined): boolean {
  const m = /^(.+):(\d+):[0-9a-f]+$/.exec(owner ?? '');
  if (!m || m[1] !== HOST || Number(m[2]) === process.pid) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
