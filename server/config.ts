import path from 'node:path';
import { z } from 'zod';
import { parseDailyWindow, type DailyWindow } from './lib/daily-window';

/** QUIET_HOURS when unset: pushed messages wait from 22:00 to 08:00. */
const DEFAULT_QUIET_HOURS = '22-8';

/** Typed, checked configuration, read once at start from the environment (and `.env`). */
export interface Config {
  port: number;
  /** Interface the HTTP server listens on; loopback unless configured otherwise. */
  host: string;
  databaseUrl: string;
  dataDir: string;
  botToken?: string;
  telegramApiRoot: string;
  webhookUrl?: string;
  webhookSecret?: string;
  timezone: string;
  /** base64 of 32 bytes; when absent a key file under dataDir is used (created on first start). */
  idKey?: string;
  /** log2 of scrypt's N for password hashes. 17 in production; tests lower it. */
  scryptLog2N: number;
  logLevel: string;
  /** The local web chat is served: by default only while the server listens on loopback. */
  localChat: boolean;
  seedDemo: boolean;
  /** A login ends after this long without any message from its chat. */
  loginIdleMs: number;
  /** Trust X-Forwarded-* headers: only behind a reverse proxy that sets them. */
  trustProxy: boolean;
  /** Cron expressions that replace jobs' own schedules, by job name (`SCHEDULE_FEE_REMINDERS` → `fee-reminders`). */
  schedules: Record<string, string>;
  /** When pushed messages (announcements, reminders) wait, in `timezone`; null: never. */
  quietHours: DailyWindow | null;
  /** Messages a second to Telegram in all (replies first, the outbox with the rest). */
  telegramRate: number;
  /** Outbox messages in flight at once: the most a kill -9 can send twice. */
  outboxConcurrency: number;
  /** A Telegram Mini App's initData is refused once its auth_date is older than this. */
  miniAppMaxAgeMs: number;
  /** The web app's public address (R22), e.g. `https://example.org/app/`: the bot's menu button and /app open it as a Mini App. */
  webAppUrl?: string;
}

/** `SCHEDULE_<JOB_NAME>=<cron>`: a job's schedule from the environment (checked by the scheduler). */
function schedulesOf(env: NodeJS.ProcessEnv): Record<string, string> {
  const found = Object.entries(env).filter(([k, v]) => /^SCHEDULE_[A-Z0-9_]+$/.test(k) && v?.trim());
  return Object.fromEntries(found.map(([k, v]) => [k.slice('SCHEDULE_'.length).toLowerCase().replace(/_/g, '-'), v!.trim()]));
}

/** True for an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Telegram opens Mini Apps over HTTPS only; plain HTTP is for this machine (an emulator, a test). */
function isWebAppUrl(u: string): boolean {
  try {
    const url = new URL(u);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname.replace(/^\[|\]$/g, '')));
  } catch {
    return false;
  }
}

const optional = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s ? s : undefined));

