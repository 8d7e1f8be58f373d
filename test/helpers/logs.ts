import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger, type Logger } from '../../server/logger';

let destination: pino.DestinationStream | undefined;

/**
 * The logger of the suite's systems: every line at debug level into this worker's file under
 * ZHTJ_TEST_LOG_DIR, which the global teardown scans for personal data. TEST_LOG_LEVEL shows
 * the lines on the terminal instead.
 */
export function testLogger(): Logger {
  if (process.env.TEST_LOG_LEVEL) return createLogger(process.env.TEST_LOG_LEVEL);
  const dir = process.env.ZHTJ_TEST_LOG_DIR;
  if (!dir) return createLogger('silent');
  destination ??= pino.destination({ dest: path.join(dir, `${process.pid}.log`), sync: true, append: true, mkdir: true });
  return createLogger('debug', destination);
}

/** A logger whose lines (JSON, from `level` up) are kept in `lines`, for tests that read what was logged. */
export function capturingLogger(level = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}
