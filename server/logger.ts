import pino from 'pino';

/** pino-pretty when a person watches a terminal and it is installed (a dev dependency). */
function prettyTransport(): pino.TransportSingleOptions | undefined {
  if (!process.stdout.isTTY) return undefined;
  try {
    require.resolve('pino-pretty');
    return { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } };
  } catch {
    return undefined;
  }
}

/**
 * The process logger. ID numbers must never be logged whole: the redaction paths below
 * drop the usual field names, and code logs masked numbers only.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info') {
  return pino({
    level,
    transport: level === 'silent' ? undefined : prettyTransport(),
    redact: { paths: ['idNumber', '*.idNumber', 'password', '*.password', 'text', '*.text'], censor: '[redacted]' },
  });
}

export type Logger = ReturnType<typeof createLogger>;
