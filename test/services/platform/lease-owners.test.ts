import { spawnSync } from 'node:child_process';
import { isDeadHere, leaseOwnerName } from '../../../server/services/platform/lease-owners';

describe('lease owners', () => {
  it("a lease of a process of this machine that has exited is known dead; a running one, this one and another machine's are not", () => {
    const mine = leaseOwnerName();
    const [host] = mine.split(':');
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    expect(isDeadHere(`${host}:${exited}:0a1b2c3d`)).toBe(true);
    expect(isDeadHere(mine)).toBe(false);
    expect(isDeadHere(`${host}:${process.ppid}:0a1b2c3d`)).toBe(false);
    expect(isDeadHere(`another-host:${exited}:0a1b2c3d`)).toBe(false);
    expect(isDeadHere('')).toBe(false);
    expect(isDeadHere(null)).toBe(false);
  });
});
