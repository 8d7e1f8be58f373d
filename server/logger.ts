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
 * An error as it may be logged: its kind, message, code and stack, and for a Bot API error the
 * method and Telegram's answer. Never what it carried: a Bot API error holds the whole request
 * (`on.payload`: a message text with a registration code or a profile), a database error its
 * SQL parameters.
 */
export function serialiseError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { code?: unknown; on?: { method?: unknown }; response?: { error_code?: unknown; description?: unknown } };
  const out: Record<string, unknown> = { type: e.name, message: e.message, stack: e.stack };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  if (e.on && typeof e.on.method === 'string') out.method = e.on.method;
  if (e.response && typeof e.response.description === 'string') out.description = e.response.description;
  if (e.cause !== undefined) out.cause = serialiseError(e.cause);
  return out;
}

/**
 * The process logger. Personal data is never logged: code logs masked ID numbers only and
 * never message texts or payloads; errors go through {@link serialiseError}; the redaction
 * paths below drop the usual field names should one slip through.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream) {
  const options: pino.LoggerOptions = {
    level,
    serializers: { err: serialiseError, error: serialiseError },
    redact: { paths: ['idNumber', '*.idNumber', 'password', '*.password', 'text', '*.text', 'payload', '*.payload'], censor: '[redacted]' },
  };
  if (destination) return pino(options, destination);
  return pino({ ...options, transport: level === 'silent' ? undefined : prettyTransport() });
}

export type Logger = ReturnType<typeof createLogger>;
