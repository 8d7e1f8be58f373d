const { parentPort } = require('node:worker_threads');
require('tsx/cjs');
try { const { cleanText } = require('../server/services/roster-import/cells'); parentPort.postMessage('ok2 ' + cleanText('  hi ')); }
catch (e) { parentPort.postMessage('fail2 ' + e.message); }
