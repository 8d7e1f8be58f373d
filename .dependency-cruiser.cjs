/**
 * The direction of imports (docs/architecture.md), as data for dependency-cruiser.
 * `bot → flows → server/services → models`, `server/http` and `server/jobs` → `server/services`,
 * `server/lib` at the bottom; `server/wording` (Chinese text that chat and the web app share)
 * sits above services and below every adapter. The composition roots may import anything, seeds included;
 * seeds/, bench/ and test/ sit outside the rule.
 * Checked by test/architecture/layers.test.ts; by hand: `npx depcruise -c .dependency-cruiser.cjs server flows bot models`.
 */

// Everything of the project, so that "imports nothing of the project" reads as one path.
const PROJECT = '^(server|flows|bot|models|seeds|bench|test)/';
// The composition roots: server/main.ts (`npm start`) and server/system.ts, which they share, and
// bot/local/terminal.ts, the entry of `npm run chat`, which builds the same system in its own
// process, seeds an empty database as main.ts does and offers the demo people as logins.
const ROOT = ['^server/(main|system)[.]ts$', '^bot/local/terminal[.]ts$'];

/** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
const forbidden = [
  {
    name: 'lib-is-bottom',
    comment: 'server/lib holds pure helpers: node and npm packages only, nothing else of the project.',
    severity: 'error',
    from: { path: '^server/lib/' },
    to: { path: PROJECT, pathNot: '^server/lib/' },
  },
  {
    name: 'models-below-services',
    comment: 'Models know tables, not the services, flows, channels or demo data built on them.',
    severity: 'error',
    from: { path: '^models/' },
    to: { path: ['^server/(services|http|jobs)/', ...ROOT, '^(flows|bot)/'] },
  },
  {
    name: 'migrations-frozen',
    comment: 'A migration is history: it imports nothing of the project, so changing seeds or services never changes it.',
    severity: 'error',
    from: { path: '^models/migrations/' },
    to: { path: PROJECT },
  },
  {
    name: 'config-no-domain',
    comment: 'server/config.ts reads the environment before any domain exists: server/lib and npm only.',
    severity: 'error',
    from: { path: '^server/config[.]ts$' },
    to: { path: PROJECT, pathNot: '^server/lib/' },
  },
  {
    name: 'services-below-channels',
    comment: 'Services hold the rules and know no conversation, channel, route, job or composition root.',
    severity: 'error',
    from: { path: '^server/services/' },
    to: { path: ['^(flows|bot)/', '^server/(http|jobs|wording)/', ...ROOT] },
  },
  {
    name: 'wording-over-services',
    comment: 'Shared wording turns plain data of services into Chinese text; it knows no adapter.',
    severity: 'error',
    from: { path: '^server/wording/' },
    to: { path: ['^(flows|bot)/', '^server/(http|jobs)/', ...ROOT] },
  },
  {
    name: 'http-not-flows',
    comment: 'HTTP routes call services; chat conversations, channels and jobs are not theirs to use.',
    severity: 'error',
    from: { path: '^server/http/' },
    to: { path: ['^(flows|bot)/', '^server/jobs/'] },
  },
  {
    name: 'jobs-call-services',
    comment: 'Scheduled and background jobs call services; they use no conversation, channel or route.',
    severity: 'error',
    from: { path: '^server/jobs/' },
    to: { path: ['^(flows|bot)/', '^server/http/'] },
  },
  {
    name: 'flows-channel-agnostic',
    comment: 'Flows know no channel, route or job, and import neither telegraf nor koa.',
    severity: 'error',
    from: { path: '^flows/' },
    to: { path: ['^bot/', '^server/(http|jobs)/', ...ROOT, '(^|/)node_modules/(@types/)?(telegraf|koa|koa-[^/]+|koa__[^/]+|@koa/[^/]+)/'] },
  },
  {
    name: 'no-demo-or-test-code',
    comment: 'Only a composition root may load seeds; nothing runs bench or test code.',
    severity: 'error',
    from: { path: '^(server|flows|bot|models)/', pathNot: ROOT },
    to: { path: '^(seeds|bench|test)/' },
  },
  {
    name: 'root-loads-no-test-code',
    comment: 'A composition root may load seeds, never bench or test code.',
    severity: 'error',
    from: { path: ROOT },
    to: { path: '^(bench|test)/' },
  },
  {
    name: 'no-cycles',
    comment: 'No import cycle, type-only imports included: a cycle makes two files one.',
    severity: 'error',
    from: { path: '^(server|flows|bot|models)/' },
    to: { circular: true },
  },
];

module.exports = {
  forbidden,
  options: {
    // Type-only imports count: a cycle through `import type` still ties the files together.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^server/http/webapp/' },
    moduleSystems: ['cjs', 'es6'],
  },
};
