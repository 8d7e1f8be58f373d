import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** How long a worker asked to stop has to end by itself before it is reported and left running. */
export const WORKER_STOP_DEADLINE_MS = 30_000;

/** The message that asks a worker to stop (see workers/worker-main.ts). */
export const WORKER_STOP = 'worker.stop';
/** The name of the error a worker ends with when it stopped as asked (nothing of its work kept). */
export const WORKER_STOPPED = 'WorkerStopped';
/** What a worker posts instead of dying of an uncaught error. */
export interface WorkerFailure {
  type: 'worker.failed';
  name: string;
  message: string;
  stack?: string;
}

/** Options of {@link runInWorker}. */
export interface WorkerRun {
  /** Called with each message the worker posts. */
  onMessage(message: unknown): void;
  /** Asks the worker to stop (the process stops, or the job's lease was lost): it winds down and ends by itself. */
  signal?: AbortSignal;
  /** How long a stopped worker has to end; then the run rejects with {@link WorkerLeftRunning}. */
  stopDeadlineMs?: number;
  /** The worker's heap, in MB: long work must not grow without bound. */
  maxHeapMb?: number;
  /** The thread's niceness (Linux): 10 lets the thread that answers users go first. Default 10. */
  nice?: number;
}

/** A stopped worker that did not end within its deadline: left running, never terminated. */
export class WorkerLeftRunning extends Error {
  constructor(module: string, ms: number) {
    super(`worker ${path.basename(module)} did not end within ${ms} ms of being asked to stop; left running`);
    this.name = 'WorkerLeftRunning';
  }
}

/** Workers of this process that have not ended: a stop asks each of them to stop. */
const live = new Set<{ stop(): void; ended: Promise<void> }>();

/**
 * Runs a TypeScript module (under server/jobs/workers) on a worker thread of this process:
 * its CPU work never blocks the thread that answers users. Resolves when the worker ends
 * normally; rejects when it fails or dies. A worker is never terminated: one torn down while
 * a database statement completes takes the whole process down (sqlite3's native callback
 * throws into a thread that is gone). Stopping is asked for, and the worker ends by itself.
 */
export function runInWorker(module: string, data: Record<string, unknown>, run: WorkerRun): Promise<void> {
  // Seen at once even by a loop that never awaits (the message needs the worker's event loop).
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(path.join(__dirname, 'workers', 'bootstrap.js'), {
    workerData: { ...data, module: path.join(__dirname, 'workers', module), nice: run.nice ?? 10, stopFlag },
    resourceLimits: { maxOldGenerationSizeMb: run.maxHeapMb ?? 512 },
  });
  let signalEnded!: () => void;
  const entry = {
    ended: new Promise<void>((resolve) => (signalEnded = resolve)),
    stop() {
      if (Atomics.exchange(stopFlag, 0, 1) === 0) worker.postMessage({ type: WORKER_STOP });
    },
  };
  live.add(entry);
  return new Promise((resolve, reject) => {
    let failure: Error | null = null;
    let deadline: NodeJS.Timeout | undefined;
    const stop = () => {
      entry.stop();
      const ms = run.stopDeadlineMs ?? WORKER_STOP_DEADLINE_MS;
      deadline ??= setTimeout(() => reject(new WorkerLeftRunning(module, ms)), ms);
    };
    if (run.signal?.aborted) stop();
    else run.signal?.addEventListener('abort', stop, { once: true });
    worker.on('message', (m: unknown) => {
      if ((m as WorkerFailure | null)?.type === 'worker.failed') failure ??= errorOf(m as WorkerFailure);
      else run.onMessage(m);
    });
    worker.on('error', (err) => (failure ??= err));
    worker.on('exit', (code) => {
      live.delete(entry);
      signalEnded();
      clearTimeout(deadline);
      run.signal?.removeEventListener('abort', stop);
      if (failure) reject(failure);
      else if (code !== 0) reject(new Error(`worker exited with code ${code}`));
      else resolve();
    });
  });
}

/** Asks every worker of this process to stop and waits for them, at most `deadlineMs`; the number still running. */
export async function stopWorkers(deadlineMs = WORKER_STOP_DEADLINE_MS): Promise<number> {
  const running = [...live];
  running.forEach((w) => w.stop());
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs)));
  await Promise.race([Promise.all(running.map((w) => w.ended)), late]);
  clearTimeout(timer);
  return running.filter((w) => live.has(w)).length;
}

/** True when a worker's run ended because it was asked to stop. */
export function wasStopped(err: unknown): boolean {
  return err instanceof WorkerLeftRunning || (err instanceof Error && err.name === WORKER_STOPPED);
}

function errorOf(f: WorkerFailure): Error {
  const err = new Error(f.message);
  err.name = f.name;
  if (f.stack) err.stack = f.stack;
  return err;
}
