/**
 * Receipts (issue 19), observed where the ratepayer would see them: in the chat (the local Bot
 * Framework connector) and by email (the ACS Email stand-in, over its REST contract, signed with
 * the HMAC scheme), with the case in the embedded Cosmos DB and staff on the tab API over HTTP.
 */
import assert from 'node:assert/strict';
import { startAcsEmailStandIn, type AcsEmailStandIn } from '../../devTools/acsEmailStandIn.js';
import { AcsEmailSender, acsEmailSenderFor } from '../../bot/platform/email/acsEmail.js';
import { EmailFailedError } from '../../bot/platform/ports/email.js';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { startService, type RunningService } from '../../bot/service.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { activityMatching } from '../support/answers.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, localSettings, signIn, type ApiClient } from '../support/tabApi.js';
import { ManualClock } from '../support/manualClock.js';
import { longDate } from '../../bot/messages/time.js';

const billing = {
  accountNumber: '501234567',
  accountHolder: 'Lerato Molefe',
  mobile: '0821234567',
  email: 'lerato@example.org',
  description: 'My bill doubled in March and nobody has explained why.',
};

/** A statement of three weeks ago: this suite runs on the real clock, and a dispute's statement is at most 36 months old. */
const recentStatement = new Date(Date.now() - 21 * 86_400_000).toISOString().slice(0, 10);

