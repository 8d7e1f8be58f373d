/**
 * Runs one import in a process of its own, for the kill-mid-import test:
 * `node --import tsx test/helpers/processes/import-child.ts <databaseUrl> <dataDir> <actorPersonId> <file> [holdMs]`.
 * Prints `WRITING <n>` once every row is in the open transaction, then (with holdMs) keeps the
 * transaction open that long, so the parent's SIGKILL lands before the commit; prints `DONE <json>` at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createLogger } from '../../../server/logger';
import { importRoster } from '../../../server/services/membership/roster-import/importer';
import { buildSystem } from '../../../server/system';

async function main(): Promise<void> {
  const [databaseUrl, dataDir, actor, file, hold] = process.argv.slice(2);
  // The parent's key file (`<dataDir>/id-key`): the database refuses another key.
  const system = await buildSystem({ databaseUrl, dataDir, scryptLog2N: 10 }, createLogger('silent'));
  const outcome = await importRoster(system.services, {
    actorPersonId: Number(actor),
    source: { buffer: fs.readFileSync(file), fileName: path.basename(file) },
    onCommit: async (_t, written) => {
      process.stdout.write(`WRITING ${written.imported}\n`);
      if (hold) await new Promise((resolve) => setTimeout(resolve, Number(hold)));
    },
  });
  process.stdout.write(`DONE ${JSON.stringify({ ...outcome, report: undefined })}\n`);
  await system.close();
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
