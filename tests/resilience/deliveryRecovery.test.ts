/**
 * A message to the ratepayer whose sending instance stopped before recording the outcome (a
 * crash, a scale-in): the scheduler's lease holder takes it over and delivers it, once, while
 * messages of live senders, and messages too young to judge, are left alone.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';
import { CosmosLeaseStore } from '../../bot/platform/cosmos/leaseStore.js';
import { claimCase, type TranscriptEntry } from '../../bot/domain/case.js';
import { noQueueEvents } from '../../bot/platform/ports/queueEvents.js';
import { CaseEvents } from '../../bot/platform/flow/caseEvents.js';
import { ConversationCases } from '../../bot/ratepayers/conversationCases.js';
import { DeliveryRecovery, RECOVERY_EVERY_MS } from '../../bot/platform/scheduler/deliveryRecovery.js';
import { RelayService } from '../../bot/ratepayers/relay.js';
import { INSTANCE_ALIVE_MS, instanceAlive, instanceLeaseName, SessionScheduler } from '../../bot/platform/scheduler/sessionScheduler.js';
import { createAdapter } from '../../bot/platform/teams/adapter.js';
import { ProactiveMessenger, TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { personalConversation } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase } from '../support/tabApi.js';

const definition = definitionWithAgents();
const thandi = { id: 'thandi', name: 'Thandi Mokoena' };

describe('resilience: messages whose sender stopped are delivered by another instance', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let cases: CosmosCaseStore;
  let leases: CosmosLeaseStore;
  let now: Date;
  const clock = { now: () => now };

  before(async () => {
    connector = await startLocalConnector();
  });
  after(async () => connector.close());

  beforeEach(async () => {
    db = await freshDatabase();
    cases = new CosmosCaseStore(db.cases);
    leases = new CosmosLeaseStore(db.leases);
    now = new Date();
  });

  /** An instance's relay and recovery job, reaching the local connector. */
  function instance(instanceId: string) {
    const conversations = new CosmosConversationStore(db.conversations);
    const messenger = new ProactiveMessenger(createAdapter({ kind: 'none' }), '', conversations, { ...TEAMS_LIMITS, maxAttempts: 2, baseBackoffMs: 50, maxBackoffMs: 100, outageBudgetMs: 2000 });
    const relay = new RelayService(definition, cases, new ConversationCases(conversations, cases, clock), messenger, new CaseEvents(definition, noQueueEvents), clock, instanceId);
    return { relay, recovery: new DeliveryRecovery(definition, cases, relay, leases, clock, instanceId) };
  }

  /** A case with an expert, its ratepayer reachable through the local connector. */
  async function caseWithExpert() {
    const seeded = await seedCase(db, definition, 'billing', { minutesAgo: 10 });
    const claimed = claimCase(seeded, new Date(now.getTime() - 5 * 60_000), thandi);
    await cases.replace({ ...claimed, etag: (await cases.get(seeded.id))!.etag });
    await new CosmosConversationStore(db.conversations).save(personalConversation(seeded.ratepayer.conversationId, connector.serviceUrl));
    return claimed;
  }

  /** A message written on the transcript by `sender`, `secondsAgo` ago, with no outcome recorded. */
  async function pending(caseId: string, sender: string, secondsAgo: number, text: string, from: TranscriptEntry['from'] = 'system') {
    const entry: TranscriptEntry = { id: randomUUID(), at: new Date(now.getTime() - secondsAgo * 1000).toISOString(), from, author: from === 'expert' ? 'Thandi' : 'Ratepayer Desk', text, sender };
    await cases.appendTranscript(caseId, entry);
    return entry;
  }

  it("delivers a stopped sender's message once, names the new sender, records the outcome; leaves live senders' and young messages", async () => {
    const c = await caseWithExpert();
    const connected = await pending(c.id, 'instance-crashed', 60, 'You are now connected with Thandi.');
    const expertSays = await pending(c.id, 'instance-crashed', 50, 'Your March reading was estimated.', 'expert');
    await leases.acquire(instanceLeaseName('instance-alive'), 'instance-alive', now, INSTANCE_ALIVE_MS);
    const stillSending = await pending(c.id, 'instance-alive', 60, 'Sent by a live instance, still retrying.');
    const tooYoung = await pending(c.id, 'instance-crashed', 2, 'Written two seconds ago.');

    const { recovery } = instance('instance-recovering');
    assert.equal(await recovery.run(), 2);
    const arrived = await connector.waitFor(c.ratepayer.conversationId, 2);
    assert.deepEqual(arrived.map((a) => a.body.text), ['You are now connected with Thandi.', 'Thandi (Account and billing queries expert): Your March reading was estimated.']);

    let stored = await cases.get(c.id);
    for (let i = 0; i < 50 && !(stored?.deliveries?.[connected.id] && stored.deliveries[expertSays.id]); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      stored = await cases.get(c.id);
    }
    assert.equal(stored?.deliveries?.[connected.id]?.status, 'delivered');
    assert.equal(stored?.deliveries?.[expertSays.id]?.status, 'delivered');
    assert.equal(stored?.transcript?.find((e) => e.id === connected.id)?.sender, 'instance-recovering');
    assert.equal(stored?.deliveries?.[stillSending.id], undefined, 'a live sender is left to finish');
    assert.equal(stored?.deliveries?.[tooYoung.id], undefined, 'too young to judge');

    // Later rounds send nothing again: delivered is delivered.
    now = new Date(now.getTime() + RECOVERY_EVERY_MS);
    await leases.acquire(instanceLeaseName('instance-alive'), 'instance-alive', now, INSTANCE_ALIVE_MS);
    const young = (await cases.get(c.id))!.transcript!.find((e) => e.id === tooYoung.id)!;
    assert.equal(await recovery.run(), 1, 'only the message that was too young before');
    assert.equal(young.sender, 'instance-crashed');
    await connector.waitFor(c.ratepayer.conversationId, 3);
    assert.equal(connector.sent.filter((s) => s.conversationId === c.ratepayer.conversationId).length, 3);
  });

  it('two instances recovering at once send a message once', async () => {
    const c = await caseWithExpert();
    await pending(c.id, 'instance-gone', 30, 'Your case summary.');
    const [a, b] = [instance('instance-a'), instance('instance-b')];
    const taken = await Promise.all([a.recovery.run(), b.recovery.run()]);
    assert.equal(taken[0] + taken[1], 1);
    await connector.waitFor(c.ratepayer.conversationId, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(connector.sent.filter((s) => s.conversationId === c.ratepayer.conversationId).length, 1);
  });

  it("an instance is alive while its scheduler ticks, and not once it stopped cleanly or stopped beating", async () => {
    const scheduler = new SessionScheduler(definition, leases, clock, { instanceId: 'instance-ticking' });
    await scheduler.tick();
    assert.equal(await instanceAlive(leases, 'instance-ticking', now), true);
    assert.equal(await instanceAlive(leases, 'instance-ticking', new Date(now.getTime() + INSTANCE_ALIVE_MS + 1)), false, 'a crash: no beat for a minute');
    await scheduler.stop();
    assert.equal(await instanceAlive(leases, 'instance-ticking', now), false, 'a clean stop gives the heartbeat up at once');
  });
});
