import fs from 'node:fs';
import type { Page } from 'playwright-core';

/** One rule axe-core found broken, with the elements that break it. */
export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.1 A and AA) on the page as it is now and returns what it finds broken.
 * `expect(await accessibilityViolations(page)).toEqual([])` keeps a page accessible.
 */
export async function accessibilityViolations(page: Page, options: { exclude?: string[] } = {}): Promise<Violation[]> {
  // Evaluated through the DevTools protocol, which the app's Content-Security-Policy does not stop (a script tag it would).
  await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async (exclude) => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(
      { include: [['body']], exclude: exclude.map((s) => [s]) },
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } },
    );
    return result.violations.map((v) => ({
      id: v.id as string,
      impact: (v.impact ?? null) as string | null,
      help: v.help as string,
      targets: (v.nodes as Array<{ target: string[] }>).map((n) => n.target.join(' ')),
    }));
  }, options.exclude ?? []);
}
