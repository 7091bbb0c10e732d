/**
 * A session closing with ratepayers still waiting (the pilot's calendar, a manual clock and the
 * scheduler ticked by hand): each is warned once and offered to keep their place or a callback;
 * what they choose is recorded; at closing every waiting case moves to the next session, first.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { RunningService } from '../../bot/service.js';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService } from '../support/tabApi.js';

const pilot = loadDefinition(path.join(path.dirname(LOCAL_DEFINITION), 'joburg-region-b-pilot.json'));
const sast = (local: string) => new Date(`${local}+02:00`);

describe('a session closing with ratepayers still waiting', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let service: RunningService;
  let store: CosmosCaseStore;
  let now: Date;

  beforeEach(async () => {
    now = sast('2022-08-01T19:30:00');
    connector = await startLocalConnector();
    const db = await freshDatabase();
    store = new CosmosCaseStore(db.cases);
    service = await startTestService(db, pilot, {
      clock: { now: () => now },
      pacing: { ...TEAMS_LIMITS, baseBackoffMs: 20, maxBackoffMs: 80 },
      scheduler: { start: false },
    });
  });

  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  const chatOf = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => s.body);
  const textOf = (a: Record<string, any>) => `${a.text ?? ''}\n${cardText(cardOf(a) ?? {})}`;

  async function expectInChat(user: TestUser, pattern: RegExp): Promise<Record<string, any>> {
    const until = Date.now() + 5000;
    for (;;) {
      const found = chatOf(user).find((a) => pattern.test(textOf(a)));
      if (found) return found;
      if (Date.now() > until) assert.fail(`no message matching ${pattern} in:\n${chatOf(user).map(textOf).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function say(user: TestUser, fields: { text?: string; value?: unknown }) {
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, fields)), 200);
  }

  async function queue(user: TestUser): Promise<string> {
    await say(user, {
      value: {
        verb: 'intake.submit',
        category: 'billing',
        draftId: `draft-${user.aadObjectId}`,
        accountNumber: '501234567',
        accountHolder: user.name,
        mobile: '0821234567',
        description: 'My bill doubled in March and nobody explained why.',
      },
    });
    const card = cardText(cardOf(await expectInChat(user, /Your case reference/))!);
    now = new Date(now.getTime() + 1000);
    return /Your case reference\n([2-9A-Z]{3})-([2-9A-Z]{3})/.exec(card)!.slice(1, 3).join('');
  }

  it('warns each waiting ratepayer once, records their choice, and carries every waiting case to the next session, first', async () => {
    const [first, second, third] = [aRatepayer('First'), aRatepayer('Second'), aRatepayer('Third')];
    const withExpert = await queue(first);
    const callback = await queue(second);
    const keep = await queue(third);
    const thandi = await signIn(service, 'thandi');
    assert.equal((await thandi.post(`/api/cases/${withExpert}/claim`)).status, 200);

    now = sast('2022-08-01T19:46:00');
    await service.scheduler.tick();
    const offer = cardOf(await expectInChat(second, /This session closes at 20:00/))!;
    assert.match(cardText(offer), /You are still number 1 in the queue/);
    assert.match(cardText(offer), /Tuesday 2 August 2022, 17:00–20:00/);
    await expectInChat(third, /This session closes at 20:00/);
    await service.scheduler.tick();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(chatOf(second).filter((a) => /This session closes/.test(textOf(a))).length, 1, 'warned once');
    assert.equal(chatOf(first).filter((a) => /This session closes/.test(textOf(a))).length, 0, 'not the one with an expert');

    await say(second, { value: { verb: 'closing.choose', reference: callback, choice: 'callback', callbackDate: '2022-08-02', callbackTime: '06:30' } });
    await expectInChat(second, /between 07:00 and 20:00/);
    await say(second, { value: { verb: 'closing.choose', reference: callback, choice: 'callback', callbackDate: '2022-08-02', callbackTime: '10:00' } });
    await expectInChat(second, /Done: an expert will call you on 082 123 4567 on Tuesday 2 August 2022 at 10:00/);
    await say(third, { value: { verb: 'closing.choose', reference: keep, choice: 'next_session' } });
    await expectInChat(third, /Done: you keep your place/);
    await say(first, { value: { verb: 'closing.choose', reference: keep, choice: 'next_session' } });
    await expectInChat(first, /not for a case of yours/);

    now = sast('2022-08-01T20:00:30');
    await service.scheduler.tick();
    await expectInChat(second, /As you asked, an expert will call you on Tuesday 2 August 2022 at 10:00/);
    await expectInChat(third, /You keep your place/);
    for (const ref of [callback, keep]) {
      const c = await store.get(ref);
      assert.equal(c?.sessionId, '2022-08-02T17:00');
      assert.ok(c?.queueKey.startsWith('!'), 'carried over cases go first');
    }
    assert.equal((await store.get(callback))?.closingChoice?.callbackAt, '2022-08-02T08:00:00.000Z');

    now = sast('2022-08-02T17:05:00');
    const newcomer = aRatepayer('Newcomer');
    await queue(newcomer);
    assert.match(textOf(await expectInChat(newcomer, /Your case reference/)), /Place in the queue\n3/);
    // A new day, a new sign-in (tokens last a working day).
    const queueView = await (await signIn(service, 'thandi')).get('/api/queue');
    assert.deepEqual(queueView.body.waiting.slice(0, 2).map((w: any) => w.reference), [callback, keep]);
    assert.equal(queueView.body.waiting[0].callbackAt, '2022-08-02T08:00:00.000Z');
    assert.equal(queueView.body.waiting[1].carriedOver, true);
  });

  it("keeps the ratepayers carried over in the closed session's report, wait chart, queue chart and CSV, as they stood at the close (tester 11)", async () => {
    const [served, carried, later] = [aRatepayer('Served'), aRatepayer('Carried'), aRatepayer('Later')];
    const taken = await queue(served);
    const waiting = await queue(carried);
    const servedNextDay = await queue(later);
    const thandi = await signIn(service, 'thandi');
    assert.equal((await thandi.post(`/api/cases/${taken}/claim`)).status, 200);
    now = sast('2022-08-01T19:46:00');
    await service.scheduler.tick();
    now = sast('2022-08-01T20:00:30');
    await service.scheduler.tick();
    for (const ref of [waiting, servedNextDay]) assert.equal((await store.get(ref))?.sessionId, '2022-08-02T17:00', 'carried over');
    // The next evening one of the two is served and resolved; the other still waits.
    now = sast('2022-08-02T17:10:00');
    const nextDay = await signIn(service, 'thandi');
    assert.equal((await nextDay.post(`/api/cases/${servedNextDay}/claim`)).status, 200);
    assert.equal((await nextDay.post(`/api/cases/${servedNextDay}/resolve`, { outcome: 'resolved', summary: 'Explained.' })).status, 200);

    // Johan reads the first evening's figures on the morning between (the session that closed last).
    now = sast('2022-08-02T09:00:00');
    const johan = await signIn(service, 'johan');
    const overview = (await johan.get('/api/supervisor/overview')).body;
    assert.equal(overview.session.id, '2022-08-01T17:00');
    assert.equal(overview.report.totals.total, 3, 'all three ratepayers of the evening');
    assert.equal(overview.report.totals.carriedOver, 3, 'two waiting at the close, one with an expert');
    assert.deepEqual([...overview.report.carriedOver.waiting].sort(), [waiting, servedNextDay].sort());
    assert.equal(overview.report.totals.resolved, 0, 'the next evening\'s resolution is not this session\'s');
    assert.equal(overview.summary.totals.waiting, 0, 'nobody waits in a closed session\'s queue');
    // Their waits ended at the close, not served: 30 to 20:00 is over 20 minutes (19:30 + a second).
    const notServed = (overview.waits as { notServed: number }[]).reduce((n, b) => n + b.notServed, 0);
    assert.equal(notServed, 2);
    const timeline = overview.timeline as { at: string; waiting: number }[];
    // The queue chart holds the two until the close (tester 11 saw it fall to 0 well before it), then they leave with it.
    const beforeClose = timeline.filter((p) => p.at < '2022-08-01T18:00:00.000Z');
    assert.equal(beforeClose.at(-1)!.waiting, 2, `the queue chart holds the two until the close: ${JSON.stringify(timeline)}`);
    assert.equal(timeline.at(-1)!.at, '2022-08-01T18:00:00.000Z');
    const csv = await (await fetch(`${service.url}/api/supervisor/cases.csv`, { headers: { authorization: `Bearer ${johan.token}` } })).text();
    for (const ref of [taken, waiting, servedNextDay]) assert.ok(csv.includes(`${ref.slice(0, 3)}-${ref.slice(3)}`), `${ref} in the CSV:\n${csv}`);
  });

  it("keeps the offer card's English from the catalogue on an isiZulu ratepayer's transcript, for staff who read English only", async () => {
    const nomsa = aRatepayer('Nomsa');
    const reference = await queue(nomsa);
    await store.replace({ ...(await store.get(reference))!, language: 'zu' });
    now = sast('2022-08-01T19:46:00');
    await service.scheduler.tick();
    const thandi = await signIn(service, 'thandi');
    type Line = { text: string; card?: unknown; translation?: { status: string; from: string; to: string; text?: string } };
    const cardLine = async (): Promise<Line | undefined> => ((await thandi.get(`/api/cases/${reference}`)).body.transcript as Line[]).find((e) => e.card);
    let offer = await cardLine();
    for (const until = Date.now() + 5000; !offer && Date.now() < until; offer = await cardLine()) await new Promise((r) => setTimeout(r, 25));
    assert.ok(offer, 'the offer is on the transcript as a card');
    assert.equal(offer.translation?.status, 'catalogue');
    assert.equal(offer.translation?.from, 'zu');
    const english = offer.translation!.text!.split('\n');
    assert.ok(english[0]!.includes('This session closes at 20:00'), `the headline in English: ${english[0]}`);
    assert.ok(english.some((l) => /^1\. \S/.test(l)) && english.some((l) => /^2\. \S/.test(l)), `its two choices in English: ${english.join(' | ')}`);
    assert.doesNotMatch(offer.text, /This session closes/, 'the line itself is what she read, in isiZulu');
  });
});

describe('back-to-back sessions (a calendar open around the clock, local.json)', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let service: RunningService;
  let store: CosmosCaseStore;
  let now: Date;

  beforeEach(async () => {
    now = sast('2026-11-30T23:40:00');
    connector = await startLocalConnector();
    const db = await freshDatabase();
    store = new CosmosCaseStore(db.cases);
    service = await startTestService(db, definitionWithAgents(), { clock: { now: () => now }, scheduler: { start: false } });
  });
  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  it('neither warns a waiting ratepayer at 23:46 nor tells them anything at midnight: the queue goes on into the next day\'s session', async () => {
    const user = aRatepayer('Night owl');
    const draftId = `draft-${user.aadObjectId}`;
    const value = { verb: 'intake.submit', category: 'billing', draftId, accountNumber: '501234567', accountHolder: user.name, mobile: '0821234567', description: 'My bill doubled in March.' };
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { value })), 200);
    const until = Date.now() + 5000;
    while (!connector.sent.some((s) => s.conversationId === user.conversationId && /Your case reference/.test(cardText(cardOf(s.body) ?? {})))) {
      if (Date.now() > until) assert.fail('not queued');
      await new Promise((r) => setTimeout(r, 25));
    }
    const [queued] = await store.listWaiting(definitionWithAgents().programme.id, ['billing'], 10);
    const before = connector.sent.filter((s) => s.conversationId === user.conversationId).length;
    now = sast('2026-11-30T23:46:00');
    await service.scheduler.tick();
    now = sast('2026-12-01T00:00:30');
    await service.scheduler.tick();
    await new Promise((r) => setTimeout(r, 300));
    const after = connector.sent.filter((s) => s.conversationId === user.conversationId).slice(before).map((s) => `${s.body.text ?? ''} ${cardText(cardOf(s.body) ?? {})}`);
    assert.deepEqual(after, [], 'nothing sent at the close of a session the next one follows at once');
    assert.equal((await store.get(queued!.id))?.sessionId, '2026-12-01T00:00', 'the case belongs to the new day\'s session');
  });
});
