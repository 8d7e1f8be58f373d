/**
 * `npm run soak`: a bounded soak (SOAK_SECONDS, default 600) of a real server process (as
 * `npm start` runs it, long polling) driven through the Bot API emulator on 127.0.0.1 with a
 * mix of what people do: logins, wrong passwords in bursts, imports, sign-in bursts, one
 * announcement, /fee, /me and the web app. It prints updates handled, answer times, errors,
 * memory and open handles at start and end, lost and duplicated answers and /health, and exits
 * non-zero when any of them is out of bounds. Not part of `npm test` (it takes minutes).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BotApiEmulator } from '../test/helpers/telegram/bot-api-emulator';
import { startServerProcess, type ServerProcess } from '../test/helpers/processes/server-process';
import { IMPORT_ROWS, SoakDriver } from './soak-drive';
import { counter, errorLines, health, linesWith, processFigures, type ProcessFigures } from './soak-probe';
import { ReplyWatcher } from './soak-replies';
import { prepareWorld } from './soak-world';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const TOKEN = '777000111:AAHtest-zhtj-token-0123456789';
const SCRYPT_LOG2N = 14;
const MEMBERS = 300;
const WEB_USERS = 40;
/** Background pace: member actions and web requests a second (bursts, imports and the announcement come on top). */
const MEMBER_ACTIONS_PER_S = 6;
const WEB_REQUESTS_PER_S = 4;
/** The bound on requests: updates sent, whatever the duration. */
const MAX_UPDATES = Math.ceil(SECONDS * 40);
/** An update unanswered this long is lost. */
const ANSWER_TIMEOUT_MS = 60_000;
/** After the drive: how long late (duplicated) answers and pushed messages are waited for. */
const SETTLE_MS = 5000;
/** Bounds of growth from start to end. */
const rssBound = (startMb: number) => startMb * 1.5 + 100;
const fdBound = (startFds: number) => startFds + 50;