const schema = z.object({
  PORT: z.coerce.number({ error: 'PORT must be a whole number from 0 to 65535 (0: any free port)' }).int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1, 'HOST must name an interface, e.g. 127.0.0.1 or 0.0.0.0').default('127.0.0.1'),
  DATA_DIR: z.string().default('data'),
  DATABASE_URL: optional.refine((u) => !u || /^(sqlite:|postgres(ql)?:\/\/)/.test(u), {
    message: 'DATABASE_URL must start with sqlite: or postgres://',
  }),
  BOT_TOKEN: optional.refine((t) => !t || /^\d+:[\w-]{20,}$/.test(t), {
    message: 'BOT_TOKEN does not look like a Telegram token (digits:letters, from @BotFather)',
  }),
  TELEGRAM_API_ROOT: z.string().url('TELEGRAM_API_ROOT must be a URL such as http://127.0.0.1:8081').default('https://api.telegram.org'),
  WEBHOOK_URL: optional.refine((u) => !u || /^https?:\/\//.test(u), { message: 'WEBHOOK_URL must be an http(s) URL' }),
  WEBHOOK_SECRET: optional.refine((s) => !s || /^[A-Za-z0-9_-]{16,256}$/.test(s), {
    message: 'WEBHOOK_SECRET must be 16-256 characters of A-Z, a-z, 0-9, _ or -',
  }),
  TZ: z.string().default('Asia/Shanghai'),
  ID_ENCRYPTION_KEY: optional.refine((k) => !k || Buffer.from(k, 'base64').length === 32, {
    message: 'ID_ENCRYPTION_KEY must be 32 bytes in base64 (openssl rand -base64 32)',
  }),
  SCRYPT_LOG2N: z.coerce.number().int().min(10).max(20).default(17),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOCAL_CHAT: optional.pipe(z.enum(['on', 'off'], { error: 'LOCAL_CHAT must be on or off (unset: on only while HOST is loopback)' }).optional()),
  LOGIN_IDLE_DAYS: z.coerce.number({ error: 'LOGIN_IDLE_DAYS must be a number of days' }).positive('LOGIN_IDLE_DAYS must be more than 0').max(3650).default(30),
  SEED_DEMO: z.enum(['on', 'off']).default('on'),
  TRUST_PROXY: z.enum(['on', 'off'], { error: 'TRUST_PROXY must be on or off' }).default('off'),
  QUIET_HOURS: z.string().default(DEFAULT_QUIET_HOURS),
  TELEGRAM_RATE: z.coerce
    .number({ error: 'TELEGRAM_RATE must be a number of messages a second' })
    .positive('TELEGRAM_RATE must be more than 0')
    .max(100_000)
    .default(30),
  OUTBOX_CONCURRENCY: z.coerce.number({ error: 'OUTBOX_CONCURRENCY must be a whole number from 1 to 64' }).int().min(1).max(64).default(4),
  WEBAPP_URL: optional.refine((u) => !u || isWebAppUrl(u), {
    message:
      "WEBAPP_URL must be the web app's public https:// URL, e.g. https://example.org/app/ (Telegram opens Mini Apps over HTTPS only; http:// only for localhost)",
  }),
  MINIAPP_MAX_AGE_HOURS: z.coerce
    .number({ error: 'MINIAPP_MAX_AGE_HOURS must be a number of hours' })
    .positive('MINIAPP_MAX_AGE_HOURS must be more than 0')
    .max(24 * 30, 'MINIAPP_MAX_AGE_HOURS must be at most 720 (30 days)')
    .default(24),
});

/** Rules across variables, checked on the raw values so they are reported with the rest. */
function crossChecks(env: NodeJS.ProcessEnv): string[] {
  const set = (k: string) => !!env[k]?.trim();
  const problems: string[] = [];
  if (set('WEBHOOK_URL') && !set('WEBHOOK_SECRET'))
    problems.push('- WEBHOOK_SECRET: WEBHOOK_URL needs WEBHOOK_SECRET too (Telegram sends it back with every update)');
  if (set('WEBHOOK_URL') && !set('BOT_TOKEN')) problems.push('- BOT_TOKEN: WEBHOOK_URL needs BOT_TOKEN');
  try {
    parseDailyWindow(env.QUIET_HOURS ?? DEFAULT_QUIET_HOURS, 'UTC', 'QUIET_HOURS');
  } catch (err) {
    problems.push(`- QUIET_HOURS: ${(err as Error).message}`);
  }
  return problems;
}

/** Thrown with one line per wrong variable. */
export class ConfigError extends Error {}

/** Reads and checks the configuration; throws ConfigError listing every wrong value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  const lines = [...(parsed.success ? [] : parsed.error.issues.map((i) => `- ${i.path.join('.') || 'config'}: ${i.message}`)), ...crossChecks(env)];
  if (!parsed.success || lines.length) throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'zhtj.sqlite')}`,
    botToken: e.BOT_TOKEN,
    telegramApiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    webhookUrl: e.WEBHOOK_URL,
    webhookSecret: e.WEBHOOK_SECRET,
    timezone: e.TZ,
    idKey: e.ID_ENCRYPTION_KEY,
    scryptLog2N: e.SCRYPT_LOG2N,
    logLevel: e.LOG_LEVEL,
    // Anyone who reaches the web chat can act as whoever logs in there: on by default only on loopback.
    localChat: e.LOCAL_CHAT ? e.LOCAL_CHAT === 'on' : isLoopback(e.HOST),
    seedDemo: e.SEED_DEMO === 'on',
    loginIdleMs: e.LOGIN_IDLE_DAYS * 86_400_000,
    trustProxy: e.TRUST_PROXY === 'on',
    schedules: schedulesOf(env),
    quietHours: parseDailyWindow(e.QUIET_HOURS, e.TZ, 'QUIET_HOURS'),
    telegramRate: e.TELEGRAM_RATE,
    outboxConcurrency: e.OUTBOX_CONCURRENCY,
    miniAppMaxAgeMs: e.MINIAPP_MAX_AGE_HOURS * 3_600_000,
    webAppUrl: e.WEBAPP_URL,
  };
}
