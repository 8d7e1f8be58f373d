import 'dotenv/config';
import { ConfigError, loadConfig } from './config';
import { HAND_RUN_JOBS } from './jobs';
import { Scheduler, withSchedules } from './jobs/scheduler';
import { createLogger } from './logger';
import { buildSystem } from './system';

/**
 * `npm run job -- <name>`: runs one scheduled job now, as its schedule would (taking its lease,
 * so a server running it at this moment is not doubled). What it queues the server delivers.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const jobs = withSchedules(HAND_RUN_JOBS, config.schedules);
  const name = process.argv[2];
  const job = jobs.find((j) => j.name === name);
  if (!job) throw new ConfigError(`${name ? `No job named ${name}. ` : ''}Usage: npm run job -- <name>, one of: ${jobs.map((j) => j.name).join(', ')}`);
  const logger = createLogger(config.logLevel);
  const system = await buildSystem(config, logger);
  try {
    const ran = await new Scheduler(system, jobs, config.timezone).runOnce(job);
    console.log(ran ? `Ran ${job.name}.` : `${job.name} is running elsewhere right now (its lease is held); try again when it is done.`);
  } finally {
    await system.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
