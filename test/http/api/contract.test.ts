/**
 * The web API's contract is code (server/http/api/contract.ts): every route the router has is
 * in the table with its schemas, and the API tests' client checks every answer against them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { apiRouter } from '../../../server/http/api';
import { PICK_AT_MOST } from '../../../server/http/api/activities/schema';
import { API_CONTRACT } from '../../../server/http/api/contract';
import { MAX_PARTICIPANTS } from '../../../server/services/activities/activity-participants';
import { ROOT } from '../../helpers/root';
import { createTestSystem, type TestSystem } from '../../helpers/system';
import { checkAnswer, contractOf } from './contract-check';
import { DAY } from './helpers';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(async () => {
  await sys.close();
});

const key = (method: string, path: string) => `${method} ${path}`;

describe('the API contract', () => {
  it('lists every route the router has, and nothing else', () => {
    const router = apiRouter({ services: sys.services, miniAppMaxAgeMs: DAY });
    const routes = router.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => key(m, String(layer.path))));
    expect(routes.length).toBeGreaterThan(0);
    expect(API_CONTRACT.map((r) => key(r.method, r.path)).sort()).toEqual([...new Set(routes)].sort());
  });

  it('finds the route of a request, a literal segment before a parameter', () => {
    expect(contractOf('GET', '/api/orgs/search?q=团')?.path).toBe('/api/orgs/search');
    expect(contractOf('GET', '/api/orgs/12/people/export?filter=all')?.path).toBe('/api/orgs/:id/people/export');
    expect(contractOf('DELETE', '/api/activities/3/participants/4')?.path).toBe('/api/activities/:id/participants/:personId');
    expect(contractOf('PUT', '/api/me')).toBeNull();
  });

  it('fails an answer that drifted from its schema: a field missing, one not named, an error of another shape', () => {
    const ok = { ok: true, endedChats: 0, endedWebSessions: 1 };
    expect(() => checkAnswer('POST', '/api/me/password', 200, ok, true)).not.toThrow();
    expect(() => checkAnswer('POST', '/api/me/password', 200, { ok: true, endedChats: 0 }, true)).toThrow(/endedWebSessions/);
    expect(() => checkAnswer('POST', '/api/me/password', 200, { ...ok, extra: 1 }, true)).toThrow(/extra/);
    expect(() => checkAnswer('POST', '/api/me/password', 400, { error: { code: 'X', message: '错' } }, true)).not.toThrow();
    expect(() => checkAnswer('POST', '/api/me/password', 400, { message: '错' }, true)).toThrow(/does not fit/);
    expect(() => checkAnswer('POST', '/api/nowhere', 200, {}, true)).toThrow(/no entry/);
  });

  it('the schema files import only zod and each other, so the web app can take their types without the server', () => {
    const api = path.join(ROOT, 'server/http/api');
    const files = [
      'schema.ts',
      'ids.ts',
      'contract.ts',
      ...fs
        .readdirSync(api)
        .filter((d) => fs.existsSync(path.join(api, d, 'schema.ts')))
        .map((d) => `${d}/schema.ts`),
    ];
    expect(files.length).toBeGreaterThan(5);
    const allowed = new Set(files.map((f) => path.join(api, f.replace(/\.ts$/, ''))));
    for (const file of files) {
      const text = fs.readFileSync(path.join(api, file), 'utf8');
      for (const [, from] of text.matchAll(/from '([^']+)'/g)) {
        const ok = from === 'zod' || (from.startsWith('.') && allowed.has(path.join(api, path.dirname(file), from)));
        expect(`${file} imports ${from}: ${ok ? 'allowed' : 'not allowed'}`).toBe(`${file} imports ${from}: allowed`);
      }
    }
  });

  it('R18 the request schema refuses more people at once than an activity may have', () => {
    expect(PICK_AT_MOST).toBe(MAX_PARTICIPANTS);
  });
});
