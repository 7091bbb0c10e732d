/**
 * A ratepayer with cases in the queue, over the Bot Framework protocol: leaving the queue one
 * case at a time (a card's button is for its own case; "cancel" with several asks which), and
 * what they write while waiting kept on the case for the expert who takes it.
 */
import assert from 'node:assert/strict';
import { staffIdentity } from '../../bot/domain/access.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { CosmosPresenceStore } from '../../bot/platform/cosmos/presenceStore.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, inputOf, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService, type ApiClient } from '../support/tabApi.js';

const BILLING = {
  accountNumber: '501234567',
  accountHolder: 'Lerato Molefe',
  mobile: '0821234567',
  description: 'My bill doubled in March and nobody has explained why.',
};
const CREDIT_CONTROL = { ...BILLING, proposedMonthlyPayment: '800', description: 'I want to pay my arrears off monthly.' };

describe('a ratepayer waiting in the queue', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let service: RunningService;
  let store: CosmosCaseStore;
  let thandi: ApiClient;
  let db: CosmosContainers;

  beforeEach(async () => {
    connector = await startLocalConnector();
    db = await freshDatabase();
    store = new CosmosCaseStore(db.cases);
    service = await startTestService(db, definitionWithAgents(0));
    thandi = await signIn(service, 'thandi');
  });

  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => s.body);
  const textOf = (a: Record<string, any>) => `${a.text ?? ''}\n${cardText(cardOf(a) ?? {})}`;

  /** Sends a message and returns the replies to it. */
  async function say(user: TestUser, fields: { text?: string; value?: unknown }, replies = 1): Promise<Record<string, any>[]> {
    const before = sentTo(user).length;
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, fields)), 200);
    const all = await connector.waitFor(user.conversationId, before + replies);
    return all.slice(before).map((s) => s.body);
  }

  /** Queues a case; returns its compact reference and the confirmation card. */
  async function queue(user: TestUser, category: string, values: Record<string, unknown>): Promise<{ id: string; card: Record<string, any> }> {
    const [reply] = await say(user, { value: { verb: 'intake.submit', category, draftId: `draft-${category}-${user.aadObjectId}`, ...values } });
    const card = cardOf(reply!)!;
    const reference = /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(cardText(card))![1]!;
    return { id: reference.replace('-', ''), card };
  }

  const stateOf = async (id: string) => (await store.get(id))!.state;
  const display = (id: string) => `${id.slice(0, 3)}-${id.slice(3)}`;
  const leaveButton = (card: Record<string, any>) => card.actions.find((a: { title: string }) => a.title === 'Leave the queue');

  describe('leaving the queue', () => {
    it('"Leave the queue" on a confirmation card cancels that card\'s case only', async () => {
      const user = aRatepayer();
      const first = await queue(user, 'billing', BILLING);
      const second = await queue(user, 'credit-control', CREDIT_CONTROL);
      const [reply] = await say(user, { value: leaveButton(first.card).data });
      assert.equal(reply!.text, `You have left the queue. Case ${display(first.id)} is cancelled. If you change your mind, type your kind of query to join again.`);
      assert.equal(await stateOf(first.id), 'cancelled');
      assert.equal(await stateOf(second.id), 'waiting', 'the other case keeps its place');
      // The same button again: that case is no longer waiting; the other is still not touched.
      const [again] = await say(user, { value: leaveButton(first.card).data });
      assert.match(again!.text, new RegExp(`Case ${display(first.id)} is no longer waiting in the queue`));
      assert.equal(await stateOf(second.id), 'waiting');
    });

    it('an old card\'s button without a case, and typed "cancel", with two cases waiting ask which; the choice cancels only the one chosen', async () => {
      const user = aRatepayer();
      const first = await queue(user, 'billing', BILLING);
      const second = await queue(user, 'credit-control', CREDIT_CONTROL);
      for (const fields of [{ value: { verb: 'case.cancel' } }, { text: 'cancel' }]) {
        const [question] = await say(user, fields);
        const card = cardOf(question!)!;
        assert.ok(card, 'a choice, not a cancellation');
        assert.match(cardText(card), /You have 2 cases waiting/);
        const titles = card.actions.map((a: { title: string }) => a.title);
        assert.deepEqual(titles, [
          `Leave the queue for ${display(first.id)} (Account and billing queries)`,
          `Leave the queue for ${display(second.id)} (Credit control assistance with repayment arrangements)`,
        ]);
        assert.equal(await stateOf(first.id), 'waiting');
        assert.equal(await stateOf(second.id), 'waiting');
      }
      const [question] = await say(user, { text: 'cancel' });
      const chosen = cardOf(question!)!.actions[1].data;
      const [reply] = await say(user, { value: chosen });
      assert.match(reply!.text, new RegExp(`Case ${display(second.id)} is cancelled\\.`));
      assert.equal(await stateOf(second.id), 'cancelled');
      assert.equal(await stateOf(first.id), 'waiting');
      // One left: "cancel" cancels it, naming it.
      const [last] = await say(user, { text: 'cancel' });
      assert.equal(last!.text, `You have left the queue. Case ${display(first.id)} is cancelled. If you change your mind, type your kind of query to join again.`);
      assert.equal(await stateOf(first.id), 'cancelled');
    });

    it('an old card\'s button for a case of this chat other than the one waiting now (resolved since, or with an expert) leaves the one waiting in the queue', async () => {
      const user = aRatepayer();
      const old = await queue(user, 'billing', BILLING);
      assert.equal((await thandi.post(`/api/cases/${old.id}/claim`)).status, 200);
      assert.equal((await thandi.post(`/api/cases/${old.id}/resolve`, { outcome: 'resolved', summary: 'Explained the estimate.' })).status, 200);
      // The summary, the survey and the receipt have come, so the next form's answer is the next message.
      for (const until = Date.now() + 5000; !sentTo(user).some((a) => /Your receipt from/.test(textOf(a))); ) {
        assert.ok(Date.now() < until, 'the receipt came');
        await new Promise((r) => setTimeout(r, 50));
      }
      const current = await queue(user, 'credit-control', CREDIT_CONTROL);
      // The resolved case's "Leave the queue": that case is not waiting; the one waiting now keeps its place.
      const [reply] = await say(user, { value: leaveButton(old.card).data });
      assert.match(reply!.text, new RegExp(`Case ${display(old.id)} is no longer waiting in the queue`));
      assert.equal(await stateOf(current.id), 'waiting');
      assert.equal(await stateOf(old.id), 'resolved');
      // The case waiting now taken by an expert: the resolved case's button still names only that
      // case, not "end the chat with Thandi?" about the one she has now.
      assert.equal((await thandi.post(`/api/cases/${current.id}/claim`)).status, 200);
      const [again] = await say(user, { value: leaveButton(old.card).data });
      assert.match(again!.text, new RegExp(`Case ${display(old.id)} is no longer waiting in the queue`));
      assert.doesNotMatch(textOf(again!), /end the chat/i);
      assert.equal(await stateOf(current.id), 'in_progress');
    });

    it('a card\'s button for another chat\'s case cancels nothing', async () => {
      const lerato = aRatepayer();
      const mine = await queue(lerato, 'billing', BILLING);
      const other = aRatepayer('Sipho Dlamini');
      await queue(other, 'billing', BILLING);
      const [reply] = await say(other, { value: leaveButton(mine.card).data });
      assert.match(reply!.text, /is no longer waiting in the queue/);
      assert.equal(await stateOf(mine.id), 'waiting');
    });
  });

  describe('what they write while waiting', () => {
    it('is kept on the case for the expert, who sees it on opening and after claiming; the ratepayer is told so with their place', async () => {
      const user = aRatepayer();
      const { id } = await queue(user, 'billing', BILLING);
      const [reply] = await say(user, { text: 'my mobile number is wrong, it is 083 555 1234' });
      assert.match(reply!.text, new RegExp(`I have kept your message on case ${display(id)}, and I will pass it to the expert who takes your case`));
      assert.match(reply!.text, /You are number 1 \(estimated wait/);
      const stored = await store.get(id);
      assert.deepEqual(stored!.transcript?.map((e) => [e.from, e.text]), [['ratepayer', 'my mobile number is wrong, it is 083 555 1234']]);
      const opened = await thandi.get(`/api/cases/${id}`);
      assert.equal(opened.status, 200);
      assert.ok(opened.body.transcript.some((e: { from: string; text: string }) => e.from === 'ratepayer' && /083 555 1234/.test(e.text)), 'seen on opening');
      assert.equal((await thandi.post(`/api/cases/${id}/claim`)).status, 200);
      const claimed = await thandi.get(`/api/cases/${id}`);
      assert.ok(claimed.body.transcript.some((e: { from: string; text: string }) => e.from === 'ratepayer' && /083 555 1234/.test(e.text)), 'seen after claiming');
    });

    it('courtesy and greetings alone are not kept (nothing for the expert) and get the short place answer', async () => {
      const user = aRatepayer();
      const { id } = await queue(user, 'billing', BILLING);
      for (const text of ['thank you', '👍', 'ok thanks', 'hello']) {
        const [reply] = await say(user, { text });
        assert.match(textOf(reply!), /You are in the queue with case/, text);
        assert.doesNotMatch(textOf(reply!), /kept your message/, text);
      }
      assert.deepEqual((await store.get(id))!.transcript ?? [], []);
    });

    it('a message too long to keep is not kept and the ratepayer is told the real count and the limit', async () => {
      const user = aRatepayer();
      const { id } = await queue(user, 'billing', BILLING);
      const [reply] = await say(user, { text: 'x'.repeat(20_500) });
      assert.match(reply!.text, /Your message has 20 500 characters, more than we can keep \(at most 20 000\)/);
      assert.deepEqual((await store.get(id))!.transcript ?? [], []);
    });
  });

  describe('a long description on the intake card', () => {
    /** Every Input in a card. */
    const inputsOf = (card: unknown): Record<string, any>[] => {
      const found: Record<string, any>[] = [];
      const walk = (node: unknown) => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === 'object') {
          const n = node as Record<string, any>;
          if (typeof n.type === 'string' && n.type.startsWith('Input.')) found.push(n);
          Object.values(n).forEach(walk);
        }
      };
      walk(card);
      return found;
    };

    it('the card sets no maxLength on any input (a client would cut a paste to it without a word)', async () => {
      for (const category of ['billing', 'credit-control', 'rates', 'metering', 'indigent']) {
        const [reply] = await say(aRatepayer(), { value: { verb: 'category.choose', category } });
        const inputs = inputsOf(cardOf(reply!));
        assert.ok(inputs.length >= 4, category);
        for (const input of inputs) assert.equal(input.maxLength, undefined, `${category}: ${input.id} has maxLength ${input.maxLength}`);
      }
    });

    it('100,000 characters: the real count and the limit in the card\'s words, and the card says honestly that it could not keep it all', async () => {
      const user = aRatepayer();
      const description = 'My bill is wrong. '.repeat(5556).slice(0, 100_000);
      const [reply] = await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId: `draft-long-${user.aadObjectId}`, ...BILLING, description } });
      const card = cardOf(reply!)!;
      const text = cardText(card);
      assert.match(text, /"Your query in a few words" is too long: you wrote 100 000 characters and the most is 1 000\./);
      assert.doesNotMatch(text, /Everything you typed is still here/);
      assert.match(text, /What you typed in "Your query in a few words" was too long for this card to carry back whole: it keeps the first 4 000 characters, and the rest is not here\./);
      assert.equal(inputOf(card, 'description')!.value, description.slice(0, 4000));
      assert.equal(inputOf(card, 'accountHolder')!.value, BILLING.accountHolder, 'the other fields come back whole');
    });

    it('2,640 characters: the real count, and everything typed is still on the card (and it says so)', async () => {
      const user = aRatepayer();
      const description = 'x'.repeat(2640);
      const [reply] = await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId: `draft-long-${user.aadObjectId}`, ...BILLING, description } });
      const card = cardOf(reply!)!;
      assert.match(cardText(card), /you wrote 2 640 characters and the most is 1 000/);
      assert.match(cardText(card), /Everything you typed is still here/);
      assert.equal(inputOf(card, 'description')!.value, description);
    });
  });

  describe('the words', () => {
    const INDIGENT = { ...BILLING, idNumber: '8001015009087', householdSize: '4', monthlyHouseholdIncome: '3500', description: 'Please register me for ESP.' };

    it('the welcome card shows every category\'s full name, wrapped, each pressable to its form (no button title a client cuts)', async () => {
      const user = aRatepayer();
      const [reply] = await say(user, { text: 'hi' });
      const card = cardOf(reply!)!;
      const names = service.definition.categories.map((c) => c.name);
      assert.ok(names.some((n) => n.length > 50), 'a name longer than a button shows');
      assert.equal((card.actions ?? []).length, 0, 'no action buttons with category names');
      const rows = (card.body as Record<string, any>[]).filter((e) => e.selectAction?.data?.verb === 'category.choose');
      assert.deepEqual(
        rows.map((r) => r.items.map((i: Record<string, any>) => [i.text, i.wrap])),
        names.map((n) => [[n, true]]),
      );
      const [form] = await say(user, { value: rows[1]!.selectAction.data });
      assert.match(cardText(cardOf(form!)), /Credit control assistance with repayment arrangements/);
    });

    it('never lower-cases a name: "(ESP)" stays "(ESP)" in the form\'s greeting, "South African ID number" in its messages', async () => {
      const user = aRatepayer();
      const [form] = await say(user, { value: { verb: 'category.choose', category: 'indigent' } });
      const card = cardOf(form!)!;
      assert.match(cardText(card), /Thank you for reaching out about Indigent-related queries and registration \(ESP\)\./);
      assert.equal(inputOf(card, 'idNumber')!.errorMessage, 'Please fill in South African ID number.');
      const [sent] = await say(user, { value: { verb: 'intake.submit', category: 'indigent', draftId: `draft-esp-${user.aadObjectId}`, ...INDIGENT, idNumber: '' } });
      assert.match(cardText(cardOf(sent!)), /Please fill in South African ID number\./);
    });

    it('"my data": the purpose reads as a sentence; with nothing held, no case reference to quote', async () => {
      const none = aRatepayer();
      const [empty] = await say(none, { text: 'my data' });
      assert.doesNotMatch(textOf(empty!), /quoting the case reference/);
      assert.match(textOf(empty!), /write to/);
      const user = aRatepayer();
      await queue(user, 'billing', BILLING);
      const [held] = await say(user, { text: 'my data' });
      assert.doesNotMatch(textOf(held!), /for to /);
      assert.match(textOf(held!), /We use them only to /);
      assert.match(textOf(held!), /quoting the case reference/);
    });

    it('"my cases" with every case cancelled does not say to type "cancel"; while one waits it does', async () => {
      const user = aRatepayer();
      await queue(user, 'billing', BILLING);
      const [waiting] = await say(user, { text: 'my cases' });
      assert.match(textOf(waiting!), /Type "cancel" to leave the queue/);
      await say(user, { text: 'cancel' });
      const [cancelled] = await say(user, { text: 'my cases' });
      assert.match(textOf(cancelled!), /Cancelled/i);
      assert.doesNotMatch(textOf(cancelled!), /Type "cancel" to leave the queue/);
    });
  });

  describe('rough edges', () => {
    const puts = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId && s.method === 'PUT');
    /** Sends a card press replying to a card message; returns the new POSTed replies (PUTs are read with `puts`). */
    async function press(user: TestUser, value: unknown, cardMessage: string): Promise<Record<string, any>[]> {
      const before = connector.sent.filter((s) => s.conversationId === user.conversationId).length;
      assert.equal(await postActivity(service.url, { ...messageFrom(user, connector.serviceUrl, { value }), replyToId: cardMessage }), 200);
      await connector.waitFor(user.conversationId, before + 1);
      // A card update and its reply come one after the other: give the second a moment.
      await new Promise((r) => setTimeout(r, 100));
      return connector.sent
        .filter((s) => s.conversationId === user.conversationId)
        .slice(before)
        .filter((s) => s.method === 'POST')
        .map((s) => s.body);
    }
    async function eventuallyInChat(user: TestUser, pattern: RegExp): Promise<Record<string, any>> {
      const until = Date.now() + 5000;
      for (;;) {
        const found = sentTo(user).find((a) => pattern.test(textOf(a)));
        if (found) return found;
        if (Date.now() > until) assert.fail(`no message matching ${pattern}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    const readOnly = (card: unknown) => {
      const json = JSON.stringify(card);
      assert.equal(json.includes('Input.'), false, 'no inputs left');
      assert.equal(json.includes('Action.Submit'), false, 'nothing to press');
    };

    it('the survey card becomes its answer when sent; a second press is answered plainly; "dankie" after "2 – Dissatisfied" presumes no satisfaction', async () => {
      const user = aRatepayer();
      const { id } = await queue(user, 'billing', BILLING);
      assert.equal((await thandi.post(`/api/cases/${id}/claim`)).status, 200);
      assert.equal((await thandi.post(`/api/cases/${id}/resolve`, { outcome: 'resolved', summary: 'Explained the March bill.' })).status, 200);
      const survey = cardOf(await eventuallyInChat(user, /How did we do\?/))!;
      const send = { ...survey.actions[0].data, rating: '2' };
      const first = await press(user, send, 'survey-card-1');
      assert.match(first.map(textOf).join('\n'), /Thank you for your feedback/);
      const updated = puts(user).filter((p) => p.activityId === 'survey-card-1');
      assert.equal(updated.length, 1, 'the survey card is updated in place');
      const card = cardOf(updated[0]!.body)!;
      assert.match(cardText(card), new RegExp(`your answer for case ${display(id)} is 2 – Dissatisfied`));
      readOnly(card);
      const second = await press(user, send, 'survey-card-1');
      assert.match(second.map(textOf).join('\n'), /We already have your answer/);
      const [dankie] = await say(user, { text: 'dankie' });
      assert.match(dankie!.text, /You are welcome/);
      assert.doesNotMatch(dankie!.text, /glad we could help/);
    });

    it('the end-the-chat card becomes the choice made; the other button pressed later is answered plainly and not acted on', async () => {
      const user = aRatepayer();
      const { id } = await queue(user, 'billing', BILLING);
      assert.equal((await thandi.post(`/api/cases/${id}/claim`)).status, 200);
      await eventuallyInChat(user, /connected with Thandi/);
      await say(user, { text: 'stop' }, 0);
      const question = cardOf(await eventuallyInChat(user, /Do you want to end the chat with Thandi\?/))!;
      const carryOn = question.actions.find((a: { title: string }) => /carry on/.test(a.title)).data;
      const end = question.actions.find((a: { title: string }) => /end the chat/.test(a.title)).data;
      await press(user, carryOn, 'end-chat-card-1');
      await eventuallyInChat(user, /still connected with Thandi/);
      const updated = puts(user).filter((p) => p.activityId === 'end-chat-card-1');
      assert.equal(updated.length, 1, 'the question card is updated in place');
      assert.match(cardText(cardOf(updated[0]!.body)), /You chose: No, carry on\./);
      readOnly(cardOf(updated[0]!.body));
      const later = await press(user, end, 'end-chat-card-1');
      assert.match(later.map(textOf).join('\n'), /You have already answered that question \(No, carry on\)/);
      await new Promise((r) => setTimeout(r, 200));
      const transcript = (await thandi.get(`/api/cases/${id}`)).body.transcript as { text: string }[];
      assert.equal(transcript.some((e) => /Chose: end the chat/.test(e.text)), false, 'the second press is not acted on');
    });

    it('only thank-like emoji are thanks: "🧾💧⚡" is not answered "You are welcome", "🙏🏽" and "👍" are', async () => {
      const user = aRatepayer();
      const replies = await say(user, { text: '🧾💧⚡' }, 2);
      assert.doesNotMatch(replies.map(textOf).join('\n'), /You are welcome/);
      for (const text of ['🙏🏽', '👍', '❤️']) assert.match((await say(user, { text }))[0]!.text, /You are welcome/, text);
    });

    it('a meter reading with its unit ("12 345,6 kl", "kWh") is accepted; one with other letters says to leave the unit out', async () => {
      const metering = { ...BILLING, meterType: 'water', meterNumber: 'W1234567', description: 'My water reading is wrong.' };
      const user = aRatepayer();
      const { id } = await queue(user, 'metering', { ...metering, meterReading: '12 345,6 kl' });
      assert.equal((await store.get(id))!.intake.meterReading, 12345.6);
      const other = aRatepayer();
      const { id: kwh } = await queue(other, 'metering', { ...metering, meterType: 'electricity', meterReading: '4 321 kWh' });
      assert.equal((await store.get(kwh))!.intake.meterReading, 4321);
      const third = aRatepayer();
      const [refused] = await say(third, { value: { verb: 'intake.submit', category: 'metering', draftId: `draft-m-${third.aadObjectId}`, ...metering, meterReading: '12 345,6 litres' } });
      assert.match(cardText(cardOf(refused!)), /leave out the unit/);
    });

    it('the submitted card shows amounts as the City\'s statements do ("R12 500.50", "R800.00")', async () => {
      const user = aRatepayer();
      await press(user, { verb: 'intake.submit', category: 'credit-control', draftId: `draft-cc-${user.aadObjectId}`, ...CREDIT_CONTROL, arrearsAmount: '12500.5', proposedMonthlyPayment: '800' }, 'intake-card-1');
      const updated = puts(user).filter((p) => p.activityId === 'intake-card-1');
      assert.equal(updated.length, 1);
      const text = cardText(cardOf(updated[0]!.body));
      assert.match(text, /R12\s500\.50/u);
      assert.match(text, /R800\.00/);
      assert.doesNotMatch(text, /12500\.5\b/);
    });

    it('with no billing expert\'s tab open now, the wait is said to rest on the usual staffing, and not that nobody has signed in (tester 9, finding 6)', async () => {
      // Thandi signed in (beforeEach) and had her tab open until five minutes ago: her presence has
      // run out. Priya has her tab open now, but she does not take billing queries.
      const presence = new CosmosPresenceStore(db.presence);
      const staff = (id: string) => staffIdentity(service.definition.staff.find((s) => s.id === id)!);
      await presence.report(staff('thandi'), new Date(Date.now() - 5 * 60_000));
      await presence.report(staff('priya'), new Date());
      const { card } = await queue(aRatepayer(), 'billing', BILLING);
      assert.match(cardText(card), /usual staffing of this queue: no expert for this kind of query is at their desk right now\./);
      assert.doesNotMatch(cardText(card), /signed in|on duty/);
    });
  });

  describe('while an expert is talking to them', () => {
    it('a category button or a new form opens no second case in the chat (two experts would each read every reply)', async () => {
      const user = aRatepayer();
      const first = await queue(user, 'billing', BILLING);
      const before = sentTo(user).length;
      assert.equal((await thandi.post(`/api/cases/${first.id}/claim`)).status, 200);
      await connector.waitFor(user.conversationId, before + 1); // "You are now connected with Thandi…"
      const busy = 'You are talking with Thandi about Account and billing queries now. When you have finished with them, you can send a new query here.';
      // An old welcome card's button (or a second category link on the web page).
      const [choice] = await say(user, { value: { verb: 'category.choose', category: 'credit-control' } });
      assert.equal(choice!.text, busy);
      assert.equal(cardOf(choice!), undefined, 'no form');
      // A form that was on screen before the expert connected, sent now.
      const [sent] = await say(user, { value: { verb: 'intake.submit', category: 'credit-control', draftId: `draft-late-${user.aadObjectId}`, ...CREDIT_CONTROL } });
      assert.equal(sent!.text, busy);
      const open = (await store.listForConversation(user.conversationId, 10)).filter((c) => c.state === 'waiting' || c.state === 'in_progress');
      assert.deepEqual(open.map((c) => c.id), [first.id], 'the one case with the expert, no second');
      // The same form of the case with the expert (a resend) is still that case, not refused.
      const [resend] = await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId: `draft-billing-${user.aadObjectId}`, ...BILLING } });
      assert.notEqual(resend!.text, busy);
    });
  });
});
