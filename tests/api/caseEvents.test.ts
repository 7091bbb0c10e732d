/**
 * One publish path with one error policy (bot/platform/flow/caseEvents.ts): a change already saved is
 * never failed by its publishing; an event the log does not take, or a listener that fails, is
 * logged through the service's logger (never swallowed silently), and the listeners still run.
 */
import assert from 'node:assert/strict';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { StaffIdentity } from '../../bot/domain/access.js';
import { captureLog } from '../../bot/platform/log.js';
import type { NewQueueEvent, QueueEventPublisher } from '../../bot/platform/ports/queueEvents.js';
import { AgentDesk } from '../../bot/agents/agentDesk.js';
import { CaseEvents, type CaseChangeNotice, type CaseEventListener } from '../../bot/platform/flow/caseEvents.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase } from '../support/tabApi.js';

const definition = definitionWithAgents();
const thandiDef = definition.staff.find((s) => s.id === 'thandi')!;
const thandi: StaffIdentity = { id: thandiDef.id, name: thandiDef.name, email: thandiDef.email, role: thandiDef.role, skills: thandiDef.skills, regions: thandiDef.regions };
const clock = { now: () => new Date() };

/** An event log that is down. */
const failingLog: QueueEventPublisher = {
  publish: async () => {
    throw Object.assign(new Error('Service unavailable'), { code: 503 });
  },
};

/** A listener that records what it was given. */
function recorder(name = 'recorder'): CaseEventListener & { got: CaseChangeNotice[] } {
  const got: CaseChangeNotice[] = [];
  return { name, got, changed: async (change) => void got.push(change) };
}

describe('publishing a saved change: one path, one error policy', () => {
  let logs: ReturnType<typeof captureLog>;
  beforeEach(() => {
    logs = captureLog();
  });
  afterEach(() => logs.restore());

  it('a claim is saved and answered when the event log is down; the failure is logged and the listeners still run', async () => {
    const db = await freshDatabase();
    const cases = new CosmosCaseStore(db.cases);
    const c = await seedCase(db, definition, 'billing');
    const listener = recorder();
    const events = new CaseEvents(definition, failingLog).listen(listener);
    const desk = new AgentDesk(definition, cases, events, clock);

    const page = await desk.claim(thandi, c.id);
    assert.equal(page.state, 'in_progress');
    assert.equal((await cases.get(c.id))?.assignedTo?.staffId, 'thandi', 'the change is saved');
    await events.idle;
    assert.deepEqual(listener.got.map((g) => [g.event.kind, g.event.reference, g.before?.state, g.after.state]), [['case.claimed', c.id, 'waiting', 'in_progress']]);
    const lines = logs.records().filter((r) => r.component === 'case-events');
    assert.equal(lines.length, 1, JSON.stringify(logs.records()));
    assert.equal(lines[0]!.level, 'error');
    assert.equal(lines[0]!.kind, 'case.claimed');
    assert.equal(lines[0]!.reference, c.id);
    assert.match(String(lines[0]!.msg), /not published/);
  });

  it('a listener that fails is logged by name, and the listeners after it still run', async () => {
    const published: NewQueueEvent[] = [];
    const after = recorder('after');
    const events = new CaseEvents(definition, { publish: async (e) => void published.push(e) }).listen(
      { name: 'broken', changed: async () => Promise.reject(new Error('Teams is down')) },
      after,
    );
    const db = await freshDatabase();
    const c = await seedCase(db, definition, 'billing');
    await events.publish({ kind: 'case.queued', after: c, by: { kind: 'ratepayer', id: 'ratepayer', name: 'Ratepayer' } });
    await events.idle;
    assert.deepEqual(published.map((e) => [e.kind, e.reference, e.queued?.reference]), [['case.queued', c.id, c.id]]);
    assert.equal(after.got.length, 1, 'the next listener ran');
    const lines = logs.records().filter((r) => r.component === 'case-events');
    assert.deepEqual(lines.map((l) => [l.level, l.listener, l.kind, l.reference]), [['error', 'broken', 'case.queued', c.id]]);
    assert.ok(!logs.lines.join('\n').includes('Lerato'), 'no ratepayer data in the log');
  });
});