/** When things happen, as fractions of the drive: evenly spread, `n` of them, none at the very start or end. */
const spread = (n: number, offset = 0.5) => Array.from({ length: n }, (_, i) => (i + offset) / n);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (f: ProcessFigures) => `${f.rssMb.toFixed(0)} MB`;
const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n)} ms` : '—');

async function main(): Promise<number> {
  if (!Number.isFinite(SECONDS) || SECONDS < 10) throw new Error('SOAK_SECONDS must be a number of seconds, at least 10');
  const driveMs = SECONDS * 1000;
  const schedule = {
    wrongPasswords: spread(Math.max(2, Math.round(SECONDS / 100)), 0.3),
    signins: spread(Math.max(1, Math.round(SECONDS / 120)), 0.6),
    imports: spread(Math.max(1, Math.round(SECONDS / 120)), 0.15),
    announcement: 0.45,
  };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-soak-'));
  let emu: BotApiEmulator | undefined;
  let server: ServerProcess | undefined;
  // Bounded in time whatever happens: a wedged server cannot keep the soak going.
  const watchdog = setTimeout(
    () => {
      console.error(`soak: still running ${SECONDS + 600} s after the start; giving up`);
      server?.child.kill('SIGKILL');
      process.exit(3);
    },
    (SECONDS + 600) * 1000,
  );
  watchdog.unref();
  try {
    console.log(`soak: ${SECONDS} s, preparing a fresh database in ${dataDir} …`);
    const world = await prepareWorld({
      dataDir,
      members: MEMBERS,
      loggedInShare: 0.6,
      scryptLog2N: SCRYPT_LOG2N,
      // The setup and the server's start come before the drive: a minute at most, well within the 5 minutes sign-in is open before.
      signinBurstsAtMs: schedule.signins.map((f) => f * driveMs),
    });
    emu = await BotApiEmulator.start({ token: TOKEN });
    server = await startServerProcess({
      DATABASE_URL: world.databaseUrl,
      DATA_DIR: dataDir,
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: emu.apiRoot,
      // Real password cost; replies not paced (Telegram's pace is not what is measured); pushed messages at any hour.
      SCRYPT_LOG2N: String(SCRYPT_LOG2N),
      TELEGRAM_RATE: '100000',
      QUIET_HOURS: 'off',
      LOG_LEVEL: 'info',
      LOCAL_CHAT: 'off',
    });
    const pid = server.child.pid!;
    const base = `http://127.0.0.1:${server.port}`;
    await emu.waitForCall('getUpdates', () => true, 20_000);
    const launch = processFigures(pid);
    const handledBefore = await counter(base, 'zhtj_updates_handled_total');

    const watcher = new ReplyWatcher(emu, ANSWER_TIMEOUT_MS);
    watcher.watchPrefix('【通知】');
    watcher.watchPrefix(`导入成功：共 ${IMPORT_ROWS} 人`);
    const driver = new SoakDriver(emu, watcher, world, base, MAX_UPDATES, WEB_USERS);

    // Warm-up: one of each of the quick things, so that "start" is a process that has done each once.
    const first = world.members[world.members.length - 1];
    if (first.loggedIn) throw new Error('the last member should start logged out');
    await driver.login(first);
    for (let i = 0; i < 5; i++) await driver.memberAction();
    await driver.webAction();
    await driver.webAction();
    const start = processFigures(pid);
    console.log(`soak: server pid ${pid} on ${base} (long polling), RSS ${mb(start)}, ${start.fds} open handles; driving for ${SECONDS} s …`);

    const samples: ProcessFigures[] = [start];
    const running = new Set<Promise<unknown>>();
    const launchTask = (p: Promise<unknown>) => {
      const tracked = p.catch((err) => console.error('soak: a task failed:', err)).finally(() => running.delete(tracked));
      running.add(tracked);
    };
    const driveStart = Date.now();
    const due = (fractions: number[], done: number) => done < fractions.length && Date.now() - driveStart >= fractions[done] * driveMs;
    let [wrongDone, signinDone, importDone, announced] = [0, 0, 0, false];
    let [memberCredit, webCredit] = [0, 0];
    let lastTick = Date.now();
    let lastSample = Date.now();
    let lastLine = Date.now();
    while (Date.now() - driveStart < driveMs && !driver.spent) {
      const now = Date.now();
      memberCredit += ((now - lastTick) / 1000) * MEMBER_ACTIONS_PER_S;
      webCredit += ((now - lastTick) / 1000) * WEB_REQUESTS_PER_S;
      lastTick = now;
      for (; memberCredit >= 1; memberCredit--) launchTask(driver.memberAction());
      for (; webCredit >= 1; webCredit--) launchTask(driver.webAction());
      if (due(schedule.wrongPasswords, wrongDone)) launchTask(driver.wrongPasswordBurst(50 + ((wrongDone++ * 37) % 51)));
      if (due(schedule.signins, signinDone)) launchTask(driver.signinBurst(signinDone++, 200));
      // One import at a time: the next waits for the last one's outcome.
      if (due(schedule.imports, importDone) && driver.counts.imports.length === importDone) launchTask(driver.importRound(importDone++));
      if (!announced && now - driveStart >= schedule.announcement * driveMs) {
        announced = true;
        launchTask(driver.announce());
      }
      if (now - lastSample >= 5000) {
        samples.push(processFigures(pid));
        lastSample = now;
      }
      if (now - lastLine >= 30_000) {
        const s = samples.at(-1)!;
        console.log(
          `soak: ${Math.round((now - driveStart) / 1000)} s, ${watcher.sent} updates sent, ${watcher.answered} answered, ${driver.web.requests} web requests, RSS ${mb(s)}, ${s.fds} handles`,
        );
        lastLine = now;
      }
      await sleep(50);
    }
    const drivenS = (Date.now() - driveStart) / 1000;
    console.log(`soak: drive over after ${drivenS.toFixed(0)} s; waiting for ${running.size} actions under way …`);
    await Promise.all(running);
    await sleep(SETTLE_MS);
    watcher.closeAll();
    const end = processFigures(pid);
    samples.push(end);
    const handled = (await counter(base, 'zhtj_updates_handled_total')) - handledBefore;
    const updateErrors = await counter(base, 'zhtj_update_errors_total');
    const outboxPending = /zhtj_outbox_messages\{status="pending"\}\s+(\d+)/.exec(await (await fetch(`${base}/metrics`)).text())?.[1] ?? '?';
    const finalHealth = await health(base);
    watcher.dispose();

    return report({ watcher, driver, launch, start, end, samples, handled, updateErrors, outboxPending, finalHealth, drivenS, lines: server.lines });
  } finally {
    await server?.stop();
    await emu?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    clearTimeout(watchdog);
  }
}

interface Outcome {
  watcher: ReplyWatcher;
  driver: SoakDriver;
  launch: ProcessFigures;
  start: ProcessFigures;
  end: ProcessFigures;
  samples: ProcessFigures[];
  handled: number;
  updateErrors: number;
  outboxPending: string;
  finalHealth: Awaited<ReturnType<typeof health>>;
  drivenS: number;
  lines: string[];
}

