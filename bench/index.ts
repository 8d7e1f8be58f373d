import { benchBotPipeline } from './bot-pipeline';
import { benchBroadcast } from './broadcast';
import { benchImport } from './import';
import { benchLoginBurst } from './login-burst';
import { benchParticipantsPick } from './participants-pick';
import { benchProgress } from './progress';
import { benchProvince } from './province';
import { benchResponsiveness } from './responsiveness';
import { benchSigninBurst } from './signin-burst';

/** `npm run bench`: every figure beside its floor, measured in the same run. */
async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'bot') await benchBotPipeline();
  if (!only || only === 'import') await benchImport();
  if (!only || only === 'live') await benchResponsiveness();
  if (!only || only === 'logins') await benchLoginBurst();
  if (!only || only === 'signin') await benchSigninBurst();
  if (!only || only === 'pick') await benchParticipantsPick();
  if (!only || only === 'broadcast') await benchBroadcast();
  if (!only || only === 'progress') await benchProgress();
  // PostgreSQL only (BENCH_DATABASE_URL): not part of a plain `npm run bench`.
  if (only === 'province') await benchProvince(process.argv.slice(3));
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
