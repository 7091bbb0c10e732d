/**
 * Place updates after a burst of desk activity (tester 11, finding 5): when several changes land
 * within a moment, a waiting ratepayer hears once, when the queues have settled, with the latest
 * place and wait; never a "later than we told you" worked out between two changes of the burst.
 * Over the real protocol: activities POSTed to /api/messages, the agents' actions through the tab
 * API, proactive messages read at the local connector, the store the embedded Cosmos DB server;
 * the clock and the settling timer moved by hand.
 */
import assert from 'node:assert/strict';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { CosmosPresenceStore } from '../../bot/platform/cosmos/presenceStore.js';
import { staffIdentity } from '../../bot/domain/access.js';
import { PLACE_UPDATE_HOLD_MS, PLACE_UPDATE_SETTLE_MS } from '../../bot/ratepayers/ratepayerUpdates.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase, openCasesIn } from '../support/cosmos.js';
import { ManualClock } from '../support/manualClock.js';
import { ManualTimers } from '../support/manualTimers.js';
import { signIn, startTestService } from '../support/tabApi.js';

const PILOT = loadDefinition(LOCAL_DEFINITION.replace('local.json', 'joburg-region-b-pilot.json'));
/** 1 August 2022, 17:30 in Johannesburg: the pilot's first session is open. */
const DURING_SESSION = new Date('2022-08-01T15:30:00Z');
const MINUTE = 60_000;

const goodBilling = {
  accountNumber: '5012 345 67',
  accountHolder: 'Lerato Molefe',
  mobile: '082 123 4567',
  email: '',
  description: 'My bill doubled in March and nobody has explained why.',
};