/** Prints the figures and the verdicts; returns the exit code. */
function report(o: Outcome): number {
  const { watcher: w, driver: d } = o;
  const all = w.figures();
  const web = d.web.figures();
  const logErrors = errorLines(o.lines);
  const announced = w.prefixCounts('【通知】');
  const importOutcomes = w.prefixCounts(`导入成功：共 ${IMPORT_ROWS} 人`);
  const importsTwice = Math.max(0, importOutcomes.messages - d.counts.imports.filter((i) => i.ms !== null).length);
  // An update handled more often than sent shows as the server's counter running ahead.
  const handledTwice = Math.max(0, o.handled - w.sent);
  const duplicated = w.duplicated + announced.twice + importsTwice + handledTwice;
  const errors = logErrors.length + w.genericErrors + o.updateErrors + d.web.failures.length;
  const healthOk = o.finalHealth.httpStatus === 200 && o.finalHealth.body.status === 'ok';
  const rssOk = o.end.rssMb < rssBound(o.start.rssMb);
  const fdsOk = o.end.fds <= fdBound(o.start.fds);
  const quarter = (f: number) => o.samples[Math.min(o.samples.length - 1, Math.round(f * (o.samples.length - 1)))];

  const out: string[] = [];
  const line = (s = '') => out.push(s);
  line();
  line(
    `=== soak: ${o.drivenS.toFixed(0)} s of driving, a real server process in long-polling mode (Bot API emulator, 127.0.0.1), SCRYPT_LOG2N=${SCRYPT_LOG2N}, ${MEMBERS} members + strangers ===`,
  );
  line(`updates: ${w.sent} sent, ${w.answered} answered; the server counted ${o.handled} handled (${(w.sent / o.drivenS).toFixed(1)} updates/s on average)`);
  line(`answer time (update sent → the bot's reply at the emulator): p50 ${ms(all.p50)}, p99 ${ms(all.p99)}, max ${ms(all.max)}`);
  for (const kind of w.kinds()) {
    const f = w.figures(kind);
    line(`  ${kind.padEnd(26)} n=${String(f.n).padStart(5)}  p50 ${ms(f.p50).padStart(8)}  p99 ${ms(f.p99).padStart(8)}  max ${ms(f.max).padStart(8)}`);
  }
  line(
    `wrong-password bursts: ${d.counts.wrongPasswordBursts.join(', ') || 'none'} at once; sign-in bursts: ${d.counts.signinBursts.join(', ') || 'none'} at once`,
  );
  const importTimes = d.counts.imports.map((i) => (i.ms === null ? 'no outcome' : `${(i.ms / 1000).toFixed(1)} s`));
  line(`imports: ${d.counts.imports.length} × ${IMPORT_ROWS} rows, file sent → outcome message: ${importTimes.join(', ') || 'none'}`);
  const a = d.counts.announcement;
  line(
    `announcement: ${a ? `no. ${a.id} to ${a.recipients} people (${a.reachable} logged in then); delivered to ${announced.chats} chats, ${announced.twice} twice` : 'NOT PUBLISHED'}; outbox pending at the end: ${o.outboxPending}`,
  );
  line(`web app: ${d.web.requests} requests, p50 ${ms(web.p50)}, p99 ${ms(web.p99)}, unexpected answers ${d.web.failures.length}`);
  line(
    `messages pushed (not answers): ${
      [...w.pushed]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 6)
        .map(([k, n]) => `${k}… ×${n}`)
        .join(', ') || 'none'
    }`,
  );
  line(`redelivered updates skipped by the server: ${linesWith(o.lines, 'redelivered update skipped').length}; log lines: ${o.lines.length}`);
  line(
    `errors: ${logErrors.length} log lines at level ≥ 50, ${w.genericErrors} replies with the generic error text, ${o.updateErrors} by the update-error counter, ${d.web.failures.length} web; ${w.busy} answered busy`,
  );
  line(
    `lost: ${w.lost.length}; duplicated: ${duplicated} (answers ${w.duplicated}, announcement ${announced.twice}, import outcomes ${importsTwice}, handled twice ${handledTwice})`,
  );
  line(
    `RSS: launch ${mb(o.launch)}, start ${mb(o.start)}, 25% ${mb(quarter(0.25))}, 50% ${mb(quarter(0.5))}, 75% ${mb(quarter(0.75))}, end ${mb(o.end)} (bound: end < 1.5 × start + 100 MB = ${rssBound(o.start.rssMb).toFixed(0)} MB); peak ${Math.max(...o.samples.map((s) => s.rssMb)).toFixed(0)} MB`,
  );
  line(
    `open handles: launch ${o.launch.fds}, start ${o.start.fds}, 50% ${quarter(0.5).fds}, end ${o.end.fds} (bound: end ≤ start + 50 = ${fdBound(o.start.fds)}); peak ${Math.max(...o.samples.map((s) => s.fds))}`,
  );
  line(`/health: HTTP ${o.finalHealth.httpStatus} ${JSON.stringify(o.finalHealth.body)}`);
  for (const l of w.lost.slice(0, 5))
    line(`  lost: ${l.kind} in chat ${l.chatId}, sent ${new Date(l.sentAt).toISOString()}; last messages there: ${JSON.stringify(l.lastMessages)}`);
  for (const e of logErrors.slice(0, 5)) line(`  log error: ${e.slice(0, 300)}`);
  for (const f of d.web.failures.slice(0, 5)) line(`  web: ${f}`);

  const checks: Array<[string, boolean]> = [
    ['no lost answers', w.lost.length === 0 && w.outstanding === 0],
    ['no duplicated answers', duplicated === 0],
    ['no errors', errors === 0],
    ['every import came back', d.counts.imports.every((i) => i.ms !== null)],
    ['the announcement was published', a !== null],
    ['/health ok', healthOk],
    ['RSS within bound', rssOk],
    ['open handles within bound', fdsOk],
  ];
  line();
  for (const [name, ok] of checks) line(`${ok ? 'PASS' : 'FAIL'} ${name}`);
  console.log(out.join('\n'));
  return checks.every(([, ok]) => ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
