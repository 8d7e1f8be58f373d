/**
 * One direction (docs/architecture.md): `bot → flows → server/services → models`, server/http and
 * server/jobs → server/services, server/lib at the bottom, migrations frozen, and no import cycle,
 * type-only imports included. The rules are data in .dependency-cruiser.cjs; dependency-cruiser
 * reads the imports (test/architecture/cruise.mjs).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../helpers/root';

const RULES = path.join(ROOT, '.dependency-cruiser.cjs');
const RUNNER = path.join(ROOT, 'test/architecture/cruise.mjs');
/** The layered code; seeds/, bench/ and test/ sit outside the rule. */
const LAYERED = ['server', 'flows', 'bot', 'models'];

interface Violation {
  rule: string;
  from: string;
  to: string;
  cycle?: string[];
}

/** What dependency-cruiser finds in `folders` of `cwd` under the project's rules. */
async function cruise(cwd: string, folders: string[]): Promise<{ modules: number; violations: Violation[] }> {
  const { stdout } = await promisify(execFile)(process.execPath, [RUNNER, RULES, ...folders], { cwd, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout);
}

/** An npm package by its name rather than the file it resolved to. */
const shown = (file: string) => file.replace(/^(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, '$1');

/** Each import against the direction, as `from → to (rule)`. */
function arrows(violations: Violation[]): string[] {
  return violations
    .filter((v) => !v.cycle)
    .map((v) => `${v.from} → ${shown(v.to)} (${v.rule})`)
    .sort();
}

/** Each cycle once, as `a → b → a` from its first file by name (dependency-cruiser reports one per file in it). */
function cycles(violations: Violation[]): string[] {
  const found = new Set<string>();
  for (const v of violations) {
    if (!v.cycle) continue;
    const ring = v.cycle; // ends where it starts: at v.from
    const first = ring.indexOf([...ring].sort()[0]);
    const rotated = [...ring.slice(first), ...ring.slice(0, first)];
    found.add([...rotated, rotated[0]].join(' → '));
  }
  return [...found].sort();
}

describe('architecture: one direction, no cycles', () => {
  let result: { modules: number; violations: Violation[] };
  beforeAll(async () => {
    result = await cruise(ROOT, LAYERED);
  }, 60_000);

  it('reads the whole tree', () => {
    expect(result.modules).toBeGreaterThan(300);
  });

  it('no import points up a layer (server/lib at the bottom, migrations frozen, config without domain code, http without flows, flows without channels)', () => {
    expect(arrows(result.violations)).toEqual([]);
  });

  it('no import cycle in server/, flows/, bot/, models/, type-only imports included', () => {
    expect(cycles(result.violations)).toEqual([]);
  });
});

describe('architecture: the rules catch what they forbid', () => {
  let dir: string;
  let result: { modules: number; violations: Violation[] };

  // A tiny tree with one wrong import per rule, imports of seeds by the composition roots (allowed),
  // and a cycle made of type-only imports.
  const files: Record<string, string> = {
    'server/services/thing.ts': 'export const thing = 1;\n',
    'server/services/notify.ts': "import { words } from '../../flows/words';\nexport const notify = words;\n",
    'server/lib/clock.ts': "import { thing } from '../services/thing';\nexport const clock = thing;\n",
    'server/config.ts': "import { thing } from './services/thing';\nexport const config = thing;\n",
    'server/http/routes.ts': "import { words } from '../../flows/words';\nexport const routes = words;\n",
    'server/jobs/job.ts': "import { helper } from '../../test/helper';\nexport const job = helper;\n",
    'server/jobs/worker.ts': "import { words } from '../../flows/words';\nexport const worker = words;\n",
    'server/wording/texts.ts': "import { routes } from '../http/routes';\nexport const texts = routes;\n",
    'server/services/plain.ts': "import { texts } from '../wording/texts';\nexport const plain = texts;\n",
    'server/main.ts': "import { demo } from '../seeds/demo';\nimport { bench } from '../bench/run';\nexport const main = [demo, bench];\n",
    'models/Person.ts': "import { thing } from '../server/services/thing';\nexport const person = thing;\n",
    'models/migrations/20260101000000-create-things.ts': "import { demo } from '../../seeds/demo';\nexport const up = demo;\n",
    'flows/words.ts': "import { thing } from '../server/services/thing';\nexport const words = thing;\n",
    'flows/chat.ts': "import { Telegraf } from 'telegraf';\nexport const chat = Telegraf;\n",
    'flows/a.ts': "import type { B } from './b';\nexport interface A { b?: B }\n",
    'flows/b.ts': "import type { A } from './a';\nexport interface B { a?: A }\n",
    'bot/render.ts': "import { words } from '../flows/words';\nimport { demo } from '../seeds/demo';\nexport const render = [words, demo];\n",
    'bot/local/terminal.ts': "import { demo } from '../../seeds/demo';\nexport const terminal = demo;\n",
    'seeds/demo.ts': 'export const demo = 1;\n',
    'bench/run.ts': 'export const bench = 1;\n',
    'test/helper.ts': 'export const helper = 1;\n',
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    // So that `telegraf` resolves to the package, as it does in the project.
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    result = await cruise(dir, LAYERED);
  }, 60_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports each upward import as from → to (rule), and lets the composition roots load seeds', () => {
    expect(arrows(result.violations)).toEqual([
      'bot/render.ts → seeds/demo.ts (no-demo-or-test-code)',
      'flows/chat.ts → telegraf (flows-channel-agnostic)',
      'models/Person.ts → server/services/thing.ts (models-below-services)',
      'models/migrations/20260101000000-create-things.ts → seeds/demo.ts (migrations-frozen)',
      'models/migrations/20260101000000-create-things.ts → seeds/demo.ts (no-demo-or-test-code)',
      'server/config.ts → server/services/thing.ts (config-no-domain)',
      'server/http/routes.ts → flows/words.ts (http-not-flows)',
      'server/jobs/job.ts → test/helper.ts (no-demo-or-test-code)',
      'server/jobs/worker.ts → flows/words.ts (jobs-call-services)',
      'server/lib/clock.ts → server/services/thing.ts (lib-is-bottom)',
      'server/main.ts → bench/run.ts (root-loads-no-test-code)',
      'server/services/notify.ts → flows/words.ts (services-below-channels)',
      'server/services/plain.ts → server/wording/texts.ts (services-below-channels)',
      'server/wording/texts.ts → server/http/routes.ts (wording-over-services)',
    ]);
  });

  it('reports a cycle of type-only imports, once', () => {
    expect(cycles(result.violations)).toEqual(['flows/a.ts → flows/b.ts → flows/a.ts']);
  });
});
