/**
 * Which kinds of query a household raised is sensitive (an indigent/ESP application says
 * something about its income): search and a case page's earlier cases show an agent only the
 * cases of their categories, the others as "another case, not in your categories" with nothing
 * else; supervisors see all; every search is recorded on its own audit trail.
 */
import assert from 'node:assert/strict';
import type { RunningService } from '../../bot/service.js';
import type { SearchRecord } from '../../bot/platform/ports/searchAudit.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, signIn, startTestService, type ApiClient } from '../support/tabApi.js';
import { formatReference } from '../../bot/domain/reference.js';

describe('security: cases across skills, and the search audit trail', function () {
  this.timeout(30_000);
  const definition = definitionWithAgents(0);
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let service: RunningService;
  let anele: ApiClient; // metering only
  let johan: ApiClient; // supervisor
  let indigentCase: { id: string };
  let meteringCase: { id: string };

  before(async () => {
    db = await freshDatabase();
    service = await startTestService(db, definition, { scheduler: { start: false } });
    [anele, johan] = await Promise.all([signIn(service, 'anele'), signIn(service, 'johan')]);
    // One household (account 501234567): an indigent (ESP) case, resolved by Priya, and a metering case.
    indigentCase = await seedCase(db, definition, 'indigent', { minutesAgo: 90 });
    const priya = await signIn(service, 'priya');
    assert.equal((await priya.post(`/api/cases/${indigentCase.id}/claim`)).status, 200);
    assert.equal((await priya.post(`/api/cases/${indigentCase.id}/resolve`, { outcome: 'resolved', summary: 'Registered for ESP.' })).status, 200);
    meteringCase = await seedCase(db, definition, 'metering', { minutesAgo: 5 });
  });
  after(async () => service?.close());

  /** Nothing of the indigent case may show: its reference, category, state, outcome, expert or times. */
  function assertNothingOf(body: unknown, label: string) {
    const text = JSON.stringify(body);
    for (const secret of [indigentCase.id, formatReference(indigentCase.id), 'indigent', 'Indigent', 'ESP', 'resolved', 'Priya', 'closedAt'])
      assert.ok(!text.includes(secret), `${label} shows "${secret}": ${text.slice(0, 400)}`);
  }

  it('a metering agent searching the account sees their case, and only that another case exists', async () => {
    const res = await anele.post('/api/search', { account: '501234567' });
    assert.equal(res.status, 200);
    const visible = res.body.results.filter((r: any) => !r.restricted);
    assert.deepEqual(visible.map((r: any) => r.reference), [meteringCase.id]);
    assert.deepEqual(res.body.results.filter((r: any) => r.restricted), [{ restricted: true, label: 'Another case, not in your categories', canOpen: false }]);
    assertNothingOf(res.body, 'search by account');
  });

  it('searching the other case by its reference says no more', async () => {
    const res = await anele.post('/api/search', { reference: indigentCase.id });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.results, [{ restricted: true, label: 'Another case, not in your categories', canOpen: false }]);
  });

  it("the case page's earlier cases show the other case the same way", async () => {
    const page = await anele.get(`/api/cases/${meteringCase.id}`);
    assert.equal(page.status, 200);
    assert.deepEqual(page.body.history, [{ restricted: true, label: 'Another case, not in your categories', canOpen: false }]);
    assertNothingOf(page.body.history, 'history');
  });

  it('a supervisor sees every case with its category, state and outcome', async () => {
    const res = await johan.post('/api/search', { account: '501234567' });
    const byRef = Object.fromEntries(res.body.results.map((r: any) => [r.reference, r]));
    assert.equal(byRef[indigentCase.id].category, 'indigent');
    assert.equal(byRef[indigentCase.id].outcome, 'resolved');
    assert.equal(byRef[indigentCase.id].canOpen, true);
    assert.equal(byRef[meteringCase.id].category, 'metering');
    const page = await johan.get(`/api/cases/${meteringCase.id}`);
    assert.deepEqual(page.body.history.map((h: any) => h.reference), [indigentCase.id]);
  });

  it('records every search: who searched for what, when and how many cases it found', async () => {
    const before = Date.now();
    await anele.post('/api/search', { account: '501 234 567' });
    await johan.post('/api/search', { reference: formatReference(meteringCase.id).toLowerCase() });
    await anele.post('/api/search', { account: '123456789' });
    const { resources } = await db.searches.items
      .query<SearchRecord>({ query: 'SELECT * FROM c WHERE c.at >= @since ORDER BY c.at', parameters: [{ name: '@since', value: new Date(before).toISOString() }] })
      .fetchAll();
    const lines = resources.map((r) => ({ by: r.by.id, role: r.by.role, query: r.query, found: r.found }));
    assert.deepEqual(lines, [
      { by: 'anele', role: 'agent', query: { accountNumber: '501234567' }, found: 2 },
      { by: 'johan', role: 'supervisor', query: { reference: meteringCase.id }, found: 1 },
      { by: 'anele', role: 'agent', query: { accountNumber: '123456789' }, found: 0 },
    ]);
    for (const r of resources) assert.ok(Date.parse(r.at) >= before && Date.parse(r.at) <= Date.now(), r.at);
  });

  it('searches by POST only: an account number never travels in a URL', async () => {
    const res = await anele.get('/api/search?account=501234567');
    assert.notEqual(res.status, 200);
  });
});
