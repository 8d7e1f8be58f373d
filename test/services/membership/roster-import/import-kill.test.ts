import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import { writeRosterXlsx } from '../../../../bench/roster-data';
import { Person } from '../../../../models';
import { importFixture } from '../../../helpers/fixtures/roster';
import { createTestSystem, TestSystem } from '../../../helpers/system';
import { ROOT } from '../../../helpers/root';

const ROWS = 10_000;

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

/** Starts the import child; resolves lines of its stdout as they come. */
function startImport(args: string[]): { child: ChildProcess; line(prefix: string): Promise<string>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/processes/import-child.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    waiters.forEach((w) => w());
  });
  child.stderr!.on('data', (c: Buffer) => void (err += c.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      waiters.forEach((w) => w());
      resolve(code);
    }),
  );
  const line = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = out.split('\n').find((l) => l.startsWith(prefix));
        if (found) resolve(found);
        else if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`child exited without "${prefix}": ${out}\n${err}`));
      };
      waiters.push(check);
      check();
    });
  return { child, line, exited };
}

describe('a kill during the import', () => {
  it(`R7 SIGKILL with every row written but not committed leaves the database as it was (one transaction); the next import works`, async () => {
    const f = await importFixture(sys, '癸');
    const file = path.join(sys.dataDir, '全校名单.xlsx');
    await writeRosterXlsx({ rows: ROWS, branches: [f.branchA.fullName, f.branchB.fullName], idOffset: 500_000 }, file);
    const args = [sys.databaseUrl, sys.dataDir, String(f.admin.person.id), file];
    const before = await Person.count();

    const killed = startImport([...args, '60000']);
    expect(await killed.line('WRITING')).toMatch(/^WRITING [1-9]\d*$/); // every row written in the open transaction
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(killed.child.signalCode).toBe('SIGKILL');

    expect(await Person.count()).toBe(before);
    expect(await Person.count({ where: { branchId: [f.branchA.id, f.branchB.id] } })).toBe(0);
    if (sys.db.dialect === 'sqlite') {
      const check = await sys.db.sequelize.query<{ integrity_check: string }>('PRAGMA integrity_check', { type: QueryTypes.SELECT });
      expect(check).toEqual([{ integrity_check: 'ok' }]);
    }

    // The database takes the same import afterwards.
    const again = startImport(args);
    expect(await again.line('DONE')).toContain(`"imported":${ROWS}`);
    expect(await again.exited).toBe(0);
    expect(await Person.count()).toBe(before + ROWS);
    expect(await Person.count({ where: { branchId: f.branchB.id } })).toBe(ROWS / 2);
  }, 60_000);
});
