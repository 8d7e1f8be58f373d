/**
 * One `/fees` call of the province bench in a process of its own, so that its memory is its
 * own: builds the system (as the server does), warms the code path on a county, then measures
 * one call (the summary, or the owing list's first page) of the province: time, the peak
 * resident set above idle (the kernel's maxRSS) and the heap's peak (sampled). The statements it
 * sent are handed back for the plan check. Prints one JSON line last. Run by bench/province.ts.
 */
import { createLogger } from '../server/logger';
import { buildSystem } from '../server/system';
import { SqlCapture } from './province-plans';

interface ChildInput {
  url: string;
  masterKey: string;
  adminId: number;
  orgId: number;
  warmOrgId: number;
  what: 'summary' | 'owing';
}

async function main(): Promise<void> {
  const input = JSON.parse(process.env.PROVINCE_CHILD!) as ChildInput;
  const system = await buildSystem({ databaseUrl: input.url, dataDir: '/tmp', scryptLog2N: 10 }, createLogger('silent'), {
    masterKey: Buffer.from(input.masterKey, 'base64'),
  });
  const { reports } = system.services.fees;
  const call = (orgId: number): Promise<unknown> =>
    input.what === 'summary' ? reports.summary(input.adminId, orgId).then((s) => s.totals) : reports.owingPage(input.adminId, orgId, 0).then((p) => p.total);
  await call(input.warmOrgId);
  (globalThis as { gc?: () => void }).gc?.();
  const idle = process.memoryUsage();
  const capture = new SqlCapture();
  capture.attach(system.db.sequelize);
  let heapPeak = idle.heapUsed;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
  const t0 = performance.now();
  const result = await capture.during(input.what, () => call(input.orgId));
  const ms = performance.now() - t0;
  clearInterval(sampler);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const statements = capture.distinct().map(({ sql, bind }) => ({ sql, bind }));
  process.stdout.write(
    `${JSON.stringify({ ms, idleRss: idle.rss, peakRss, idleHeap: idle.heapUsed, heapPeak, sent: capture.statements.length, statements, result })}\n`,
  );
  await system.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
