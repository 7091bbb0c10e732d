/**
 * A case the expert referred to the back office stays the ratepayer's open matter in their own
 * chat (tester 11, findings 4 and 6), over real HTTP with the embedded Cosmos DB: plain "status"
 * lists it with the team, due date, escalation and last update, "my cases" says it is with the
 * back office rather than "Resolved", and what the ratepayer types next (their answer to the back
 * office's update) is kept on the referral, on the team's referral page, rather than read as a new
 * query by keyword; greetings, commands and a category named exactly still do what they did.
 */
import assert from 'node:assert/strict';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, asShown, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService, type ApiClient } from '../support/tabApi.js';
import { t } from '../../bot/messages/index.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';

const billing = { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '0821234567', description: 'My bill doubled in March.' };
const DAY = 86_400_000;
const REPLY = 'Thank you. When will I get the corrected statement? My next bill is due on Friday.';

describe('a referral in the ratepayer\'s own chat: "status", "my cases" and their replies', function () {
  this.timeout(40_000);
  let connector: LocalConnector;
  let service: RunningService;
  let db: CosmosContainers;
  let thandi: ApiClient;
  let zanele: ApiClient;
  let now: Date;
  const definition = definitionWithAgents(0);

  beforeEach(async () => {
    now = new Date();
    connector = await startLocalConnector();
    db = await freshDatabase();
    service = await startTestService(db, definition, { clock: { now: () => now }, scheduler: { start: false }, pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 } });
    thandi = await signIn(service, 'thandi');
    zanele = await signIn(service, 'zanele');
  });

  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  const shown = (a: Record<string, any>) => a.text ?? cardText(cardOf(a) ?? {});
  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => asShown(s.body));
  const say = async (user: TestUser, fields: { text?: string; value?: unknown }) => assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, fields)), 200);

  /** Everything the user was sent in answer to `words`, once something matching `pattern` came (all of it, joined). */
  async function answerTo(user: TestUser, words: string, pattern: RegExp): Promise<string> {
    const before = sentTo(user).length;
    await say(user, { text: words });
    const until = Date.now() + 5000;
    for (;;) {
      const answer = sentTo(user).slice(before).map(shown).join('\n');
      if (pattern.test(answer)) {
        // Whatever else the turn sends comes with it.
        await new Promise((r) => setTimeout(r, 300));
        return sentTo(user).slice(before).map(shown).join('\n');
      }
      if (Date.now() > until) assert.fail(`no answer to "${words}" matching ${pattern}: ${answer}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function waitFor(user: TestUser, pattern: RegExp, what: string): Promise<void> {
    const until = Date.now() + 5000;
    while (!sentTo(user).some((a) => pattern.test(shown(a)))) {
      if (Date.now() > until) assert.fail(`no ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** A billing case queued, claimed by Thandi and referred to the back office; its reference (no dash). */
  async function referred(user: TestUser): Promise<string> {
    await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${user.aadObjectId}`, ...billing } });
    await waitFor(user, /Your case reference/, 'queued card');
    const card = sentTo(user).map(shown).find((x) => /Your case reference/.test(x))!;
    const reference = /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(card)![1]!.replace('-', '');
    assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'referred_back_office', summary: 'The March reading looks wrong; the back office will check it.' })).status, 200);
    await waitFor(user, /Your receipt from/, 'receipt after the referral');
    return reference;
  }

  it('"status" lists the referral as open, with the team, due date, overdue, escalation and last update; "my cases" says it is with the back office', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await referred(lerato);
    const dashed = `${reference.slice(0, 3)}-${reference.slice(3)}`;
    const page = (await zanele.get(`/api/back-office/referrals/${reference}`)).body;
    const due = page.referral.dueDate as string;
    const dueWords = new Date(`${due}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

    const status = await answerTo(lerato, 'status', new RegExp(dashed));
    assert.doesNotMatch(status, /no open cases/);
    assert.match(status, /Referred: with the back office\./);
    assert.match(status, new RegExp(`Due by \\w+ ${dueWords} \\(Revenue back office\\)`));

    assert.equal((await zanele.post(`/api/back-office/referrals/${reference}/update`, { text: 'We found the wrong reading. You will get a corrected statement.' })).status, 200);
    await waitFor(lerato, /Update on case/, 'update from the back office');
    // Past the due date: overdue, as "status K7M-3PQ" says it.
    now = new Date(Date.parse(page.referral.dueAt) + DAY);
    const overdue = await answerTo(lerato, 'status', new RegExp(dashed));
    assert.match(overdue, /Referred: with the back office and overdue\./);
    // The follow-through job escalates it: the first level of the ladder.
    await service.scheduler.tick();
    await waitFor(lerato, /escalated to/, 'the escalation message');
    const later = await answerTo(lerato, 'status', new RegExp(dashed));
    assert.match(later, /Referred: overdue and escalated\. Due by \w+ \d+ \w+ \d{4} \(Revenue back office\)\. Escalated on \w+ \d+ \w+ \d{4} to the Assistant Director/);
    // The back office's words in the card, escaped for its markdown (as a summary is).
    assert.match(later, /Last update \(\w+ \d+ \w+ \d{4}\): We found the wrong reading\\\. You will get a corrected statement\\\./);

    const mine = await answerTo(lerato, 'my cases', new RegExp(dashed));
    assert.match(mine, /Referred: overdue and escalated\./);
    assert.doesNotMatch(mine, /Resolved/);
    // "my data" too: the referral is open, and kept while it is (retention starts when the back office is done).
    const held = await answerTo(lerato, 'my data', /What we hold about you/);
    assert.match(held, /Referred: overdue and escalated\./);
    assert.doesNotMatch(held, /Resolved/);
    assert.ok(held.includes(t('en', 'cards.myData.whileOpen', { days: definition.limits.retentionDays })), held);
  });

  it('keeps a reply to the back office\'s update on the referral, shown on its page, and says so; "hi", "status" and a category named exactly still work', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await referred(lerato);
    const dashed = `${reference.slice(0, 3)}-${reference.slice(3)}`;
    assert.equal((await zanele.post(`/api/back-office/referrals/${reference}/update`, { text: 'We found the wrong reading. You will get a corrected statement.' })).status, 200);
    await waitFor(lerato, /Update on case/, 'update from the back office');

    const answer = await answerTo(lerato, REPLY, /message/);
    assert.match(answer, new RegExp(`your message is now on case ${dashed} for Revenue back office, who are to answer you here by \\w+ \\d+ \\w+ \\d{4}\\.`));
    assert.match(answer, /For a new, different query, type only the kind of query/);
    assert.doesNotMatch(answer, /Join the queue|Account and billing queries/, 'no intake form for "bill"');

    const page = (await zanele.get(`/api/back-office/referrals/${reference}`)).body;
    assert.deepEqual(page.referral.fromRatepayer.map((m: any) => m.text), [REPLY]);
    // The list marks it until the team updates the ratepayer again.
    const listed = async () => (await zanele.get('/api/back-office/referrals')).body.referrals.find((r: any) => r.reference === reference);
    assert.equal((await listed()).ratepayerWroteAt, page.referral.fromRatepayer[0].at);
    assert.ok(page.audit.some((e: any) => e.action === 'ratepayer wrote to the back office' && e.by.kind === 'ratepayer' && !JSON.stringify(e).includes('Friday')), 'audited, without the words');

    // Not swallowed: a greeting, a command and a category named exactly.
    assert.match(await answerTo(lerato, 'hi', /\S/), /Account and billing queries/);
    assert.match(await answerTo(lerato, 'status', new RegExp(dashed)), /Referred: with the back office/);
    assert.match(await answerTo(lerato, 'billing', /Join the queue/), /Join the queue/);
    assert.equal((await zanele.get(`/api/back-office/referrals/${reference}`)).body.referral.fromRatepayer.length, 1);
    now = new Date(now.getTime() + 60_000);
    assert.equal((await zanele.post(`/api/back-office/referrals/${reference}/update`, { text: 'The corrected statement goes out on Thursday.' })).status, 200);
    assert.equal((await listed()).ratepayerWroteAt, undefined, 'answered');

    // Once the back office is done, the chat's words are read as before.
    assert.equal((await zanele.post(`/api/back-office/referrals/${reference}/done`, { outcome: 'resolved', summary: 'Corrected statement sent.' })).status, 200);
    await waitFor(lerato, /Corrected statement sent/, 'the decision');
    assert.match(await answerTo(lerato, 'My next bill is due on Friday.', /Join the queue/), /Join the queue/);
  });
});
