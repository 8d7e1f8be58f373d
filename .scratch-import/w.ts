import { Worker } from 'node:worker_threads';
import path from 'node:path';
const w = new Worker(path.join(__dirname, 'w-boot2.js'));
w.on('message', (m) => { console.log('got', m); w.terminate(); });
w.on('error', (e) => console.log('error', e.message));
console.log(process.execArgv);
