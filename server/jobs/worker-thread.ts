import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** Options of {@link runInWorker}. */
export interface WorkerRun {
  /** Called with each message the worker posts. */
  onMessage(message: unknown): void;
  /** Terminates the worker (the process stops, or the job's lease was lost). */
  signal?: AbortSignal;
  /** The worker's heap, in MB: long work must not grow without bound. */
  maxHeapMb?: number;
  /** The thread's niceness (Linux): 10 lets the thread that answers users go first. Default 10. */
  nice?: number;
}

/**
 * Runs a TypeScript module (under server/jobs/workers) on a worker thread of this process:
 * its CPU work never blocks the thread that answers users. Resolves when the worker ends
 * normally; rejects when it throws, dies or is terminated.
 */
export function runInWorker(module: string, data: Record<string, unknown>, run: WorkerRun): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'workers', 'bootstrap.js'), {
      workerData: { ...data, module: path.join(__dirname, 'workers', module), nice: run.nice ?? 10 },
      resourceLimits: { maxOldGenerationSizeMb: run.maxHeapMb ?? 512 },
    });
    let failure: Error | null = null;
    const stop = () => void worker.terminate();
    run.signal?.addEventListener('abort', stop);
    worker.on('message', (m) => run.onMessage(m));
    worker.on('error', (err) => (failure ??= err));
    worker.on('exit', (code) => {
      run.signal?.removeEventListener('abort', stop);
      if (failure) reject(failure);
      else if (code !== 0) reject(new Error(run.signal?.aborted ? 'worker stopped' : `worker exited with code ${code}`));
      else resolve();
    });
  });
}
