/**
 * sheetRows on a worker thread: the zip guard and exceljs' parsing, most of an import's
 * work, run beside the main thread, which validates and writes meanwhile. Falls back to this
 * thread when no worker can run the reader (e.g. under a test runner that compiles TypeScript
 * in-process) or when the worker dies; rows already handed out are then skipped.
 */
import { Worker } from 'node:worker_threads';
import { RosterFormatError } from './format-error';
import { sheetRows, type RawRow, type RosterSource, type SheetRowsOptions } from './sheet-rows';
import type { SheetWorkerData, SheetWorkerMessage } from './sheet-worker-main';

/** Heap of the reading thread: bounded, so its garbage is collected early (exceljs makes plenty). */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 32 };

type Event = SheetWorkerMessage | { type: 'unavailable' } | { type: 'died'; error: unknown };

/** The worker, started on code that reports whether the reader module could be loaded at all. */
function startWorker(source: RosterSource, opts: SheetRowsOptions): Worker {
  const main = require.resolve('./sheet-worker-main');
  const boot = `
    const { parentPort } = require('node:worker_threads');
    try { require(${JSON.stringify(main)}); } catch { parentPort.postMessage({ type: 'unavailable' }); }
  `;
  const workerData: SheetWorkerData = { buffer: source.buffer, fileName: source.fileName, zipLimits: opts.zipLimits };
  return new Worker(boot, { eval: true, workerData, resourceLimits: WORKER_LIMITS });
}

/**
 * The rows of `source`, as sheetRows gives them, read on a worker thread when possible.
 * @example const { rows } = await openRoster(source, { maxRows, sheetRows: workerSheetRows });
 */
export async function* workerSheetRows(source: RosterSource, opts: SheetRowsOptions = {}): AsyncGenerator<RawRow> {
  let worker: Worker;
  try {
    worker = startWorker(source, opts);
  } catch {
    yield* sheetRows(source, opts);
    return;
  }
  const events: Event[] = [];
  let wake: (() => void) | null = null;
  const push = (e: Event) => {
    events.push(e);
    wake?.();
  };
  worker.on('message', (m: Event) => push(m));
  worker.on('error', (error) => push({ type: 'died', error }));
  worker.on('exit', () => push({ type: 'died', error: new Error('sheet reader exited') }));
  let lastRow = 0;
  try {
    for (;;) {
      while (events.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const e = events.shift()!;
      if (e.type === 'rows') {
        worker.postMessage('taken');
        for (const row of e.rows) {
          lastRow = row.rowNumber;
          yield row;
        }
      } else if (e.type === 'end') {
        return;
      } else if (e.type === 'error') {
        throw e.format ? new RosterFormatError(e.message) : new Error(`sheet reader failed: ${e.message}`);
      } else {
        // No worker could read it (unavailable, out of memory, crashed): read the rest here.
        for await (const row of sheetRows(source, opts)) if (row.rowNumber > lastRow) yield row;
        return;
      }
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