describe('Place updates after a burst of queue changes', () => {
  let connector: LocalConnector;
  let service: RunningService;
  let containers: CosmosContainers;
  let store: CosmosCaseStore;
  let clock: ManualClock;
  let timers: ManualTimers;

  beforeEach(async () => {
    clock = new ManualClock(DURING_SESSION);
    timers = new ManualTimers();
    connector = await startLocalConnector();
    containers = await freshDatabase();
    store = new CosmosCaseStore(containers.cases);
    service = await startTestService(containers, PILOT, { clock, placeUpdates: { timers } });
  });

  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  async function say(user: TestUser, fields: { text?: string; value?: unknown }, expectReplies = 1) {
    const before = connector.sent.filter((s) => s.conversationId === user.conversationId).length;
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, fields)), 200);
    const all = await connector.waitFor(user.conversationId, before + expectReplies);
    return all.slice(before).map((s) => s.body);
  }

  /** `count` ratepayers queue for billing a second apart; returns them in queue order. */
  async function inBilling(count: number): Promise<TestUser[]> {
    const users: TestUser[] = [];
    for (let i = 1; i <= count; i++) {
      const user = aRatepayer(`Person ${i}`);
      const [card] = await say(user, { text: 'billing' });
      const draftId = cardOf(card!)!.actions[0].data.draftId as string;
      const [queued] = await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId, ...goodBilling } });
      assert.match(cardText(cardOf(queued!)), /You are in the queue/);
      users.push(user);
      clock.advance(1000);
    }
    return users;
  }

  /** Everything sent to a ratepayer's chat so far (text messages only: the greeting and queued cards are not). */
  const textsTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId && typeof s.body.text === 'string').map((s) => s.body.text as string);
  const pause = (ms = 400) => new Promise((r) => setTimeout(r, ms));

  it('two claims a moment apart: the third in line hears "You are next" once, not "number 2" first; the fourth hears "number 2"', async () => {
    const [, , third, fourth] = await inBilling(4);
    const thandi = await signIn(service, 'thandi');
    const sipho = await signIn(service, 'sipho');
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    clock.advance(300);
    assert.equal((await sipho.post('/api/queue/claim-next')).status, 200);
    await pause();
    // Nothing yet: the burst waits for the queues to be still (before this rule the third heard
    // "Good news: you are now number 2" and then "You are next" within the second).
    assert.deepEqual([textsTo(third!), textsTo(fourth!)], [[], []]);
    assert.deepEqual(timers.waiting, [PLACE_UPDATE_SETTLE_MS], 'one timer for the burst, re-armed by its second change');

    clock.advance(PLACE_UPDATE_SETTLE_MS);
    timers.fire();
    await connector.waitFor(third!.conversationId, 3);
    await connector.waitFor(fourth!.conversationId, 3);
    await pause();
    assert.deepEqual(textsTo(third!), ['You are next in the queue for Account and billing queries: an expert will message you here shortly.']);
    assert.equal(textsTo(fourth!).length, 1, JSON.stringify(textsTo(fourth!)));
    assert.match(textsTo(fourth!)[0]!, /^Good news: you are now number 2 in the queue for Account and billing queries \(estimated wait /);
    const told = (await openCasesIn(store, third!.conversationId))[0]!;
    assert.equal(told.notified?.position, 1, 'the place told is the baseline for the next update');
  });

  it('a hand-back, a leaver and two claims in one burst: the fifth in line hears "You are next" once, from the settled queues', async () => {
    const [first, , , , fifth, sixth] = await inBilling(6);
    const thandi = await signIn(service, 'thandi');
    const sipho = await signIn(service, 'sipho');
    // Thandi takes the first two cases and Sipho the third; those updates are told and done:
    // the fourth is next, the fifth number 2.
    for (const agent of [thandi, thandi, sipho]) assert.equal((await agent.post('/api/queue/claim-next')).status, 200);
    await pause();
    timers.fire();
    await connector.waitFor(fifth!.conversationId, 3);
    await pause();
    assert.match(textsTo(fifth!).at(-1)!, /you are now number 2 in the queue/);
    const toldBefore = textsTo(fifth!).length;

    // The burst, within a second: Thandi hands the first case back (it goes back ahead of the
    // fifth, Thandi still busy with the second), the sixth in line leaves, Sipho takes the handed-back
    // case and Thandi the fourth. Once the queues settle the fifth is next, and hears only that.
    const firstCase = (await openCasesIn(store, first!.conversationId))[0]!;
    // (Each change's listeners are let run before the next: the moment between is really seen.)
    assert.equal((await thandi.post(`/api/cases/${firstCase.id}/release`, {})).status, 200);
    clock.advance(200);
    await pause();
    await say(sixth!, { text: 'cancel' });
    clock.advance(200);
    await pause();
    assert.equal((await sipho.post('/api/queue/claim-next')).status, 200);
    clock.advance(200);
    await pause();
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    await pause();
    assert.deepEqual(textsTo(fifth!).slice(toldBefore), [], 'nothing told while the burst lasts');

    clock.advance(PLACE_UPDATE_SETTLE_MS);
    timers.fire();
    await connector.waitFor(fifth!.conversationId, toldBefore + 3);
    await pause();
    assert.deepEqual(textsTo(fifth!).slice(toldBefore), ['You are next in the queue for Account and billing queries: an expert will message you here shortly.']);
    assert.equal((await openCasesIn(store, fifth!.conversationId))[0]!.slip, undefined, 'no slip recorded');
  });

  it('a transfer in, then a resolve and a claim a moment later: no "later than we told you" worked out between them', async () => {
    // Thandi (billing and credit control) and Priya (credit control) have the tab open; Sipho
    // does not, so Thandi alone counts for billing. A credit-control case first, then three billing.
    const presence = new CosmosPresenceStore(containers.presence);
    for (const id of ['thandi', 'priya']) await presence.report(staffIdentity(PILOT.staff.find((s) => s.id === id)!), clock.now());
    const credit = aRatepayer('Credit Person');
    const [card] = await say(credit, { text: 'arrangement' });
    const creditDraft = cardOf(card!)!.actions[0].data.draftId as string;
    await say(credit, { value: { verb: 'intake.submit', category: 'credit-control', draftId: creditDraft, ...goodBilling, proposedMonthlyPayment: '500' } });
    clock.advance(1000);
    const [, second, third] = await inBilling(3);
    const priya = await signIn(service, 'priya');
    const thandi = await signIn(service, 'thandi');
    const creditCase = (await openCasesIn(store, credit.conversationId))[0]!;
    assert.equal((await priya.post(`/api/cases/${creditCase.id}/claim`)).status, 200);
    const thandis = await thandi.post('/api/queue/claim-next');
    assert.equal(thandis.status, 200);
    await pause();
    timers.fire();
    await connector.waitFor(second!.conversationId, 3);
    await pause();
    const waiting = [second!, third!];
    const before = waiting.map((u) => textsTo(u).length);
    const news = () => waiting.map((u, i) => textsTo(u).slice(before[i]));

    // The burst, within a second: Priya moves her case to billing (it queues ahead of the others
    // and Thandi is busy: for a moment every billing wait is a whole case longer than told), then
    // Thandi finishes her case and takes the moved one: settled, the waits are as told.
    // (Each change's listeners are let run before the next: the moment between is really seen.)
    const moved = await priya.post(`/api/cases/${creditCase.id}/transfer`, { toCategory: 'billing', note: 'A billing question after all' });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    clock.advance(200);
    await pause();
    assert.equal((await thandi.post(`/api/cases/${thandis.body.reference}/resolve`, { outcome: 'resolved', summary: 'Explained the estimate.' })).status, 200);
    clock.advance(200);
    await pause();
    assert.equal((await thandi.post(`/api/cases/${creditCase.id}/claim`)).status, 200);
    await pause();
    assert.deepEqual(news(), [[], []], 'nothing told while the burst lasts');

    clock.advance(PLACE_UPDATE_SETTLE_MS);
    timers.fire();
    await pause(800);
    assert.deepEqual(news(), [[], []], 'the settled queues are as told: no news');
    for (const user of waiting) assert.equal((await openCasesIn(store, user.conversationId))[0]!.slip, undefined, 'no slip recorded');
  });

  it('the minute\'s look for slips leaves the queues of a burst under way to its settling', async () => {
    // The scheduler driven by hand (a tick is one look for slips). Thandi and Sipho have the tab open.
    await service.close();
    service = await startTestService(containers, PILOT, { clock, placeUpdates: { timers }, scheduler: { start: false } });
    const presence = new CosmosPresenceStore(containers.presence);
    const report = (id: string) => presence.report(staffIdentity(PILOT.staff.find((s) => s.id === id)!), clock.now());
    await report('thandi');
    await report('sipho');
    const [, second, third] = await inBilling(3);
    // Two minutes on Sipho's tab has gone quiet: the first look sees the waits slipped.
    clock.advance(2 * MINUTE);
    await report('thandi');
    await service.scheduler.tick();
    // Thandi takes the first case: a burst starts. A minute on, the second look comes while it is
    // still under way: it tells nothing (before, it told the slip from the queues mid-burst).
    const thandi = await signIn(service, 'thandi');
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    clock.advance(MINUTE);
    await report('thandi');
    await service.scheduler.tick();
    await pause();
    assert.deepEqual([textsTo(second!), textsTo(third!)], [[], []]);

    // The burst settles: one message each, from the settled queues.
    timers.fire();
    for (const user of [second!, third!]) await connector.waitFor(user.conversationId, 3);
    await pause();
    for (const user of [second!, third!]) assert.equal(textsTo(user).length, 1, JSON.stringify(textsTo(user)));
  });

  it('a desk that never stays still still tells its ratepayers, at most PLACE_UPDATE_HOLD_MS after the burst began', async () => {
    const [, second, third] = await inBilling(3);
    const thandi = await signIn(service, 'thandi');
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    await pause();
    assert.deepEqual(timers.waiting, [PLACE_UPDATE_SETTLE_MS]);
    // Changes keep coming until the burst is nearly as old as the hold allows (the second in line
    // leaves just before then): the timer is set for what is left of the hold, not settleMs.
    clock.advance(PLACE_UPDATE_HOLD_MS - 500);
    await say(second!, { text: 'cancel' });
    await pause();
    assert.deepEqual(timers.waiting, [500]);
    assert.deepEqual(textsTo(third!), []);
    clock.advance(500);
    timers.fire();
    await connector.waitFor(third!.conversationId, 3);
    assert.match(textsTo(third!).at(-1)!, /You are next in the queue/);
  });
});
