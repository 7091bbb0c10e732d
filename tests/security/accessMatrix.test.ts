/**
 * Roles × routes: who may read and act on which case. Agents work their skills' cases and the
 * cases they hold; a case another agent holds is theirs alone; supervisors may act on all; the
 * supervisor routes are for supervisors. (Tokens × routes — none, forged, expired, another
 * audience or issuer — are tests/api/auth.test.ts.)
 */
import assert from 'node:assert/strict';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import type { RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { recordFigures } from '../support/figures.js';
import { definitionWithAgents, seedCase, signIn, startTestService, type ApiClient } from '../support/tabApi.js';

const definition = definitionWithAgents();

describe('tab API: roles × routes', function () {
  this.timeout(30_000);
  let db: CosmosContainers;
  let service: RunningService;
  const people: Record<'thandi' | 'sipho' | 'anele' | 'johan', ApiClient> = {} as never;
  let held: string;
  let metering: string;

  before(async () => {
    db = await freshDatabase();
    service = await startTestService(db, definition);
    for (const id of ['thandi', 'sipho', 'anele', 'johan'] as const) people[id] = await signIn(service, id);
    held = (await seedCase(db, definition, 'billing')).id;
    metering = (await seedCase(db, definition, 'metering')).id;
    assert.equal((await people.thandi.post(`/api/cases/${held}/claim`)).status, 200);
  });
  after(() => service.close());

  // thandi (billing) holds `held`; sipho also works billing; anele works metering only; johan supervises.
  const matrix: { route: () => [string, string, unknown?]; expect: Partial<Record<keyof typeof people, number>> }[] = [
    { route: () => ['GET', `/api/cases/${held}`], expect: { thandi: 200, sipho: 200, anele: 403, johan: 200 } },
    { route: () => ['POST', `/api/cases/${held}/notes`, { text: 'A note' }], expect: { thandi: 200, sipho: 403, anele: 403, johan: 200 } },
    { route: () => ['POST', `/api/cases/${held}/messages`, { text: 'Hello' }], expect: { thandi: 200, sipho: 403, anele: 403, johan: 200 } },
    { route: () => ['POST', `/api/cases/${held}/release`, {}], expect: { sipho: 403, anele: 403 } },
    { route: () => ['POST', `/api/cases/${held}/transfer`, { toCategory: 'rates', note: 'x' }], expect: { sipho: 403, anele: 403 } },
    { route: () => ['POST', `/api/cases/${held}/resolve`, { outcome: 'resolved', summary: 'x' }], expect: { sipho: 403, anele: 403 } },
    { route: () => ['POST', `/api/cases/${held}/no-show`, {}], expect: { sipho: 403, anele: 403 } },
    { route: () => ['GET', `/api/cases/${metering}`], expect: { thandi: 403, sipho: 403, anele: 200, johan: 200 } },
    { route: () => ['POST', `/api/cases/${metering}/claim`], expect: { thandi: 403, sipho: 403 } },
    { route: () => ['POST', `/api/cases/${metering}/notes`, { text: 'A note' }], expect: { thandi: 403, sipho: 403 } },
    { route: () => ['GET', '/api/supervisor/overview'], expect: { thandi: 403, anele: 403, johan: 200 } },
    { route: () => ['GET', '/api/supervisor/cases.csv'], expect: { thandi: 403, anele: 403, johan: 200 } },
    { route: () => ['POST', `/api/supervisor/cases/${metering}/assign`, { agentId: 'anele' }], expect: { thandi: 403, anele: 403 } },
  ];

  it('answers every person on every route as their role and skills allow', async () => {
    const seen: string[] = [];
    for (const { route, expect } of matrix) {
      const [method, path, body] = route();
      for (const [person, status] of Object.entries(expect)) {
        const res = await people[person as keyof typeof people].call(method, path, body ?? (method === 'POST' ? {} : undefined));
        seen.push(`${person} ${method} ${path.replace(/[2-9A-Z]{6}/, ':ref')} → ${res.status}`);
        assert.equal(res.status, status, `${person} ${method} ${path}: ${JSON.stringify(res.body)}`);
      }
    }
    const refused = seen.filter((line) => / → 403$/.test(line)).length;
    recordFigures(
      'access.roles',
      'Roles × routes',
      { 'role × route checks': seen.length, 'refused (403)': refused, 'allowed as expected': seen.length - refused, 'unexpected answers': 0 },
      'Three agents (the case holder, a colleague with the skill, an agent without it) and a supervisor on every case and supervisor route.',
    );
  });

  it('a refused action changes nothing on the case', async () => {
    const before = await people.johan.get(`/api/cases/${held}`);
    await people.sipho.post(`/api/cases/${held}/resolve`, { outcome: 'resolved', summary: 'Not mine to close' });
    await people.anele.post(`/api/cases/${held}/release`, {});
    const after = await people.johan.get(`/api/cases/${held}`);
    assert.equal(after.body.state, 'in_progress');
    assert.equal(after.body.assignedTo.staffId, 'thandi');
    assert.deepEqual(
      after.body.audit.filter((e: any) => e.action !== 'viewed'),
      before.body.audit.filter((e: any) => e.action !== 'viewed'),
    );
  });
});
