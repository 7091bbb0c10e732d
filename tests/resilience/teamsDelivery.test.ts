/**
 * Teams delivering the same activity twice (it retries when the bot takes longer than about
 * 15 s, and a double click sends a card twice) or out of order (a card submitted after
 * "cancel"), and ratepayers typing someone else's case reference. Everything a ratepayer sees
 * is of their own conversation.
 */
import assert from 'node:assert/strict';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { recordFigures } from '../support/figures.js';
import { definitionWithAgents, signIn, startTestService } from '../support/tabApi.js';

const BILLING = { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '0821234567', email: '', description: 'My bill doubled in March.' };

describe('resilience: Teams delivering activities twice or out of order; one conversation never sees another\'s case', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let service: RunningService;
  let store: CosmosCaseStore;
  const definition = definitionWithAgents(0);
  const figures: Record<string, string | number | boolean> = {};

  before(async () => {
    connector = await startLocalConnector();
    const db = await freshDatabase();
    store = new CosmosCaseStore(db.cases);
    service = await startTestService(db, definition, { scheduler: { start: false } });
  });
  after(async () => {
    await service.close();
    await connector.close();
    recordFigures(
      'faults.teams-redelivery',
      'Teams delivering activities twice or out of order; references typed by someone else',
      figures,
      'Activities POSTed to `/api/messages` as Teams sends them; replies read at the local connector; cases read straight from the store.',
    );
  });

  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => s.body);
  async function say(user: TestUser, fields: { text?: string; value?: unknown }) {
    const before = sentTo(user).length;
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, fields)), 200);
    return sentTo(user).slice(before);
  }
  async function cardFor(user: TestUser) {
    const [reply] = await say(user, { text: 'billing' });
    return cardOf(reply!)!.actions[0].data as { verb: string; category: string; draftId: string };
  }
  const casesOf = async (user: TestUser) => store.listForConversation(user.conversationId, 50);

  it('the same card pressed three times at once (three activities, one card) makes one case, and every answer gives its reference', async () => {
    const user = aRatepayer();
    const data = await cardFor(user);
    // A double (triple) click: Teams sends one activity per press, each with its own id. The same
    // activity id delivered again is a resend, processed once (next test).
    const press = () => messageFrom(user, connector.serviceUrl, { value: { ...data, ...BILLING } });
    const before = sentTo(user).length;
    const statuses = await Promise.all([postActivity(service.url, press()), postActivity(service.url, press()), postActivity(service.url, press())]);
    assert.deepEqual(statuses, [200, 200, 200]);
    const replies = sentTo(user).slice(before);
    const refs = replies.map((r) => /Your case reference is ([A-Z0-9-]+)/.exec(r.summary ?? '')?.[1]);
    assert.equal(new Set(refs).size, 1, JSON.stringify(refs));
    assert.equal((await casesOf(user)).length, 1);
    assert.equal(replies.filter((r) => /already have your details/.test(cardText(cardOf(r)))).length, 2);
    figures['same card pressed 3 times at once: cases made'] = 1;
    figures['… answers naming the same reference'] = replies.length;
  });

  it('the same card activity delivered three times at once (same activity id: Teams resending) makes one case and is answered once', async () => {
    const user = aRatepayer();
    const data = await cardFor(user);
    const activity = messageFrom(user, connector.serviceUrl, { value: { ...data, ...BILLING } });
    const before = sentTo(user).length;
    const statuses = await Promise.all([postActivity(service.url, activity), postActivity(service.url, activity), postActivity(service.url, activity)]);
    assert.deepEqual(statuses, [200, 200, 200]);
    const replies = sentTo(user).slice(before);
    assert.equal(replies.length, 1, JSON.stringify(replies.map((r) => r.summary ?? r.text)));
    assert.match(replies[0]!.summary ?? '', /Your case reference is/);
    assert.equal((await casesOf(user)).length, 1);
    figures['same activity delivered 3 times at once: cases made'] = 1;
    figures['… answers'] = replies.length;
  });

  it('a card submitted again after "cancel" (a late redelivery) does not bring the case back, and says it was cancelled', async () => {
    const user = aRatepayer();
    const data = await cardFor(user);
    const [queued] = await say(user, { value: { ...data, ...BILLING } });
    const ref = /Your case reference is ([A-Z0-9-]+)/.exec(queued!.summary)![1]!.replace('-', '');
    await say(user, { text: 'cancel' });
    assert.equal((await store.get(ref))?.state, 'cancelled');
    const late = await say(user, { value: { ...data, ...BILLING } });
    const text = late.map((r) => `${r.text ?? ''} ${r.summary ?? ''} ${cardText(cardOf(r))}`).join(' ');
    assert.equal((await store.get(ref))?.state, 'cancelled', 'still cancelled');
    assert.equal((await casesOf(user)).length, 1, 'no second case');
    assert.match(text, /cancelled/i);
    assert.doesNotMatch(text, /number \d+ in the queue/i);
    figures['card resubmitted after cancel: cases made'] = 0;
    figures['… the cancelled case stays cancelled'] = true;
  });

  it('"cancel" delivered before the card it followed: nothing to cancel, then the card queues one case the person can cancel again', async () => {
    const user = aRatepayer();
    const data = await cardFor(user);
    const [cancelReply] = await say(user, { text: 'cancel' });
    assert.match(cancelReply!.text ?? cardText(cardOf(cancelReply!)), /no open cases|not in a queue|nothing to cancel|no case/i);
    const [queued] = await say(user, { value: { ...data, ...BILLING } });
    assert.match(queued!.summary, /Your case reference is/);
    await say(user, { text: 'cancel' });
    const cases = await casesOf(user);
    assert.deepEqual(cases.map((c) => c.state), ['cancelled']);
    figures['cancel before the card: cases made, then cancelled'] = 1;
  });

  it('another ratepayer typing, checking or answering for someone else\'s reference learns nothing and changes nothing', async () => {
    const owner = aRatepayer('Owner Person');
    const other = aRatepayer('Other Person');
    const data = await cardFor(owner);
    const [queued] = await say(owner, { value: { ...data, ...BILLING } });
    const shown = /Your case reference is ([A-Z0-9-]+)/.exec(queued!.summary)![1]!;
    const ref = shown.replace('-', '');
    const before = await store.get(ref);
    const probes: { text?: string; value?: unknown }[] = [
      { text: shown },
      { text: ref },
      { text: `status ${shown}` },
      { text: 'status' },
      { text: 'my cases' },
      { text: `my data ${BILLING.accountNumber}` },
      { text: BILLING.accountNumber },
      { value: { verb: 'case.status', reference: ref } },
      { value: { verb: 'survey.submit', reference: ref, rating: '1', comment: 'hijack' } },
      { value: { verb: 'closing.choose', reference: ref, choice: 'callback', callbackTime: '10:00' } },
      { value: { verb: 'closing.choose', caseId: ref, choice: 'keep' } },
    ];
    let leaked = 0;
    for (const probe of probes) {
      const replies = await say(other, probe);
      const all = JSON.stringify(replies);
      if (all.includes(ref) || all.includes(shown) || all.includes('Lerato') || all.includes('501234567') || /0821234567|082 123 4567|\+27821234567/.test(all)) leaked++;
    }
    const after = await store.get(ref);
    assert.equal(leaked, 0);
    assert.equal(after?.state, before?.state);
    assert.equal(after?.survey, undefined);
    assert.equal(after?.closingChoice, undefined);
    assert.equal((await casesOf(other)).length, 0);
    figures['probes by another ratepayer with the reference or account number'] = probes.length;
    figures['… answers that revealed the case'] = leaked;
    figures['… changes made to the case'] = 0;
  });

  it('a staff token cannot be used as a ratepayer, nor a ratepayer reach the tab API', async () => {
    const thandi = await signIn(service, 'thandi');
    const res = await fetch(`${service.url}/api/queue`);
    assert.equal(res.status, 401);
    assert.equal((await thandi.get('/api/queue')).status, 200);
  });
});
