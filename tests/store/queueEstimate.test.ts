import assert from 'node:assert/strict';
import sinon from 'sinon';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { cancelCase, claimCase, openCase, ratepayerActor, resolveCase } from '../../bot/domain/case.js';
import { DefinitionDutyRoster } from '../../bot/agents/dutyRoster.js';
import { HANDLING_TIMES_REUSE_MS, LONG_QUEUE_REUSE_MS, OPEN_CASES_REUSE_MS, QueueService, READ_AHEAD_MS } from '../../bot/ratepayers/queue.js';
import { CaseEvents } from '../../bot/platform/flow/caseEvents.js';
import { freshDatabase } from '../support/cosmos.js';

const definition = loadDefinition(LOCAL_DEFINITION);
const ratepayer = { userId: 'u1', displayName: 'Lerato', conversationId: 'conv-1', channelId: 'msteams' };
const thandi = { kind: 'staff' as const, id: 'thandi', name: 'Thandi Mokoena' };
const sipho = { kind: 'staff' as const, id: 'sipho', name: 'Sipho Dlamini' };

describe('Wait estimates from the store (QueueService over the embedded Cosmos DB server)', () => {
  const sandbox = sinon.createSandbox();
  let store: CosmosCaseStore;
  let now: Date;
  let queue: QueueService;
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);

  beforeEach(async () => {
    store = new CosmosCaseStore((await freshDatabase()).cases);
    now = new Date('2022-08-01T15:30:00Z');
    queue = new QueueService(definition, store, new DefinitionDutyRoster(definition), { now: () => now });
  });

  afterEach(() => sandbox.restore());

  function opened(reference: string, category: string, minutesAgo: number) {
    return openCase({
      reference, programmeId: definition.programme.id, category, region: 'B', sessionId: 's', draftId: `d-${reference}`,
      ratepayer, intake: { accountNumber: '123456789', description: 'Bill too high' }, now: at(minutesAgo),
    });
  }

  /** A billing case resolved after `minutes` with an expert. */
  async function resolved(reference: string, minutes: number) {
    const claimed = claimCase(opened(reference, 'billing', minutes + 30), at(minutes + 1), thandi);
    await store.create(resolveCase(claimed, at(1), thandi, { kind: 'resolved', summary: 'Explained' }, 365));
  }

  it('reads the recently closed cases once per half minute for every category, and sees new resolutions after that', async () => {
    const reads = sandbox.spy(store, 'listClosedSince');
    const waiting = { programmeId: definition.programme.id, category: 'billing', queueKey: '2099', region: 'B' };
    const first = await Promise.all([queue.placeOf(waiting), queue.placeOf({ ...waiting, category: 'rates' })]);
    assert.equal(reads.callCount, 1, 'two places in two categories at once share one read');
    assert.equal(first[0].basis, 'default', 'no history yet');
    for (let i = 0; i < 5; i++) await resolved(`RES${i}AB`, 30);
    now = new Date(now.getTime() + HANDLING_TIMES_REUSE_MS - 1000);
    assert.equal((await queue.placeOf(waiting)).basis, 'default', 'still the earlier reading');
    assert.equal(reads.callCount, 1);
    now = new Date(now.getTime() + 1000);
    const later = await queue.placeOf(waiting);
    assert.equal(reads.callCount, 2);
    assert.equal(later.basis, 'history');
    assert.equal(later.handlingMinutes, Math.round(((5 * 30 + 2 * 12) / 7) * 10) / 10, 'the recent mean, weighted with the default of 12');
  });

  for (const waitingAlready of [3, 40]) {
    it(`shares one read of the open cases between places for ${OPEN_CASES_REUSE_MS} ms: a case queued here joins it, a claim here drops it (${waitingAlready} waiting)`, async () => {
      // 3 waiting: the newcomer is simulated again with the desk; 40: read off the shared runs.
      for (let i = 0; i < waitingAlready; i++) await store.create(opened(`W${'CDEFGH'[Math.floor(i / 8)]}${'JKLMNPQR'[i % 8]}ABC`, i % 2 ? 'billing' : 'rates', 60 - i));
      const events = new CaseEvents(definition, { publish: async () => undefined }).listen(queue);
      const opens = sandbox.spy(store, 'listOpen');
      const billingAhead = Math.floor(waitingAlready / 2);
      const first = opened('NEW1AB', 'billing', 0.5);
      const second = opened('NEW2AB', 'billing', 0.2);
      assert.equal((await queue.placeOf(first)).position, billingAhead + 1);
      assert.equal((await queue.placeOf(second)).position, billingAhead + 1, 'the first is not queued yet');
      assert.equal(opens.callCount, 1, 'one read for both');
      const created = await store.create(first);
      assert.ok(created.created);
      const queued = created.case;
      await events.publish({ kind: 'case.queued', after: queued, by: { kind: 'ratepayer', id: 'u1', name: 'Lerato' } });
      const behind = await queue.placeOf(second);
      assert.equal(behind.position, billingAhead + 2, 'the case queued here is counted');
      assert.ok(behind.waitMinutes >= (await queue.placeOf(queued)).waitMinutes, 'and waited behind');
      assert.equal(opens.callCount, 1, 'still the one read');
      const claimed = claimCase(queued, now, thandi);
      await events.publish({ kind: 'case.claimed', before: queued, after: claimed, by: { kind: 'staff', id: 'thandi', name: 'Thandi Mokoena' } });
      await queue.placeOf(second);
      assert.equal(opens.callCount, 2, 'a claim here: read afresh');
      now = new Date(now.getTime() + OPEN_CASES_REUSE_MS);
      await queue.placeOf(second);
      assert.equal(opens.callCount, 3, 'and again once the read is old');
    });
  }

  it(`reads the open cases again in the background once the read in use is ${READ_AHEAD_MS} ms old: no submission waits for it, and the next sees what it read`, async () => {
    let wall = 0;
    sandbox.stub(performance, 'now').callsFake(() => wall);
    const opens = sandbox.spy(store, 'listOpen');
    const newcomer = opened('NEW1AB', 'billing', 0.1);
    assert.equal((await queue.placeOf(newcomer)).position, 1);
    // Queued on another instance: this one hears nothing of it.
    await store.create(opened('ELS1AB', 'billing', 5));
    wall = READ_AHEAD_MS - 1;
    assert.equal((await queue.placeOf(newcomer)).position, 1, 'the read in use');
    assert.equal(opens.callCount, 1, 'not read ahead yet');
    wall = READ_AHEAD_MS;
    assert.equal((await queue.placeOf(newcomer)).position, 1, 'still answered from the read in use, without waiting');
    assert.equal(opens.callCount, 2, 'the next read started');
    await opens.secondCall.returnValue;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await queue.placeOf(newcomer)).position, 2, 'the read ahead took over: the other instance\'s case is ahead');
    assert.equal(opens.callCount, 2, 'no read of its own');
    wall = 2 * READ_AHEAD_MS - 1;
    await queue.placeOf(newcomer);
    assert.equal(opens.callCount, 2, 'its age counts from when it began');
    wall = 2 * READ_AHEAD_MS;
    await queue.placeOf(newcomer);
    assert.equal(opens.callCount, 3, 'and it is read ahead in its turn');
  });

  it(`keeps a read that found more open cases than it returns for ${LONG_QUEUE_REUSE_MS} ms, counting each place beyond it with a query`, async () => {
    let wall = 0;
    sandbox.stub(performance, 'now').callsFake(() => wall);
    const long = new QueueService(definition, store, new DefinitionDutyRoster(definition), { now: () => now }, 4);
    for (let i = 0; i < 6; i++) await store.create(opened(`WL${'CDEFGH'[i]}ABC`, 'billing', 60 - i));
    const opens = sandbox.spy(store, 'listOpen');
    const counts = sandbox.spy(store, 'countWaitingAhead');
    const newcomer = opened('NEW1AB', 'billing', 0.1);
    assert.equal((await long.placeOf(newcomer)).position, 7, 'counted, not read');
    wall = OPEN_CASES_REUSE_MS + 1;
    assert.equal((await long.placeOf(newcomer)).position, 7);
    assert.equal(opens.callCount, 1, 'the long queue\'s read is kept past the usual time');
    assert.equal(counts.callCount, 2, 'each place counted');
    wall = LONG_QUEUE_REUSE_MS - (OPEN_CASES_REUSE_MS - READ_AHEAD_MS);
    await long.placeOf(newcomer);
    assert.equal(opens.callCount, 2, 'and read ahead before it runs out');
  });

  it('works a place out from one read of the open cases: the shared agents, what they are on, and the older cases of their other categories', async () => {
    // The local definition: Thandi works billing and credit control, Sipho rates and billing.
    // Thandi is 3 minutes into a credit-control case, Sipho 3 minutes into a billing case; a
    // rates case waits, older than the billing case. Sipho takes the rates case when free (oldest
    // across his skills), so the billing case waits for Thandi. Today's formula said position 1,
    // two agents: one whole handling time, whoever frees first.
    await store.create(claimCase(opened('CRD1AB', 'credit-control', 20), at(3), thandi));
    await store.create(claimCase(opened('BIL1AB', 'billing', 19), at(3), sipho));
    await store.create(opened('RAT1AB', 'rates', 10));
    const billing = opened('BIL2AB', 'billing', 5);
    await store.create(billing);
    // A cancelled and a resolved case are not in the queue.
    await store.create(cancelCase(opened('GONE1A', 'billing', 8), at(2), ratepayerActor(ratepayer), 365));
    const opens = sandbox.spy(store, 'listOpen');
    const place = await queue.placeOf(billing);
    assert.equal(opens.callCount, 1);
    assert.equal(place.position, 1);
    assert.equal(place.agentsOnDuty, 2);
    // Thandi's credit-control case (default 15 minutes, 3 in) has about 12–13 minutes to go on
    // average, widely spread; Sipho's billing case (12, 3 in) about 9–10, then the rates case (12)
    // takes him past Thandi. The billing case waits for whichever of them is free for it first:
    // mostly Thandi, sooner when her case runs short. Were the rates case not seen, Sipho's 9–10
    // minutes would decide (7–8 told); were what they are on not seen, 0.
    assert.ok(place.waitMinutes >= 9 && place.waitMinutes <= 14, `wait ${place.waitMinutes}`);
    const rates = await queue.placeOf(opened('RAT1AB', 'rates', 10));
    assert.ok(rates.waitMinutes < place.waitMinutes, 'the older rates case goes first');

    // A case not yet saved (intake asks before saving) is placed behind everything older.
    const newcomer = opened('BIL3AB', 'billing', 0);
    const behind = await queue.placeOf(newcomer);
    assert.equal(behind.position, 2);
    assert.ok(behind.waitMinutes > place.waitMinutes);
    // The whole category at once, for place updates.
    const places = await queue.placesIn(definition.programme.id, 'billing');
    assert.deepEqual(places.map((p) => [p.case.id, p.place.position, p.place.waitMinutes]), [['BIL2AB', 1, place.waitMinutes]]);
  });
});
