import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../root';

/** A real server process (`server/main.ts`), as `npm start` runs it, for kill -9 and several-process tests. */
export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** Every log line so far (JSON, as pino writes them when stdout is not a terminal). */
  lines: string[];
  /** Resolves with the first log line whose message includes `fragment`. */
  waitForLog(fragment: string, timeoutMs?: number): Promise<string>;
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
  /** SIGTERM, a graceful stop. */
  stop(): Promise<void>;
}

/** Starts `server/main.ts` with `env` (on top of a quiet, local default); resolves once it listens. */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', SCRYPT_LOG2N: '10', LOG_LEVEL: 'info', SEED_DEMO: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  const take = (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts.filter(Boolean));
    waiters.forEach((w) => w());
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<void>((resolve) =>
    child.on('exit', () => {
      waiters.forEach((w) => w());
      resolve();
    }),
  );
  const waitForLog = (fragment: string, ms = timeoutMs) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no log line with "${fragment}" within ${ms} ms:\n${lines.slice(-20).join('\n')}`));
      }, ms);
      function check() {
        const found = lines.find((l) => l.includes(fragment));
        if (found || child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          waiters.delete(check);
          if (found) resolve(found);
          else reject(new Error(`server exited (${child.exitCode ?? child.signalCode}) without "${fragment}":\n${lines.slice(-20).join('\n')}`));
        }
      }
      waiters.add(check);
      check();
    });
  const listening = await waitForLog('server listening on');
  const port = Number(/:(\d+)$/.exec(JSON.parse(listening).msg as string)![1]);
  return {
    child,
    port,
    lines,
    waitForLog,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