describe('receipts in the chat and by email (ACS Email stand-in)', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let email: AcsEmailStandIn;
  let service: RunningService;
  let thandi: ApiClient;
  let store: CosmosCaseStore;

  beforeEach(async () => {
    connector = await startLocalConnector();
    email = await startAcsEmailStandIn();
    const db = await freshDatabase();
    store = new CosmosCaseStore(db.cases);
    service = await startService(
      { ...localSettings, email: { endpoint: email.endpoint, auth: { kind: 'key', accessKey: email.accessKey }, senderAddress: 'DoNotReply@desk.example' } },
      { containers: db, definition: definitionWithAgents(0), liveEvents: { pollIntervalMs: 150 }, pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 } },
    );
    thandi = await signIn(service, 'thandi');
  });

  afterEach(async () => {
    await service.close();
    await connector.close();
    await email.close();
  });

  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => s.body);
  const say = async (user: TestUser, fields: { text?: string; value?: unknown }) => assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, fields)), 200);

  /** Waits until the ratepayer's chat has a message matching the pattern; returns it. */
  const expectInChat = (user: TestUser, pattern: RegExp, timeoutMs?: number) => activityMatching(() => sentTo(user), pattern, timeoutMs);

  async function eventually<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (ok(value) || Date.now() > until) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function queue(user: TestUser, values: Record<string, unknown> = billing): Promise<string> {
    await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${user.aadObjectId}`, ...values } });
    const confirmation = await expectInChat(user, /Your case reference/);
    return /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(cardText(cardOf(confirmation)))![1]!.replace('-', '');
  }

  it('gives a receipt at a resolution in the chat and by email: reference, decision, next steps, how to come back; recorded as sent', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    await thandi.post(`/api/cases/${reference}/claim`);
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Explained the <b>March</b> estimate & reversed it' })).status, 200);
    const shown = `${reference.slice(0, 3)}-${reference.slice(3)}`;
    // A card with its lines (Markdown-escaped: what staff typed shows as typed) and the reopen button.
    const activity = await expectInChat(lerato, /Your receipt from/);
    const card = cardOf(activity)!;
    const receipt = cardText(card).replace(/\\(.)/g, '$1');
    assert.deepEqual(card.actions.map((a: any) => [a.type, a.data.verb, a.data.reference, a.title]), [['Action.Submit', 'case.reopen', reference, 'Not resolved: reopen']]);
    assert.match(receipt, new RegExp(`Case reference: ${shown}`));
    assert.match(receipt, /What was decided: Explained the <b>March<\/b> estimate & reversed it/);
    assert.match(receipt, new RegExp(`type "reopen ${shown}"`));
    assert.match(receipt, /Within 14 days/);
    const mails = await eventually(() => email.messages, (m) => m.length > 0);
    assert.equal(mails.length, 1);
    assert.deepEqual(mails[0]!.to, ['lerato@example.org']);
    assert.equal(mails[0]!.senderAddress, 'DoNotReply@desk.example');
    assert.equal(mails[0]!.subject, `Case ${shown}: the outcome of your query`);
    assert.match(mails[0]!.plainText!, /What was decided: Explained the <b>March<\/b>/);
    assert.match(mails[0]!.html!, /Explained the &#60;b&#62;March&#60;\/b&#62; estimate &#38; reversed it/, 'what staff typed is escaped in HTML');
    const stored = await eventually(() => store.get(reference), (c) => !!c?.receipts?.[0]?.sent?.email && !!c.receipts[0].sent.chat);
    assert.deepEqual(stored?.receipts?.map((r) => [r.kind, r.outcome, !!r.sent?.chat, !!r.sent?.email]), [['outcome', 'resolved', true, true]]);
    // The button reopens the case.
    await say(lerato, { value: { verb: 'case.reopen', reference } });
    await expectInChat(lerato, new RegExp(`Case ${shown} is open again`));
    assert.equal((await store.get(reference))?.state, 'waiting');
  });

  it('words the email as an email: where the query was raised (Teams) and "your chat with us", never "this chat" or "press the button"', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    const shown = `${reference.slice(0, 3)}-${reference.slice(3)}`;
    await thandi.post(`/api/cases/${reference}/claim`);
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Explained the March estimate' })).status, 200);
    // The chat's receipt keeps the chat's words.
    const inChat = cardText(cardOf(await expectInChat(lerato, /Your receipt from/))!).replace(/\\(.)/g, '$1');
    assert.match(inChat, /in this chat \(or press the button\)/);
    const [mail] = await eventually(() => email.messages, (m) => m.length > 0);
    for (const body of [mail!.plainText!, mail!.html!]) {
      assert.doesNotMatch(body, /this chat|press the button/i, body);
      assert.match(body, /Where you raised this query: our chat in Microsoft Teams\./, body);
      // (The HTML writes the quotes as &#34;.)
      assert.match(body, new RegExp(`type (?:"|&#34;)reopen ${shown}(?:"|&#34;) in your chat with us`), body);
    }
    // A closed case's receipt (the ratepayer left the queue): by email only, in the email's words too.
    const sipho = aRatepayer('Sipho Dube');
    await queue(sipho, { ...billing, email: 'sipho@example.org' });
    await say(sipho, { text: 'cancel' });
    const left = (await eventually(() => email.messages, (m) => m.some((x) => x.to.includes('sipho@example.org')))).find((x) => x.to.includes('sipho@example.org'))!;
    assert.match(left.subject, /you left the queue/);
    assert.doesNotMatch(left.plainText!, /this chat|press the button/i, left.plainText);
    assert.match(left.plainText!, /type your kind of query in your chat with us/, left.plainText);
  });

  it('masks an ID number the expert wrote in the summary in the email (tester 10, finding 10)', async () => {
    const thabo = aRatepayer('Thabo Nkosi');
    const reference = await queue(thabo, { ...billing, email: 'thabo@example.org' });
    await thandi.post(`/api/cases/${reference}/claim`);
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Checked ID 8504120620086 on the register.' })).status, 200);
    const mail = (await eventually(() => email.messages, (m) => m.some((x) => x.to.includes('thabo@example.org')))).find((x) => x.to.includes('thabo@example.org'))!;
    for (const body of [mail.plainText!, mail.html!]) {
      assert.ok(!body.includes('8504120620086'), body);
      assert.match(body, /Checked ID •••••••••0086 on the register\./, body);
    }
  });

  it('gives a referral its receipt: who is responsible and by when', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    await thandi.post(`/api/cases/${reference}/claim`);
    const resolved = await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'referred_back_office', summary: 'The refund goes to billing corrections.' });
    assert.equal(resolved.status, 200);
    const receipt = (await expectInChat(lerato, /Who is responsible/)).text as string;
    const due = resolved.body.outcome.dueDate as string;
    // The due date as the summary card writes it, "Monday 14 December 2026" (tester 9, finding 6).
    assert.match(receipt, new RegExp(`Who is responsible: Revenue back office, by ${longDate(due, 'en')}\\.`));
    assert.match(receipt, /tell you the outcome in writing/);
    assert.doesNotMatch(receipt, /reopen/, 'nothing to reopen while the back office has it');
    const mails = await eventually(() => email.messages, (m) => m.length > 0);
    assert.match(mails[0]!.subject, /sent to the back office/);
  });

  it('sends the receipt of a cancellation by email only (the chat answered in the turn), and none without an address', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    await say(lerato, { text: 'cancel' });
    const mails = await eventually(() => email.messages, (m) => m.length > 0);
    assert.match(mails[0]!.subject, /you left the queue/);
    assert.equal(sentTo(lerato).filter((a) => /Your receipt from/.test(a.text ?? '')).length, 0);
    const stored = await eventually(() => store.get(reference), (c) => !!c?.receipts?.[0]?.sent?.email);
    assert.equal(stored?.receipts?.[0]?.kind, 'cancelled');

    const sipho = aRatepayer('Sipho Dube');
    const { email: _none, ...withoutEmail } = billing;
    const other = await queue(sipho, withoutEmail);
    await thandi.post(`/api/cases/${other}/claim`);
    await thandi.post(`/api/cases/${other}/resolve`, { outcome: 'resolved', summary: 'Explained' });
    await expectInChat(sipho, /Your receipt from/);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(email.messages.length, 1, 'no email without an address');
  });

  it('sends the dispute receipt and the arrangement summary by email too (issue 20), each once, recorded; none without an address', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    const shown = `${reference.slice(0, 3)}-${reference.slice(3)}`;
    await thandi.post(`/api/cases/${reference}/claim`);
    const lodged = await thandi.post(`/api/cases/${reference}/dispute`, {
      statementDate: recentStatement,
      items: [{ amountCents: 150_000, reason: 'Water charged on an <estimate>' }],
      keepPayingCents: 85_000,
      keepPayingBasis: 'average',
    });
    assert.equal(lodged.status, 200, JSON.stringify(lodged.body));
    const due = lodged.body.rules.dispute.investigationDueOn as string;
    await expectInChat(lerato, /Your billing dispute is on record/);
    const mails = await eventually(() => email.messages, (m) => m.length > 0);
    assert.equal(mails.length, 1);
    assert.deepEqual(mails[0]!.to, ['lerato@example.org']);
    assert.equal(mails[0]!.subject, `Case ${shown}: your billing dispute is on record`);
    assert.match(mails[0]!.plainText!, new RegExp(`Dispute reference: ${shown}-D1 \\(case ${shown}\\)`));
    assert.match(mails[0]!.plainText!, /R1\u00a0500\.00: Water charged on an <estimate>/);
    assert.match(mails[0]!.plainText!, /keep paying R850\.00 a month/);
    assert.match(mails[0]!.plainText!, new RegExp(`in writing by ${longDate(due, 'en')}`));
    assert.match(mails[0]!.html!, /Water charged on an &#60;estimate&#62;/, 'escaped in HTML');

    assert.equal((await thandi.post(`/api/cases/${reference}/arrangement`, { accountType: 'business', debtCents: 1_200_000, months: 7, arrearsCents: 1_350_000 })).status, 200); // beside the open dispute: its R1 500.00 left out
    await expectInChat(lerato, /Your repayment arrangement/);
    const both = await eventually(() => email.messages, (m) => m.length > 1);
    assert.equal(both[1]!.subject, `Case ${shown}: your repayment arrangement`);
    assert.match(both[1]!.plainText!, /R6\u00a0000\.00 now, then 2 monthly payments of R857\.15 and 5 monthly payments of R857\.14/);
    assert.match(both[1]!.plainText!, /acknowledgement of debt/);
    const stored = await eventually(() => store.get(reference), (c) => (c?.receipts ?? []).filter((r) => r.sent?.email).length === 2 && !c?.receiptsPending);
    assert.deepEqual(stored?.receipts?.map((r) => [r.kind, !!r.sent?.chat, !!r.sent?.email]), [['dispute', true, true], ['arrangement', true, true]]);
    assert.equal(stored?.receiptsPending, undefined);
    // One message in the chat for each: the email copy is not sent to the chat again.
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(sentTo(lerato).filter((a) => /Your billing dispute is on record/.test(a.text ?? '')).length, 1);
    assert.equal(email.messages.length, 2);

    const sipho = aRatepayer('Sipho Dube');
    const { email: _none, ...withoutEmail } = billing;
    const other = await queue(sipho, withoutEmail);
    await thandi.post(`/api/cases/${other}/claim`);
    assert.equal((await thandi.post(`/api/cases/${other}/dispute`, { statementDate: recentStatement, statementTotalCents: 100, items: [{ amountCents: 100, reason: 'x' }], keepPayingCents: 0, keepPayingBasis: 'undisputed' })).status, 200);
    await expectInChat(sipho, /Your billing dispute is on record/);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(email.messages.length, 2, 'no email without an address');
    assert.equal((await store.get(other))?.receipts, undefined);
  });
});

