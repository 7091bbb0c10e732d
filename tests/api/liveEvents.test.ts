import assert from 'node:assert/strict';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { CosmosPresenceStore } from '../../bot/platform/cosmos/presenceStore.js';
import { systemClock } from '../../bot/platform/ports/clock.js';
import type { RunningService } from '../../bot/service.js';
import { DefinitionDutyRoster } from '../../bot/agents/dutyRoster.js';
import { PresenceDutyRoster } from '../../bot/agents/presence.js';
import { aRatepayer, cardOf, messageFrom, postActivity } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import {
  createLocalSigningKey,
  definitionWithAgents,
  EventReader,
  seedCase,
  signIn,
  signInAll,
  startTestService,
  type ApiClient,
} from '../support/tabApi.js';

const definition = definitionWithAgents();

describe('live queue events across two service instances sharing one database', () => {
  let db: CosmosContainers;
  let one: RunningService;
  let two: RunningService;
  let connector: LocalConnector;
  let readers: EventReader[];

  beforeEach(async () => {
    db = await freshDatabase();
    const key = await createLocalSigningKey();
    // Both instances accept each other's tokens because they share the signing key.
    [one, two] = await Promise.all([startTestService(db, definition, { key }), startTestService(db, definition, { key })]);
    connector = await startLocalConnector();
    readers = [];
  });
  afterEach(async () => {
    readers.forEach((r) => r.close());
    await Promise.all([one.close(), two.close()]);
    await connector.close();
  });

  async function listen(client: ApiClient, lastEventId?: string): Promise<EventReader> {
    const reader = await EventReader.open(client, lastEventId);
    assert.equal(reader.status, 200);
    readers.push(reader);
    return reader;
  }

  it('a case queued through the bot on one instance reaches a tab on the other within a second', async () => {
    const thandi = await signIn(one, 'thandi');
    const onTwo = await listen(thandi.on(two));
    const user = aRatepayer();
    assert.equal(await postActivity(one.url, messageFrom(user, connector.serviceUrl, { text: 'billing' })), 200);
    const [welcome] = await connector.waitFor(user.conversationId, 1);
    const draftId = cardOf(welcome!.body)!.actions[0].data.draftId;
    const submitted = Date.now();
    await postActivity(
      one.url,
      messageFrom(user, connector.serviceUrl, {
        value: { verb: 'intake.submit', category: 'billing', draftId, accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '0821234567', email: '', description: 'My bill doubled.' },
      }),
    );
    const event = await onTwo.waitFor((e) => e.data?.kind === 'case.queued', 2000);
    assert.ok(Date.now() - submitted < 1500, `took ${Date.now() - submitted} ms`);
    assert.equal(event.data.category, 'billing');
    assert.equal(event.data.queued.categoryName, 'Account and billing queries');
    assert.doesNotMatch(JSON.stringify(event.data), /Lerato|501234567|2782/, 'no personal details in events');
    const queue = await thandi.on(two).get('/api/queue');
    assert.deepEqual(queue.body.waiting.map((i: any) => i.reference), [event.data.reference]);
  });

  it('claims, releases, transfers and resolutions on one instance reach tabs on the other, filtered by skills', async () => {
    const c = await seedCase(db, definition, 'billing');
    const [thandi, sipho, anele, johan] = await signInAll(one, ['thandi', 'sipho', 'anele', 'johan'] as const);
    const siphoOnTwo = await listen(sipho.on(two));
    const aneleOnTwo = await listen(anele.on(two));
    const johanOnOne = await listen(johan);

    await thandi.post(`/api/cases/${c.id}/claim`);
    const claimed = await siphoOnTwo.waitFor((e) => e.data?.kind === 'case.claimed', 1500);
    assert.equal(claimed.data.working.assignedTo.name, 'Thandi Mokoena');
    assert.equal(claimed.data.queued, undefined, 'no longer waiting');
    await thandi.post(`/api/cases/${c.id}/release`);
    const released = await siphoOnTwo.waitFor((e) => e.data?.kind === 'case.released', 1500);
    assert.equal(released.data.queued.reference, c.id);
    await thandi.post(`/api/cases/${c.id}/claim`);
    await thandi.post(`/api/cases/${c.id}/transfer`, { toCategory: 'metering', note: 'meter fault' });
    const moved = await aneleOnTwo.waitFor((e) => e.data?.kind === 'case.transferred', 1500);
    assert.equal(moved.data.previousCategory, 'billing');
    assert.equal(moved.data.queued.category, 'metering');
    await siphoOnTwo.waitFor((e) => e.data?.kind === 'case.transferred', 1500);
    await anele.post(`/api/cases/${c.id}/claim`);
    await anele.post(`/api/cases/${c.id}/resolve`, { outcome: 'resolved', summary: 'Meter replaced' });
    await johanOnOne.waitFor((e) => e.data?.kind === 'case.resolved', 1500);
    await aneleOnTwo.waitFor((e) => e.data?.kind === 'case.resolved', 1500);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(aneleOnTwo.queueEvents.filter((e) => e.kind === 'case.claimed' && e.by.id === 'thandi').length, 0, 'billing claims are not Anele\'s business');
    assert.deepEqual(
      // Conversation updates (case.message) are the case page's business, tested with the relay.
      johanOnOne.queueEvents.map((e) => e.kind).filter((k) => k !== 'case.message'),
      ['case.claimed', 'case.released', 'case.claimed', 'case.transferred', 'case.claimed', 'case.resolved'],
      'a supervisor sees everything, once each, in order',
    );
  });

  it('a tab that reconnects with Last-Event-ID catches up on what it missed, on either instance', async () => {
    const a = await seedCase(db, definition, 'billing');
    const b = await seedCase(db, definition, 'billing');
    const [thandi, sipho] = await signInAll(one, ['thandi', 'sipho'] as const);
    const first = await listen(sipho);
    await thandi.post(`/api/cases/${a.id}/claim`);
    const seen = await first.waitFor((e) => e.data?.kind === 'case.claimed');
    first.close();
    await thandi.post(`/api/cases/${b.id}/claim`);
    await thandi.post(`/api/cases/${a.id}/release`);
    const again = await listen(sipho.on(two), seen.id);
    const missed = await again.waitFor((e) => e.data?.kind === 'case.released');
    assert.equal(missed.data.reference, a.id);
    assert.ok(again.queueEvents.some((e) => e.kind === 'case.claimed' && e.reference === b.id));
    const stale = await listen(sipho, '2020-01-01T00:00:00.000Z_deadbeef_000000');
    await stale.waitFor((e) => e.event === 'reset');
  });

  it('counts agents with the tab open as on duty for the wait estimate, else the definition\'s staff', async () => {
    const roster = new PresenceDutyRoster(new CosmosPresenceStore(db.presence), systemClock, new DefinitionDutyRoster(definition));
    assert.equal(await roster.agentsOnDuty('billing', 'B'), 2, 'nobody signed in: Thandi and Sipho from the definition');
    const sipho = await signIn(one, 'sipho');
    await listen(sipho.on(two));
    await new Promise((r) => setTimeout(r, 200));
    const fresh = new PresenceDutyRoster(new CosmosPresenceStore(db.presence), systemClock, new DefinitionDutyRoster(definition));
    assert.equal(await fresh.agentsOnDuty('billing', 'B'), 1, 'only Sipho has the tab open');
    assert.equal(await fresh.agentsOnDuty('rates', 'B'), 1);
    assert.equal(await fresh.agentsOnDuty('indigent', 'B'), 1, 'no indigent agent present: Priya from the definition');
    // For the forecast: Sipho present with his skills; stand-ins only for the categories nobody
    // present works (Thandi for credit control, not billing too; Anele; Priya), marked as such.
    const onDuty = (await fresh.onDuty()).map((a) => `${a.staff.id}:${a.staff.skills.join('+')}:${a.present ? 'present' : 'stand-in'}`).sort();
    assert.deepEqual(onDuty, ['anele:metering:stand-in', 'priya:indigent+credit-control:stand-in', 'sipho:rates+billing:present', 'thandi:credit-control:stand-in']);
  });
});
