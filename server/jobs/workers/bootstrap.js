/* A worker thread's first file, plain JavaScript: lowers the thread's priority when asked (on
 * Linux it applies to this thread alone: background work yields the CPU to the thread that
 * answers users), then loads the TypeScript module named in workerData.module, through tsx
 * when no TypeScript loader is in place yet (under jest, or when not started by tsx). */
const { workerData } = require('node:worker_threads');
if (workerData.nice) {
  try {
    require('node:os').setPriority(workerData.nice);
  } catch {
    // not permitted here: run at normal priority
  }
}
if (!require.extensions['.ts']) require('tsx/cjs/api').register();
require(workerData.module);
