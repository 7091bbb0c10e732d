/**
 * A transfer to a category whose form asks for other details: the ratepayer is asked for exactly
 * the missing ones, observed where Teams would see it (a local Bot Framework connector); answers
 * go back as the card's Action.Submit, POSTed to /api/messages; agents use the tab API over HTTP.
 * The store is the embedded Cosmos DB server.
 */
import assert from 'node:assert/strict';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService, type ApiClient } from '../support/tabApi.js';

/** A credit-control intake: no ID number, household size or income (the indigent form's own fields). */
const creditControl = {
  accountNumber: '501234567',
  accountHolder: 'Lerato Molefe',
  mobile: '0821234567',
  proposedMonthlyPayment: 'R500',
  description: 'I lost my job and cannot pay the arrears on my account.',
};

describe('details asked after a transfer', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let service: RunningService;
  /** Priya works credit control and indigent queries (the pilot's roster). */
  let priya: ApiClient;

  beforeEach(async () => {
    connector = await startLocalConnector();
    const db = await freshDatabase();
    service = await startTestService(db, definitionWithAgents(0), {
      pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 },
    });
    priya = await signIn(service, 'priya');
  });

  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => s.body);
  const textOf = (a: Record<string, any>) => `${a.text ?? ''}\n${cardText(cardOf(a) ?? {})}`;

  async function say(user: TestUser, fields: { text?: string; value?: unknown }) {
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, fields)), 200);
  }

  /** Waits until the chat has a message (after the first `after`) matching the pattern; returns it. */
  async function expectInChat(user: TestUser, pattern: RegExp, after = 0, timeoutMs = 5000): Promise<Record<string, any>> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = sentTo(user).slice(after).find((a) => pattern.test(textOf(a)));
      if (found) return found;
      if (Date.now() > until) assert.fail(`no message matching ${pattern} in:\n${sentTo(user).map(textOf).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function queue(user: TestUser, category: string, values: Record<string, unknown>): Promise<string> {
    await say(user, { value: { verb: 'intake.submit', category, draftId: `draft-${user.aadObjectId}`, ...values } });
    const confirmation = await expectInChat(user, /Your case reference/);
    return /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(cardText(cardOf(confirmation)))![1]!.replace('-', '');
  }

  /** The inputs of a card: id → the whole input (label, value, isRequired…). */
  function inputsOf(card: Record<string, any> | undefined): Map<string, Record<string, any>> {
    const inputs = new Map<string, Record<string, any>>();
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const n = node as Record<string, any>;
        if (typeof n.type === 'string' && n.type.startsWith('Input.')) inputs.set(n.id, n);
        Object.values(n).forEach(walk);
      }
    };
    walk(card);
    return inputs;
  }

  /** The card's Send: the data its Action.Submit carries. */
  function submitData(card: Record<string, any> | undefined): Record<string, unknown> {
    const action = (card?.actions ?? []).find((a: any) => a.type === 'Action.Submit');
    assert.ok(action, 'the form has a Send button');
    return action.data;
  }

  /** Queues a credit-control case, and Priya claims it and transfers it to `toCategory`. */
  async function transferred(user: TestUser, toCategory: string): Promise<string> {
    const reference = await queue(user, 'credit-control', creditControl);
    assert.equal((await priya.post(`/api/cases/${reference}/claim`)).status, 200);
    const moved = await priya.post(`/api/cases/${reference}/transfer`, { toCategory, note: 'This is an indigent registration' });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    return reference;
  }

  it('asks the ratepayer for only the details the new category needs, and the case page shows them outstanding while it can still be claimed', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await transferred(lerato, 'indigent');
    await expectInChat(lerato, /moved your case to Indigent/);
    const form = cardOf(await expectInChat(lerato, /a few more details/));
    assert.ok(form, 'the details come as a card in Teams');
    const inputs = inputsOf(form);
    assert.deepEqual([...inputs.keys()], ['idNumber', 'householdSize', 'monthlyHouseholdIncome'], 'exactly the missing fields, nothing the intake has');
    assert.equal(inputs.get('idNumber')!.label, 'South African ID number');
    assert.ok([...inputs.values()].every((i) => i.isRequired === true));
    assert.match(cardText(form), /You keep your place in the queue/);
    assert.match(cardText(form), /to check your indigent \(ESP\) registration/, 'why each detail is asked (POPIA s18)');
    assert.deepEqual(submitData(form), { verb: 'details.submit', reference });

    // The tab: the request, in staff's words; the case waits in the indigent queue and can be claimed.
    const page = await priya.get(`/api/cases/${reference}`);
    assert.equal(page.status, 200);
    assert.equal(page.body.category, 'indigent');
    assert.deepEqual(
      page.body.detailsAsked.fields.map((f: { label: string }) => f.label),
      ['South African ID number', 'Household size', 'Monthly household income'],
    );
    assert.equal(page.body.allowed.claim, true);
    assert.ok(page.body.audit.some((e: { action: string; detail?: string }) => e.action === 'details asked' && e.detail === 'idNumber, householdSize, monthlyHouseholdIncome'));
    assert.equal((await priya.post(`/api/cases/${reference}/claim`)).status, 200, 'not blocked from being claimed');
  });

  it('returns a wrong answer with the error under its field and everything typed kept, and changes nothing', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await transferred(lerato, 'indigent');
    await expectInChat(lerato, /a few more details/);
    const before = sentTo(lerato).length;

    await say(lerato, { value: { verb: 'details.submit', reference, idNumber: '8001015009088', householdSize: '4', monthlyHouseholdIncome: 'R3 200' } });
    const retry = cardOf(await expectInChat(lerato, /check the field marked below/, before));
    const inputs = inputsOf(retry);
    assert.deepEqual([...inputs.keys()], ['idNumber', 'householdSize', 'monthlyHouseholdIncome']);
    assert.equal(inputs.get('idNumber')!.value, '8001015009088', 'what was typed is kept, the wrong value too');
    assert.equal(inputs.get('householdSize')!.value, '4');
    assert.equal(inputs.get('monthlyHouseholdIncome')!.value, 'R3 200');
    assert.match(cardText(retry), /That ID number doesn’t add up/);
    assert.doesNotMatch(cardText(retry), /household size should|monthly household income should/i, 'no error under the right answers');

    const page = await priya.get(`/api/cases/${reference}`);
    assert.ok(page.body.detailsAsked, 'still outstanding');
    assert.ok(!page.body.intake.some((l: { name: string }) => l.name === 'idNumber'));
  });

  it('adds a right answer to the case with an audit entry by the ratepayer, visible through the tab API; a repeat changes nothing', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await transferred(lerato, 'indigent');
    await expectInChat(lerato, /a few more details/);
    const before = sentTo(lerato).length;

    const answer = { verb: 'details.submit', reference, idNumber: '8001015009087', householdSize: '4', monthlyHouseholdIncome: 'R3 200' };
    await say(lerato, { value: answer });
    await expectInChat(lerato, /Thank you\. Your details \(South African ID number, people in your household and monthly household income\) are now on case/, before);

    const page = await priya.get(`/api/cases/${reference}`);
    assert.equal(page.body.detailsAsked, undefined, 'nothing outstanding');
    // The expert's transcript has what the ratepayer sent and what they were told in answer, in that order (tester 7, finding 13).
    const transcript = page.body.transcript as { from: string; text: string }[];
    const thanks = transcript.findIndex((e) => e.from === 'system' && /^Thank you\. Your details \(South African ID number, people in your household and monthly household income\) are now on case/.test(e.text));
    assert.ok(thanks > 0 && transcript[thanks - 1]!.from === 'ratepayer', JSON.stringify(transcript.map((e) => [e.from, e.text.slice(0, 60)])));
    assert.equal(sentTo(lerato).filter((m) => /Thank you\. Your details/.test(JSON.stringify(m))).length, 1, 'told once');
    const lines = Object.fromEntries(page.body.intake.map((l: { name: string; value: string }) => [l.name, l.value]));
    assert.equal(lines.householdSize, '4');
    assert.match(lines.monthlyHouseholdIncome, /^R3\s200\.00$/);
    assert.match(lines.idNumber, /9087$/);
    assert.doesNotMatch(lines.idNumber, /800101/, 'masked to the last four');
    assert.equal(lines.proposedMonthlyPayment !== undefined, true, 'the earlier details stay');
    const added = page.body.audit.find((e: { action: string }) => e.action === 'details added');
    assert.ok(added, JSON.stringify(page.body.audit));
    assert.equal(added.by.kind, 'ratepayer');
    assert.equal(added.detail, 'idNumber, householdSize, monthlyHouseholdIncome', 'field names, never the values');

    // The same form sent again: answered plainly, nothing changed.
    const again = sentTo(lerato).length;
    await say(lerato, { value: { ...answer, householdSize: '9' } });
    await expectInChat(lerato, /We already have what we asked for on case/, again);
    const after = await priya.get(`/api/cases/${reference}`);
    assert.equal(after.body.intake.find((l: { name: string }) => l.name === 'householdSize').value, '4');
    assert.equal(after.body.audit.filter((e: { action: string }) => e.action === 'details added').length, 1);
  });

  it('answers a late answer on a closed case plainly and changes nothing', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await transferred(lerato, 'indigent');
    await expectInChat(lerato, /a few more details/);
    assert.equal((await priya.post(`/api/cases/${reference}/claim`)).status, 200);
    assert.equal((await priya.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Registered over the phone.' })).status, 200);
    const before = sentTo(lerato).length;

    await say(lerato, { value: { verb: 'details.submit', reference, idNumber: '8001015009087', householdSize: '4', monthlyHouseholdIncome: 'R3 200' } });
    await expectInChat(lerato, /is already closed, so these details were not added/, before);
    const page = await priya.get(`/api/cases/${reference}`);
    assert.ok(!page.body.intake.some((l: { name: string }) => l.name === 'idNumber'));
    assert.ok(!page.body.audit.some((e: { action: string }) => e.action === 'details added'));
  });

  it('asks nothing when the new category needs nothing the intake lacks (a ratepayer transferred at the same time to indigent queries is asked)', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const sipho = aRatepayer('Sipho Dlamini');
    const reference = await transferred(lerato, 'billing');
    // The control: the same transfer to a category that needs more is asked, in the same run.
    await transferred(sipho, 'indigent');
    await expectInChat(lerato, /moved your case to Account and billing/);
    await expectInChat(sipho, /a few more details/);
    await new Promise((r) => setTimeout(r, 300));
    const isDetailsForm = (a: Record<string, any>) => /a few more details/.test(textOf(a)) || (cardOf(a)?.actions ?? []).some((x: any) => x.data?.verb === 'details.submit');
    assert.ok(!sentTo(lerato).some(isDetailsForm), 'no form when nothing is missing');
    // Billing is Thandi's category, not Priya's.
    const page = await (await signIn(service, 'thandi')).get(`/api/cases/${reference}`);
    assert.equal(page.status, 200);
    assert.equal(page.body.category, 'billing');
    assert.equal(page.body.detailsAsked, undefined);
    assert.ok(!page.body.audit.some((e: { action: string }) => e.action === 'details asked'));
  });

  it('withdraws the request when the case moves on to a category that needs nothing more: the old form then changes nothing', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await transferred(lerato, 'indigent');
    await expectInChat(lerato, /a few more details/);
    assert.equal((await priya.post(`/api/cases/${reference}/claim`)).status, 200);
    assert.equal((await priya.post(`/api/cases/${reference}/transfer`, { toCategory: 'credit-control', note: 'Not indigent after all' })).status, 200);
    const page = await priya.get(`/api/cases/${reference}`);
    assert.equal(page.body.detailsAsked, undefined);
    const before = sentTo(lerato).length;
    await say(lerato, { value: { verb: 'details.submit', reference, idNumber: '8001015009087', householdSize: '4', monthlyHouseholdIncome: 'R3 200' } });
    await expectInChat(lerato, /We already have what we asked for on case/, before);
    const after = await priya.get(`/api/cases/${reference}`);
    assert.ok(!after.body.intake.some((l: { name: string }) => l.name === 'idNumber'));
  });
});
