const { parentPort } = require('node:worker_threads');
try { const { cleanText } = require('../server/services/roster-import/cells'); parentPort.postMessage('ok ' + cleanText('  hi ')); }
catch (e) { parentPort.postMessage('fail ' + e.message); }
