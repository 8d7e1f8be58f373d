import path from 'node:path';
import { z } from 'zod';

/** Typed, checked configuration, read once at start from the environment (and `.env`). */
export interface Config {
  port: number;
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
  localChat: boolean;
  seedDemo: boolean;
}

const optional = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s ? s : undefined));

const schema = z
  .object({
    PORT: z.coerce.number({ error: 'PORT must be a whole number from 1 to 65535' }).int().min(1).max(65535).default(3000),
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
    LOCAL_CHAT: z.enum(['on', 'off']).default('on'),
    SEED_DEMO: z.enum(['on', 'off']).default('on'),
  });

/** Rules across variables, checked on the raw values so they are reported with the rest. */
function crossChecks(env: NodeJS.ProcessEnv): string[] {
  const set = (k: string) => !!env[k]?.trim();
  const problems: string[] = [];
  if (set('WEBHOOK_URL') && !set('WEBHOOK_SECRET')) problems.push('- WEBHOOK_SECRET: WEBHOOK_URL needs WEBHOOK_SECRET too (Telegram sends it back with every update)');
  if (set('WEBHOOK_URL') && !set('BOT_TOKEN')) problems.push('- BOT_TOKEN: WEBHOOK_URL needs BOT_TOKEN');
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
    localChat: e.LOCAL_CHAT === 'on',
    seedDemo: e.SEED_DEMO === 'on',
  };
}
