/* A worker thread's first file, plain JavaScript: loads the TypeScript module named in
 * workerData.module, through tsx when no TypeScript loader is in place yet (under jest, or
 * when the process was not started by tsx). */
const { workerData } = require('node:worker_threads');
if (!require.extensions['.ts']) require('tsx/cjs/api').register();
require(workerData.module);
