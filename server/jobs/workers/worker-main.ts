/**
 * The worker side of runInWorker (../worker-thread.ts): a worker's work gets a stop it checks
 * between rows, and the thread always ends by itself once the work has settled (its database
 * closed). An uncaught error would tear the thread down at once, like terminate(), with
 * whatever statement is still completing: failures are posted instead.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { WORKER_STOP, WORKER_STOPPED, type WorkerFailure } from '../worker-thread';

/** A request to stop, as a worker's work sees it. */
export interface WorkerStop {
  /** Aborted when the runner asks the worker to stop (its message needs an await to arrive). */
  signal: AbortSignal;
  /** Throws when a stop was asked for, seen at once even inside a loop that never awaits. */
  check(): void;
}

function stopped(): Error {
  const err = new Error('the runner asked the worker to stop');
  err.name = WORKER_STOPPED;
  return err;
}

/** Runs `work` on this worker thread with the runner's data and a stop; a failure is posted, not thrown. */
export function workerMain<T>(work: (data: T, stop: WorkerStop) => Promise<void>): void {
  const port = parentPort!;
  const flag = workerData.stopFlag as Int32Array;
  const controller = new AbortController();
  const abort = () => {
    if (!controller.signal.aborted) controller.abort(stopped());
  };
  const onMessage = (m: { type?: string } | null) => {
    if (m?.type === WORKER_STOP) abort();
  };
  port.on('message', onMessage);
  const stop: WorkerStop = {
    signal: controller.signal,
    check() {
      if (Atomics.load(flag, 0) === 1) abort();
      controller.signal.throwIfAborted();
    },
  };
  work(workerData as T, stop)
    .catch((err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      port.postMessage({ type: 'worker.failed', name: e.name, message: e.message, stack: e.stack } satisfies WorkerFailure);
    })
    // No listener left: the thread ends by itself.
    .finally(() => port.off('message', onMessage));
}
