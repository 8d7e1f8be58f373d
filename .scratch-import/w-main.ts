import { parentPort } from 'node:worker_threads';
import { cleanText } from '../server/services/roster-import/cells';
parentPort!.postMessage(cleanText('  hello  ') as string);
