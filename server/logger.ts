import pino from 'pino';

/**
 * The process logger. ID numbers must never be logged whole: the redaction paths below
 * drop the usual field names, and code logs masked numbers only.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info') {
  return pino({
    level,
    redact: { paths: ['idNumber', '*.idNumber', 'password', '*.password', 'text', '*.text'], censor: '[redacted]' },
  });
}

export type Logger = ReturnType<typeof createLogger>;
