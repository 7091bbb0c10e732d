/**
 * One expert per chat: a ratepayer who queued two cases in one chat (two category links, two
 * forms) before either was taken is never talking with two experts at once. While one expert has
 * one of the cases, another expert's claim of the other is refused with a coded error
 * (ratepayer_with_other_expert, 409) and nothing of theirs reaches the chat; claim-next skips such
 * a case; a supervisor cannot assign it to another agent; the same expert may take it; once the
 * first case is done the second may be claimed by anyone. Real activities to /api/messages, the
 * real tab and supervisor APIs over HTTP, cases in the embedded Cosmos.
 */
import assert from 'node:assert/strict';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { CosmosChatClaims } from '../../bot/platform/cosmos/chatClaimStore.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signInAll, startTestService, type ApiClient } from '../support/tabApi.js';

const BILLING = {
  accountNumber: '501234567',
  accountHolder: 'Lerato Molefe',
  mobile: '0821234567',
  description: 'My bill doubled in March and nobody has explained why.',
};
const CREDIT_CONTROL = { ...BILLING, proposedMonthlyPayment: '800', description: 'I want to pay my arrears off monthly.' };
const BUSY = 'This ratepayer is already talking with Thandi Mokoena about Account and billing queries; this case waits until that one is done.';

describe('one expert per chat', function () {
  this.timeout(60_000);
  let connector: LocalConnector;
  let service: RunningService;
  let store: CosmosCaseStore;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let thandi: ApiClient; // billing, credit-control
  let sipho: ApiClient; // rates, billing
  let priya: ApiClient; // indigent, credit-control
  let johan: ApiClient; // supervisor

  beforeEach(async () => {
    connector = await startLocalConnector();
    db = await freshDatabase();
    store = new CosmosCaseStore(db.cases);
    service = await startTestService(db, definitionWithAgents(0));
    [thandi, sipho, priya, johan] = await signInAll(service, ['thandi', 'sipho', 'priya', 'johan'] as const);
  });

  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => s.body);
  const textOf = (a: Record<string, any>) => `${a.text ?? ''}\n${cardText(cardOf(a) ?? {})}`;

  /** Ratepayers on the public web chat (Direct Line delivers their activities: no conversationType); the others on Teams. */
  const onWeb = new Set<TestUser>();
  function activity(user: TestUser, fields: { text?: string; value?: unknown }): Record<string, unknown> {
    const a = messageFrom(user, connector.serviceUrl, fields);
    return onWeb.has(user) ? { ...a, channelId: 'directline', from: { id: user.id, name: user.name }, conversation: { id: user.conversationId } } : a;
  }

  async function say(user: TestUser, fields: { text?: string; value?: unknown }): Promise<Record<string, any>[]> {
    const before = sentTo(user).length;
    assert.equal(await postActivity(service.url, activity(user, fields)), 200);
    const all = await connector.waitFor(user.conversationId, before + 1);
    return all.slice(before).map((s) => s.body);
  }

  /** Queues a case from the chat through /api/messages; its compact reference. */
  async function queue(user: TestUser, category: string, values: Record<string, unknown>): Promise<string> {
    const [reply] = await say(user, { value: { verb: 'intake.submit', category, draftId: `draft-${category}-${user.aadObjectId}`, ...values } });
    const reference = /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(cardText(cardOf(reply!)!))![1]!;
    return reference.replace('-', '');
  }

  /** Claims through the tab API and waits for the "connected" line in the chat. */
  async function claimConnected(client: ApiClient, user: TestUser, id: string, firstName: string): Promise<void> {
    const before = sentTo(user).length;
    const res = await client.post(`/api/cases/${id}/claim`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    // Other lines may arrive meanwhile (a receipt of the chat's earlier case): wait for this one.
    const connected = new RegExp(`connected with ${firstName}`);
    for (let n = before + 1; !sentTo(user).slice(before).some((a) => connected.test(textOf(a))); n++) await connector.waitFor(user.conversationId, n);
  }

  for (const channel of ['Teams', 'the web chat'] as const) {
    it(`refuses a second expert the chat's other case with a coded error, relays nothing of theirs, and lets them claim it once the first is done (${channel})`, async () => {
      const lerato = aRatepayer('Lerato Molefe');
      if (channel === 'the web chat') onWeb.add(lerato);
      const billing = await queue(lerato, 'billing', BILLING);
      const creditControl = await queue(lerato, 'credit-control', CREDIT_CONTROL);
      await claimConnected(thandi, lerato, billing, 'Thandi');
      const before = sentTo(lerato).length;

      const refused = await priya.post(`/api/cases/${creditControl}/claim`);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error, 'ratepayer_with_other_expert');
      assert.equal(refused.body.message, BUSY);
      assert.deepEqual(refused.body.busyWith, { reference: billing, expert: 'Thandi Mokoena', category: 'billing' });
      const waiting = await store.get(creditControl);
      assert.equal(waiting!.state, 'waiting');
      assert.equal(waiting!.assignedTo, undefined);
      assert.ok(!waiting!.audit.some((e) => e.action === 'claimed'), 'no claim on the audit trail');
      // Priya has no case to talk through: her message is refused too, and nothing reaches the chat.
      assert.notEqual((await priya.post(`/api/cases/${creditControl}/messages`, { text: 'Hello, Priya here.' })).status, 200);
      // The ratepayer writes: it goes to Thandi's case only.
      await postActivity(service.url, activity(lerato, { text: 'My account is 501234567.' }));
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(!sentTo(lerato).slice(before).some((a) => /Priya/.test(textOf(a))), 'nothing from or about Priya in the chat');
      assert.ok((await store.get(billing))!.transcript!.some((e) => e.text === 'My account is 501234567.'));
      assert.ok(!(await store.get(creditControl))!.transcript!.some((e) => e.from === 'expert'));

      // Thandi finishes: the second case may be claimed by Priya.
      assert.equal((await thandi.post(`/api/cases/${billing}/resolve`, { outcome: 'resolved', summary: 'Explained the March bill.' })).status, 200);
      await claimConnected(priya, lerato, creditControl, 'Priya');
      assert.equal((await store.get(creditControl))!.assignedTo!.staffId, 'priya');
    });
  }

  it('claim-next skips a case whose ratepayer is with another expert and takes the next; with only such cases it says why none was taken; the same expert may take it', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const other = aRatepayer('Sizwe Dlamini');
    const billing = await queue(lerato, 'billing', BILLING);
    const held = await queue(lerato, 'credit-control', CREDIT_CONTROL);
    const next = await queue(other, 'credit-control', CREDIT_CONTROL);
    await claimConnected(thandi, lerato, billing, 'Thandi');

    const taken = await priya.post('/api/queue/claim-next');
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    assert.equal(taken.body.reference, next, 'the older case is held back, the next one taken');
    const none = await priya.post('/api/queue/claim-next');
    assert.equal(none.status, 404);
    assert.equal(none.body.error, 'queue_empty');
    assert.match(none.body.message, /already talking with another expert in the same chat/);
    assert.equal((await store.get(held))!.state, 'waiting');
    // The expert already in the chat may take it: the ratepayer still talks with one person.
    const same = await thandi.post(`/api/cases/${held}/claim`);
    assert.equal(same.status, 200, JSON.stringify(same.body));
    assert.equal(same.body.assignedTo.staffId, 'thandi');
  });

  it('a supervisor cannot give the chat\'s other case to another agent, nor reassign one of an expert\'s two cases of a chat to another; to the same expert they can', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const billing = await queue(lerato, 'billing', BILLING);
    const creditControl = await queue(lerato, 'credit-control', CREDIT_CONTROL);
    await claimConnected(thandi, lerato, billing, 'Thandi');

    const refused = await johan.post(`/api/supervisor/cases/${creditControl}/assign`, { agentId: 'priya' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error, 'ratepayer_with_other_expert');
    assert.equal(refused.body.message, BUSY);
    assert.equal((await store.get(creditControl))!.state, 'waiting');

    const same = await johan.post(`/api/supervisor/cases/${creditControl}/assign`, { agentId: 'thandi' });
    assert.equal(same.status, 200, JSON.stringify(same.body));
    // Thandi has both: reassigning one to Sipho would put two experts in the chat.
    const reassign = await johan.post(`/api/supervisor/cases/${billing}/assign`, { agentId: 'sipho' });
    assert.equal(reassign.status, 409);
    assert.equal(reassign.body.error, 'ratepayer_with_other_expert');
    assert.equal((await store.get(billing))!.assignedTo!.staffId, 'thandi');
  });

  it('two experts clicking the two cases of one chat at the same instant: one gets a case, the other is refused (twenty chats)', async () => {
    for (let round = 0; round < 20; round++) {
      const user = aRatepayer(`Ratepayer ${round}`);
      const billing = await queue(user, 'billing', BILLING);
      const creditControl = await queue(user, 'credit-control', CREDIT_CONTROL);
      const [bySipho, byPriya] = await Promise.all([sipho.post(`/api/cases/${billing}/claim`), priya.post(`/api/cases/${creditControl}/claim`)]);
      const statuses = [bySipho.status, byPriya.status].sort();
      assert.deepEqual(statuses, [200, 409], `round ${round}: ${JSON.stringify([bySipho.body, byPriya.body].map((b) => b.error ?? b.assignedTo?.staffId))}`);
      const loser = bySipho.status === 409 ? bySipho : byPriya;
      assert.equal(loser.body.error, 'ratepayer_with_other_expert');
      const open = [await store.get(billing), await store.get(creditControl)].filter((c) => c!.state === 'in_progress');
      assert.equal(open.length, 1, `round ${round}: one case of the chat with an expert`);
    }
  });

  it('a claim of the chat on its way to its case (taken, its case not yet written) holds the chat for a minute; an older one is taken over', async () => {
    const claims = new CosmosChatClaims(db.leases);
    const lerato = aRatepayer('Lerato Molefe');
    const billing = await queue(lerato, 'billing', BILLING);
    const creditControl = await queue(lerato, 'credit-control', CREDIT_CONTROL);
    // Sipho's instance took the chat for the billing case and has not written the case yet.
    await claims.claim(lerato.conversationId, { staffId: 'sipho', name: 'Sipho Nkosi', caseId: billing, category: 'billing' }, new Date());
    const refused = await priya.post(`/api/cases/${creditControl}/claim`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error, 'ratepayer_with_other_expert');
    assert.match(refused.body.message, /already talking with Sipho Nkosi about Account and billing queries/);
    assert.equal((await store.get(creditControl))!.state, 'waiting');

    // Another chat whose claim was taken two minutes ago and never written (that instance stopped).
    const other = aRatepayer('Sizwe Dlamini');
    const otherBilling = await queue(other, 'billing', BILLING);
    const otherCredit = await queue(other, 'credit-control', CREDIT_CONTROL);
    await claims.claim(other.conversationId, { staffId: 'sipho', name: 'Sipho Nkosi', caseId: otherBilling, category: 'billing' }, new Date(Date.now() - 120_000));
    assert.equal((await priya.post(`/api/cases/${otherCredit}/claim`)).status, 200);
  });

  it('a chat\'s old claim naming one case does not let a taker of that case and a taker of another both through at the same instant (twenty chats)', async () => {
    const claims = new CosmosChatClaims(db.leases);
    for (let round = 0; round < 20; round++) {
      const user = aRatepayer(`Ratepayer ${round}`);
      const billing = await queue(user, 'billing', BILLING);
      const creditControl = await queue(user, 'credit-control', CREDIT_CONTROL);
      // Thandi took (and gave back) the billing case two minutes ago: her claim of the chat is old.
      await claims.claim(user.conversationId, { staffId: 'thandi', name: 'Thandi Mokoena', caseId: billing, category: 'billing' }, new Date(Date.now() - 120_000));
      const [bySipho, byPriya] = await Promise.all([sipho.post(`/api/cases/${billing}/claim`), priya.post(`/api/cases/${creditControl}/claim`)]);
      assert.deepEqual([bySipho.status, byPriya.status].sort(), [200, 409], `round ${round}`);
      const open = [await store.get(billing), await store.get(creditControl)].filter((c) => c!.state === 'in_progress');
      assert.equal(open.length, 1, `round ${round}: one case of the chat with an expert`);
    }
  });
});