describe('receipts that did not get through are sent again', function () {
  this.timeout(30_000);

  it('retries an email the provider refused, on the scheduler round after a minute, once', async () => {
    const connector = await startLocalConnector();
    const email = await startAcsEmailStandIn();
    const db = await freshDatabase();
    const clock = new ManualClock(new Date());
    const service = await startService(
      { ...localSettings, email: { endpoint: email.endpoint, auth: { kind: 'key', accessKey: email.accessKey }, senderAddress: 'DoNotReply@desk.example' } },
      { containers: db, definition: definitionWithAgents(0), clock, scheduler: { start: false }, liveEvents: { pollIntervalMs: 150 } },
    );
    try {
      const store = new CosmosCaseStore(db.cases);
      const thandi = await signIn(service, 'thandi');
      const lerato = aRatepayer('Lerato Molefe');
      assert.equal(await postActivity(service.url, messageFrom(lerato, connector.serviceUrl, { value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${lerato.aadObjectId}`, ...billing } })), 200);
      const [c] = await store.listForConversation(lerato.conversationId, 1);
      email.failing = true;
      await thandi.post(`/api/cases/${c!.id}/claim`);
      assert.equal((await thandi.post(`/api/cases/${c!.id}/resolve`, { outcome: 'resolved', summary: 'Explained' })).status, 200);
      const refused = await (async () => {
        for (let i = 0; i < 100; i++) {
          const now = await store.get(c!.id);
          if (now?.receipts?.[0]?.sent?.chat) return now;
          await new Promise((r) => setTimeout(r, 50));
        }
        return store.get(c!.id);
      })();
      assert.equal(refused?.receipts?.[0]?.sent?.email, undefined, 'the provider refused it');
      assert.equal(refused?.receiptsPending, true);
      email.failing = false;
      await service.scheduler.tick();
      assert.equal(email.messages.length, 0, 'not within the minute its own delivery had');
      clock.advance(61_000);
      await service.scheduler.tick();
      const sent = await store.get(c!.id);
      assert.ok(sent?.receipts?.[0]?.sent?.email, 'sent on the retry');
      assert.equal(sent?.receiptsPending, undefined, 'nothing pending');
      assert.equal(email.messages.length, 1);
      const chats = connector.sent.filter((s) => s.conversationId === lerato.conversationId && /Your receipt from/.test(cardText(cardOf(s.body) ?? {}))).length;
      assert.equal(chats, 1, 'the chat, which had it, is not sent it again');
      clock.advance(61_000);
      await service.scheduler.tick();
      assert.equal(email.messages.length, 1, 'once');
    } finally {
      await service.close();
      await connector.close();
      await email.close();
    }
  });
});

describe('the ACS Email client with a managed identity (Microsoft Entra ID) against the stand-in', () => {
  const TOKEN = 'an-entra-token-for-communication-services';
  let email: AcsEmailStandIn;
  before(async () => (email = await startAcsEmailStandIn({ bearerToken: TOKEN })));
  after(() => email.close());
  const message = { to: 'a@example.org', subject: 'S', plainText: 'P', html: '<p>P</p>', key: 'N4W8XY-1' };

  it('asks the identity for the Communication Services scope and sends with its token, no key', async () => {
    const scopes: string[] = [];
    const sender = await acsEmailSenderFor(
      { endpoint: email.endpoint, senderAddress: 'DoNotReply@desk.example', auth: { kind: 'identity', managedIdentityClientId: '6f3c2a1e-8b4d-4c2e-9a7f-1d2e3f4a5b6c' } },
      { getToken: async (scope) => (scopes.push(scope), { token: TOKEN }) },
    );
    const sent = await sender.send(message);
    assert.deepEqual(scopes, ['https://communication.azure.com//.default'], "the scope Microsoft's SDKs request");
    assert.equal(email.messages.at(-1)?.operationId, sent.id);
    assert.deepEqual(email.messages.at(-1)?.to, ['a@example.org']);
  });

  it('fails the send (to be retried) with a reason staff can act on when the identity gives no token or a wrong one', async () => {
    const none = await acsEmailSenderFor({ endpoint: email.endpoint, senderAddress: 'x@desk.example', auth: { kind: 'identity' } }, { getToken: async () => null });
    await assert.rejects(none.send({ ...message, key: 'N4W8XY-2' }), (e: unknown) => e instanceof EmailFailedError && /No Microsoft Entra token for the email service .*role on the Communication Services resource/.test(e.message));
    const wrong = await acsEmailSenderFor({ endpoint: email.endpoint, senderAddress: 'x@desk.example', auth: { kind: 'identity' } }, { getToken: async () => ({ token: 'someone-else' }) });
    await assert.rejects(wrong.send({ ...message, key: 'N4W8XY-3' }), (e: unknown) => e instanceof EmailFailedError && e.status === 401);
  });

  it('still signs with an access key when the settings give one (the local stand-in)', async () => {
    const keyed = await acsEmailSenderFor({ endpoint: email.endpoint, senderAddress: 'x@desk.example', auth: { kind: 'key', accessKey: email.accessKey } });
    await keyed.send({ ...message, key: 'N4W8XY-4' });
    assert.equal(email.messages.length, 2);
  });
});

describe('the ACS Email client against the stand-in (REST contract, HMAC)', () => {
  let email: AcsEmailStandIn;
  before(async () => (email = await startAcsEmailStandIn()));
  after(() => email.close());

  it('is accepted with the right key, once per message key, and refused with a wrong one', async () => {
    const message = { to: 'a@example.org', subject: 'S', plainText: 'P', html: '<p>P</p>', key: 'K7M3PQ-1' };
    const good = new AcsEmailSender({ endpoint: email.endpoint, auth: { kind: 'key', accessKey: email.accessKey }, senderAddress: 'x@desk.example' });
    const first = await good.send(message);
    const again = await good.send(message);
    assert.equal(first.id, again.id, 'the same operation');
    assert.equal(email.messages.length, 1, 'recorded once');
    const status = await fetch(`${email.endpoint}emails/operations/${first.id}?api-version=2023-03-31`);
    assert.equal(status.status, 401, 'the status route needs a signature too');
    const wrong = new AcsEmailSender({ endpoint: email.endpoint, auth: { kind: 'key', accessKey: Buffer.from('not the key').toString('base64') }, senderAddress: 'x@desk.example' });
    await assert.rejects(wrong.send({ ...message, key: 'K7M3PQ-2' }), (e: unknown) => e instanceof EmailFailedError && e.status === 401);
    const badSender = new AcsEmailSender({ endpoint: email.endpoint, auth: { kind: 'key', accessKey: email.accessKey }, senderAddress: 'nobody' });
    await assert.rejects(badSender.send({ ...message, key: 'K7M3PQ-3' }), (e: unknown) => e instanceof EmailFailedError && e.status === 400);
    assert.equal(email.messages.length, 1);
  });
});
