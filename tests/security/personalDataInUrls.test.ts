/**
 * Nothing personal in URLs (POPIA; issue 13 §4): request URLs land in App Service's logs, in the
 * Application Insights agent's telemetry and in browser history. This walks the API contract
 * (every route in docs/api.md's tables), fills each route's path and query from a real case's
 * values as the tab would, calls it over real HTTP (so the contract is the service's), and fails
 * when a URL carries a personal value: account or ID number, mobile, email, name or anything the
 * ratepayer typed. The tab's own request paths are checked the same way.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, signIn, startTestService, type ApiClient } from '../support/tabApi.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** One route of the contract, with the query examples its row gives. */
interface ContractRoute {
  method: string;
  path: string;
  queries: URLSearchParams[];
}

/** The routes of docs/api.md's tables: "| `GET /api/x?a=1` or `?b=2` | …". */
function contractRoutes(): ContractRoute[] {
  const routes: ContractRoute[] = [];
  for (const line of readFileSync(path.join(root, 'docs/api.md'), 'utf8').split('\n')) {
    const first = /^\| ([^|]+)\|/.exec(line)?.[1];
    const route = first && /`(GET|POST|PUT|PATCH|DELETE) (\/api\/[^`\s]*)`/.exec(first);
    if (!route) continue;
    const [pathPart, query] = route[2]!.split('?') as [string, string | undefined];
    const queries = [query, ...[...first.matchAll(/`\?([^`]+)`/g)].map((m) => m[1])].filter((q): q is string => q !== undefined).map((q) => new URLSearchParams(q));
    routes.push({ method: route[1]!, path: pathPart, queries: queries.length ? queries : [new URLSearchParams()] });
  }
  return routes;
}

describe('security: nothing personal in URLs (the API contract walked)', function () {
  this.timeout(30_000);
  const definition = definitionWithAgents(0);
  let service: RunningService;
  let johan: ApiClient;
  let personal: string[];
  let values: Record<string, string>;

  before(async () => {
    const db = await freshDatabase();
    service = await startTestService(db, definition, { scheduler: { start: false } });
    johan = await signIn(service, 'johan');
    const c = await seedCase(db, definition, 'indigent');
    // What a ratepayer gave: every intake value, their name, and forms people write them in.
    const intake = c.intake as Record<string, string | number>;
    personal = [
      ...Object.values(intake).map(String).filter((v) => v.length >= 4),
      c.ratepayer.displayName,
      String(intake.mobile).replace('+27', '0'),
      String(intake.accountHolder).split(' ')[0]!,
      'lerato@example.org',
    ];
    // What the tab fills a route with, by parameter name: the case's own values.
    values = { reference: c.id, account: String(intake.accountNumber), accountNumber: String(intake.accountNumber), mobile: String(intake.mobile), idNumber: String(intake.idNumber), email: 'lerato@example.org', name: c.ratepayer.displayName, session: '' };
  });
  after(async () => service?.close());

  it('the contract lists the routes the tab uses, and each answers as a route (not 404/405 from the router)', async () => {
    const routes = contractRoutes();
    assert.ok(routes.length >= 19, `${routes.length} routes read from docs/api.md`);
    for (const r of routes) {
      // The live stream stays open; it is exercised by tests/api/liveEvents.test.ts.
      if (r.path === '/api/events') continue;
      const url = r.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(values[name] ?? 'x'));
      const res = await johan.call(r.method, url, r.method === 'GET' ? undefined : {});
      assert.notEqual(res.status, 405, `${r.method} ${r.path}`);
      assert.ok(!(res.status === 404 && res.body?.message === 'There is no such route.'), `${r.method} ${r.path} is not a route`);
    }
  });

  it('no route carries a personal value in its path or query', async () => {
    const problems: string[] = [];
    for (const r of contractRoutes()) {
      for (const name of r.path.match(/:(\w+)/g) ?? []) if (name !== ':reference') problems.push(`${r.method} ${r.path}: path parameter ${name}`);
      for (const query of r.queries) {
        const filled = new URLSearchParams([...query.keys()].map((k): [string, string] => [k, values[k] ?? query.get(k) ?? '']));
        const url = `${r.path.replace(/:(\w+)/g, (_, n: string) => values[n] ?? 'x')}${[...filled.keys()].length ? `?${filled}` : ''}`;
        const decoded = decodeURIComponent(url).toLowerCase();
        for (const value of personal) if (decoded.includes(value.toLowerCase())) problems.push(`${r.method} ${url}: carries "${value}"`);
        // Served over real HTTP as written, so the contract is what the service answers.
        if (r.path !== '/api/events') await johan.call(r.method, url, r.method === 'GET' ? undefined : {});
      }
    }
    assert.deepEqual(problems, []);
  });

  it("the tab's request paths put nothing but a reference or a session id in a URL", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|tsx)$/.test(name)) files.push(p);
      }
    };
    walk(path.join(root, 'tab/src'));
    const problems: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // Every string or template that starts an /api/ path, up to its closing quote.
      for (const m of text.matchAll(/(['`])(\/api\/[^'`]*)\1/g)) {
        const literal = m[2]!;
        const interpolated = [...literal.matchAll(/\$\{([^}]*)\}/g)].map((x) => x[1]!.trim());
        // A case reference, a session id, or a region code (programme data, not personal).
        const allowed = interpolated.every((expr) => /^(encodeURIComponent\()?(ref|reference|data\.session\.id|session|regionQuery)\)?$/.test(expr));
        const query = literal.split('?')[1];
        const queryNames = query ? [...new URLSearchParams(query.replace(/\$\{[^}]*\}/g, 'x')).keys()] : [];
        if (!allowed || queryNames.some((n) => n !== 'session' && n !== 'region')) problems.push(`${path.relative(root, file)}: ${literal}`);
      }
      // Building a query string from data (reading one, as the hash route does, is fine).
      if (/new URLSearchParams\(\s*[[{]|searchParams\.(set|append)\(/.test(text))
        problems.push(`${path.relative(root, file)}: builds a query string from data (URLSearchParams)`);
    }
    assert.deepEqual(problems, []);
  });
});
