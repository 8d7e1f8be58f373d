/**
 * Runs on a worker thread (see worker-rows.ts): reads the spreadsheet in `workerData` with
 * sheetRows (zip guard, then exceljs' streaming reader) and posts its rows in batches, at most
 * a few batches ahead of what the main thread has taken.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RosterFormatError } from './format-error';
import { sheetRows, type RawRow } from './sheet-rows';
import type { ZipLimits } from './zip-guard';

/** What the worker is given. */
export interface SheetWorkerData {
  buffer: Uint8Array;
  fileName: string;
  zipLimits?: Partial<ZipLimits>;
}

/** What the worker posts. */
export type SheetWorkerMessage =
  | { type: 'rows'; rows: RawRow[] }
  | { type: 'end' }
  | { type: 'error'; message: string; format: boolean };

/** Rows per message, and messages the main thread may have unread before the worker waits. */
export const ROWS_PER_MESSAGE = 500;
export const MESSAGES_AHEAD = 4;

async function run(port: NonNullable<typeof parentPort>, data: SheetWorkerData): Promise<void> {
  let ahead = 0;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    ahead--; // one batch taken
    wake?.();
  });
  const post = async (message: SheetWorkerMessage) => {
    port.postMessage(message);
    if (message.type !== 'rows') return;
    ahead++;
    while (ahead >= MESSAGES_AHEAD) await new Promise<void>((resolve) => (wake = resolve));
  };
  try {
    let batch: RawRow[] = [];
    const source = { buffer: Buffer.from(data.buffer.buffer, data.buffer.byteOffset, data.buffer.byteLength), fileName: data.fileName };
    for await (const row of sheetRows(source, { zipLimits: data.zipLimits })) {
      batch.push(row);
      if (batch.length >= ROWS_PER_MESSAGE) {
        await post({ type: 'rows', rows: batch });
        batch = [];
      }
    }
    if (batch.length) await post({ type: 'rows', rows: batch });
    await post({ type: 'end' });
  } catch (err) {
    const format = err instanceof RosterFormatError;
    await post({ type: 'error', message: format ? err.message : String((err as Error)?.stack ?? err), format });
  }
  // The main thread terminates the worker once it has the end.
}

if (parentPort) void run(parentPort, workerData as SheetWorkerData);
