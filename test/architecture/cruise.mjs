/**
 * Runs dependency-cruiser's `cruise` over folders with the rules of a rules file and prints what
 * it found as JSON, for layers.test.ts. A separate process because dependency-cruiser is an ES
 * module only, which jest's CommonJS module system cannot load.
 *
 *   node test/architecture/cruise.mjs <rules file> <folder>...   (folders relative to the cwd)
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { cruise } from 'dependency-cruiser';

const [rulesFile, ...folders] = process.argv.slice(2);
const { forbidden, options } = createRequire(import.meta.url)(path.resolve(rulesFile));
const { output } = await cruise(folders, { ...options, ruleSet: { forbidden }, validate: true });
const result = typeof output === 'string' ? JSON.parse(output) : output;
process.stdout.write(
  JSON.stringify({
    modules: result.summary.totalCruised,
    violations: result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to, cycle: v.cycle?.map((c) => c.name) })),
  }),
);
