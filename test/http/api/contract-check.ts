import { z } from 'zod';
import { API_CONTRACT, type RouteContract } from '../../../server/http/api/contract';
import { errorBody } from '../../../server/http/api/schema';

const patterns = API_CONTRACT.map((route) => ({
  route,
  regex: new RegExp(`^${route.path.replace(/:[A-Za-z]+/g, '[^/]+')}$`),
  // A literal segment is a better match than a parameter: `/api/orgs/search` before `/api/orgs/:id`.
  params: (route.path.match(/:/g) ?? []).length,
}));

/** The contract's entry for a request, or null when none matches. */
export function contractOf(method: string, path: string): RouteContract | null {
  const bare = path.split('?')[0];
  const found = patterns.filter((p) => p.route.method === method && p.regex.test(bare)).sort((a, b) => a.params - b.params);
  return found[0]?.route ?? null;
}

/**
 * Checks one answer of the API against the contract (server/http/api/contract.ts): a 2xx is the
 * route's response schema, anything else the one error shape. Throws, naming what does not fit.
 */
export function checkAnswer(method: string, path: string, status: number, body: unknown, isJson: boolean): void {
  if (!path.startsWith('/api/')) return;
  const route = contractOf(method, path);
  const where = `${method} ${path} → ${status}`;
  if (status >= 400) {
    if (!isJson) return; // the HTTP server's own refusals (413, 431) come before the API
    fail(where, errorBody, body);
    return;
  }
  if (!route) throw new Error(`API contract: no entry for ${where}`);
  if (route.response === null) {
    if (isJson) throw new Error(`API contract: ${where} sends JSON, the contract says a file`);
    return;
  }
  if (!isJson) throw new Error(`API contract: ${where} sends no JSON`);
  fail(where, route.response, body);
}

function fail(where: string, schema: z.ZodType, body: unknown): void {
  const result = schema.safeParse(body);
  if (!result.success)
    throw new Error(`API contract: ${where} does not fit its schema:\n${z.prettifyError(result.error)}\n${JSON.stringify(body).slice(0, 2000)}`);
}
