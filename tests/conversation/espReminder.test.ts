/**
 * Issue 20: the ESP lapse reminder as a scheduled job. Two service instances on one Cosmos DB
 * (the embedded server), the scheduler ticked by hand on a manual clock: the reminder goes out
 * once, a month before the registration lapses, in the ratepayer's chat, with how to renew and
 * what to bring; also when the case closed long before, and after every instance was restarted.
 */
import assert from 'node:assert/strict';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { ManualClock } from '../support/manualClock.js';
import { definitionWithAgents, signIn, startTestService } from '../support/tabApi.js';

const definition = definitionWithAgents(0);
const indigent = { accountNumber: '501234567', accountHolder: 'Nomsa Dube', mobile: '0821234567', idNumber: '8001015009087', householdSize: '4', monthlyHouseholdIncome: '3500', description: 'I want to register for the ESP.' };

describe('the ESP lapse reminder, scheduled (issue 20)', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let db: CosmosContainers;
  let clock: ManualClock;
  const running: RunningService[] = [];

  beforeEach(async () => {
    connector = await startLocalConnector();
    db = await freshDatabase();
    // Monday 1 August 2022, 18:30 in Johannesburg.
    clock = new ManualClock(new Date('2022-08-01T16:30:00Z'));
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
    await connector.close();
  });

  const instance = async (name: string) => {
    const service = await startTestService(db, definition, { clock, scheduler: { start: false, instanceId: name } });
    running.push(service);
    return service;
  };
  const chat = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => `${s.body.text ?? ''}${cardText(cardOf(s.body) ?? {})}`);
  const reminders = (user: TestUser) => chat(user).filter((text) => /registration lapses on/.test(text));
  const settle = () => new Promise((r) => setTimeout(r, 300));

  /** A ratepayer's indigent case, registered for the ESP on 1 August 2022 and closed. */
  async function registeredAndClosed(service: RunningService, user: TestUser): Promise<string> {
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { value: { verb: 'intake.submit', category: 'indigent', draftId: `draft-${user.aadObjectId}`, ...indigent } })), 200);
    const confirmation = chat(user).find((text) => /Your case reference/.test(text))!;
    const reference = /([2-9A-Z]{3})-([2-9A-Z]{3})/.exec(confirmation)!.slice(1, 3).join('');
    const priya = await signIn(service, 'priya');
    assert.equal((await priya.post(`/api/cases/${reference}/claim`)).status, 200);
    assert.equal((await priya.post(`/api/cases/${reference}/esp-registration`, { registeredOn: '2022-08-01' })).status, 200);
    assert.equal((await priya.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Registered for the ESP.' })).status, 200);
    return reference;
  }

  it('reminds once, a month before the registration lapses, however many instances tick', async () => {
    const a = await instance('instance-a');
    const b = await instance('instance-b');
    const user = aRatepayer('Nomsa Dube');
    const reference = await registeredAndClosed(a, user);

    // Saturday 31 December 2022, 23:50 in Johannesburg: not yet.
    clock.set('2022-12-31T21:50:00Z');
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    await settle();
    assert.equal(reminders(user).length, 0);

    // Sunday 1 January 2023, 09:00: due. Both instances tick, several times.
    clock.set('2023-01-01T07:00:00Z');
    for (let round = 0; round < 3; round++) {
      await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
      clock.advance(20 * 60_000);
    }
    await settle();
    assert.equal(reminders(user).length, 1, chat(user).join('\n---\n'));
    const [reminder] = reminders(user);
    assert.match(reminder!, /Your ESP \(Expanded Social Package\) registration lapses on Wednesday 1 February 2023/);
    assert.match(reminder!, /Re-register for the ESP at a City revenue or ESP centre/);
    assert.match(reminder!, /Bring: Your identity document, .*Johannesburg Water account or prepaid \(ITU\) number\./);
    const stored = await new CosmosCaseStore(db.cases).get(reference);
    assert.equal(stored!.espRegistration!.remindedAt, '2023-01-01T07:00:00.000Z');
    assert.equal(stored!.audit.filter((e) => e.action === 'ESP reminder sent').length, 1);
    assert.equal(stored!.state, 'resolved', 'a closed case is reminded too');
  });

  it('survives restarts: an instance started after the reminder fell due sends it, once; nothing is due after the lapse', async () => {
    const first = await instance('instance-first');
    const user = aRatepayer('Nomsa Dube');
    await registeredAndClosed(first, user);
    const other = aRatepayer('Thabo Sithole');
    await registeredAndClosed(first, other);
    await Promise.all(running.splice(0).map((s) => s.close()));
    // What is due is read from the cases themselves: from the reminder day until the lapse, not after.
    const store = new CosmosCaseStore(db.cases);
    assert.equal((await store.listEspRemindersDue(definition.programme.id, '2022-12-31', 10)).length, 0);
    assert.equal((await store.listEspRemindersDue(definition.programme.id, '2023-01-10', 10)).length, 2);
    assert.equal((await store.listEspRemindersDue(definition.programme.id, '2023-02-01', 10)).length, 0, 'lapsed: renewing is a new registration');

    // Tuesday 10 January 2023: no instance ran on the 1st.
    clock.set('2023-01-10T08:00:00Z');
    const restarted = await instance('instance-restarted');
    await restarted.scheduler.tick();
    await settle();
    assert.equal(reminders(user).length, 1);
    clock.advance(60 * 60_000);
    await restarted.scheduler.tick();
    const again = await instance('instance-another');
    clock.advance(60 * 60_000);
    await Promise.all([restarted.scheduler.tick(), again.scheduler.tick()]);
    await settle();
    assert.equal(reminders(user).length, 1, 'not again');
    assert.equal(reminders(other).length, 1, 'both were due from the 1st');
  });
});
