import '../../server/threadpool';
import 'dotenv/config';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import type { Choice, Reply } from '../../flows/engine/types';
import { seed, demoIdNumber } from '../../seeds';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '../../seeds/demo';
import { ConfigError, loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { runWhenQueued, scheduledJobs } from '../../server/jobs';
import { Scheduler } from '../../server/jobs/scheduler';
import { buildSystem } from '../../server/system';
import { LOCAL_CHANNEL, LocalChannel, LocalOutput } from './local-channel';

/**
 * `npm run chat`: talk to the bot in the terminal, through the same flows as Telegram, on the
 * same database as `npm start` (both may run at once). Pick a demo person to start logged in
 * as them, or 0 to start as a newcomer. Type `#2` to press button 2, `!file <path>` to upload.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const system = await buildSystem(config, createLogger('warn'));
  await seed(system.services, { demo: config.seedDemo });
  // Runs the imports sent here even when no server runs (with one, whichever is free takes them).
  // Only that job: sending, reminders and the rest are the server's.
  const jobs = scheduledJobs({ deliverers: {}, progressSinks: { [LOCAL_CHANNEL]: { show: async () => null } } }).filter((j) => j.name === 'background-jobs');
  const scheduler = new Scheduler(system, jobs, config.timezone);
  scheduler.start();
  runWhenQueued(system.services, scheduler);
  // The web app is served by `npm start` on this machine, not by the terminal.
  const local = new LocalChannel(system.runner, system.services, { appUrl: `http://localhost:${config.port}/app/` });
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT')); // Ctrl-C at the prompt ends the login too
  // Lines are read from the iterator, not question(): piped input arriving early is not lost.
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (prompt: string): Promise<string | undefined> => {
    rl.setPrompt(prompt);
    rl.prompt();
    const next = await lines.next();
    return next.done ? undefined : String(next.value);
  };

  console.log('智慧团建 · 本地聊天（终端）\n选择身份：\n  0) 新用户（用 /login 登录，或注册）');
  DEMO_PEOPLE.forEach((p, i) =>
    console.log(`  ${i + 1}) ${p.name}${p.adminOf ? '（组织管理员）' : ''}  账号 ${demoIdNumber(p)}  密码 ${p.password ?? '身份证号码后 8 位'}`),
  );
  const arg = process.argv.indexOf('--as');
  const pick = Number(arg > 0 ? process.argv[arg + 1] : await ask('身份编号 [0]：')) || 0;
  const demo = DEMO_PEOPLE[pick - 1];
  // A user of this terminal alone: its login ends when the terminal exits, and nothing else can name it.
  const userId = `terminal-${process.pid}-${crypto.randomBytes(6).toString('hex')}`;
  let ended = false;
  const logout = async () => {
    if (ended) return;
    ended = true;
    await system.services.bindings.unbind(LOCAL_CHANNEL, userId).catch(() => undefined);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => void logout().finally(() => process.exit(130)));
  }
  if (demo) {
    const person = await system.services.accounts.findByIdNumber(demoIdNumber(demo));
    if (person) await system.services.bindings.bind(LOCAL_CHANNEL, userId, userId, person.id);
    console.log(`已作为 ${demo.name} 登录（演示账号密码：${demo.password ?? '身份证号码后 8 位'}；管理员演示密码均为 ${DEMO_PASSWORD}）。`);
  }
  console.log('输入 /start 开始；#数字 按下按钮；!file 路径 上传文件；/quit 退出。\n');

  let choices: Choice[] = [];
  const show = (out: Pick<LocalOutput, 'replies' | 'progress'>) => {
    for (const p of out.progress) console.log(`  … ${p}`);
    for (const r of out.replies) choices = print(r) ?? choices;
  };
  let lastProgress = '';
  const inbox = setInterval(async () => {
    const { replies, progress } = await local.inbox(userId);
    const line = progress.join(' · ');
    show({ replies, progress: line && line !== lastProgress ? progress : [] });
    lastProgress = line;
  }, 2000);
  show(await local.handle(userId, { text: '/start' }));
  for (;;) {
    const line = ((await ask('> ')) ?? '/quit').trim();
    if (line === '/quit') break;
    if (!line) continue;
    let out: LocalOutput;
    const pressed = /^#(\d+)$/.exec(line);
    if (pressed) {
      const c = choices[Number(pressed[1]) - 1];
      if (!c) {
        console.log('没有这个按钮编号。');
        continue;
      }
      out = await local.handle(userId, { choice: c.value });
    } else if (line.startsWith('!file ')) {
      const file = path.resolve(line.slice(6).trim());
      if (!fs.existsSync(file)) {
        console.log('文件不存在。');
        continue;
      }
      out = await local.handle(userId, { file: { name: path.basename(file), data: fs.readFileSync(file) } });
    } else {
      out = await local.handle(userId, { text: line });
    }
    if (out.hideInput) process.stdout.write('\x1b[1A\x1b[2K> ••••••••（已隐藏）\n');
    show(out);
  }
  clearInterval(inbox);
  rl.close();
  await logout();
  await scheduler.stop();
  await system.close();
}

/** Prints a reply; returns its buttons, numbered in reading order. */
function print(reply: Reply): Choice[] | undefined {
  console.log(`\n${reply.text}`);
  if (reply.file) {
    const out = path.resolve('data', 'downloads', reply.file.name);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, reply.file.data);
    console.log(`📎 文件已保存到 ${out}`);
  }
  if (!reply.choices?.length) return undefined;
  const flat = reply.choices.flat();
  console.log(flat.map((c, i) => `[#${i + 1} ${c.label}]`).join('  '));
  return flat;
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
