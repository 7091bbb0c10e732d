/**
 * After the session, from the ratepayer's side (issue 19), over real HTTP with the embedded
 * Cosmos DB: "not resolved" / "reopen K7M-3PQ" puts a finished case back at the front of its
 * queue (the earlier expert preferred while on duty), only from its own chat and within the
 * period; "status K7M-3PQ" shows the stage to its own chat, or to another chat with the account
 * number and the last four digits of the mobile number; a wrong proof reveals nothing and tries
 * are limited.
 */
import assert from 'node:assert/strict';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, asShown, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, EventReader, seedCase, signIn, startTestService, type ApiClient } from '../support/tabApi.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { CosmosSupervisionStore } from '../../bot/platform/cosmos/supervisionStore.js';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';

const billing = { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '0821234567', description: 'My bill doubled in March.' };
const DAY = 86_400_000;

describe('after the session: reopening and the status of older cases', function () {
  this.timeout(40_000);
  let connector: LocalConnector;
  let service: RunningService;
  let db: CosmosContainers;
  let thandi: ApiClient;
  let sipho: ApiClient;
  let now: Date;
  const definition = definitionWithAgents(0);

  beforeEach(async () => {
    now = new Date();
    connector = await startLocalConnector();
    db = await freshDatabase();
    service = await startTestService(db, definition, { clock: { now: () => now }, pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 } });
    thandi = await signIn(service, 'thandi');
    sipho = await signIn(service, 'sipho');
  });

  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => asShown(s.body)); // as read: Teams' xml text decoded (shownText)
  const say = async (user: TestUser, fields: { text?: string; value?: unknown }) => assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, fields)), 200);

  /** The text of the next message to the user after `after` messages, waiting for it. */
  async function answerTo(user: TestUser, words: string, pattern?: RegExp): Promise<string> {
    const before = sentTo(user).length;
    await say(user, { text: words });
    const until = Date.now() + 5000;
    for (;;) {
      const found = sentTo(user).slice(before).map((a) => a.text ?? cardText(cardOf(a) ?? {})).find((x) => !pattern || pattern.test(x));
      if (found) return found;
      if (Date.now() > until) assert.fail(`no answer to "${words}"${pattern ? ` matching ${pattern}` : ''}: ${sentTo(user).slice(before).map((a) => a.text).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function queue(user: TestUser): Promise<string> {
    await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${user.aadObjectId}`, ...billing } });
    const until = Date.now() + 5000;
    for (;;) {
      const card = sentTo(user).map((a) => cardText(cardOf(a) ?? {})).find((x) => /Your case reference/.test(x));
      if (card) return /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(card)![1]!.replace('-', '');
      if (Date.now() > until) assert.fail('not queued');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function resolved(user: TestUser, outcome = 'resolved'): Promise<string> {
    const reference = await queue(user);
    assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome, summary: 'Explained the estimate.' })).status, 200);
    // The receipt reaches the chat after the change is saved (a listener): wait for it, so the
    // next answer read is the answer to what the ratepayer says next, not the receipt.
    const until = Date.now() + 5000;
    while (!sentTo(user).some((a) => /Your receipt from/.test(a.text ?? cardText(cardOf(a) ?? {})))) {
      if (Date.now() > until) assert.fail('no receipt after the outcome');
      await new Promise((r) => setTimeout(r, 25));
    }
    return reference;
  }

  it('reopens with "not resolved" at the front of the queue, kept for the earlier expert while she is on duty', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await resolved(lerato);
    await seedCase(db, definition, 'billing', { minutesAgo: 60 });
    const stream = await EventReader.open(thandi);
    // Thandi's tab is open: she is present (the roster reads presence at most every 5 s).
    await new Promise((r) => setTimeout(r, 200));
    now = new Date(now.getTime() + 6000);
    try {
      const answer = await answerTo(lerato, 'not resolved', /open again/);
      assert.match(answer, new RegExp(`Case ${reference.slice(0, 3)}-${reference.slice(3)} is open again and at the front of the queue`));
      assert.match(answer, /We will ask Thandi/);
      const queue = (await sipho.get('/api/queue')).body.waiting.map((i: any) => i.reference);
      assert.equal(queue[0], reference, 'ahead of a case waiting for an hour');
      const taken = await sipho.post('/api/queue/claim-next');
      assert.notEqual(taken.body.reference, reference, 'not for Sipho while Thandi is on duty');
      assert.notEqual(taken.status, 500);
      const mine = await thandi.post('/api/queue/claim-next');
      assert.equal(mine.body.reference, reference, 'Thandi gets it first');
      assert.ok(mine.body.audit.some((e: any) => e.action === 'reopened' && e.by.kind === 'ratepayer'));
      // What Lerato types now goes to Thandi's case page.
      await say(lerato, { text: 'The estimate is back on my bill.' });
      const until = Date.now() + 5000;
      while (!(await thandi.get(`/api/cases/${reference}`)).body.transcript.some((e: any) => e.text === 'The estimate is back on my bill.')) {
        if (Date.now() > until) assert.fail('not relayed');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      stream.close();
    }
  });

  it('reopens "reopen K7M-3PQ" only from its own chat and within the period; a referral still open has nothing to reopen', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await resolved(lerato);
    const shown = `${reference.slice(0, 3)}-${reference.slice(3)}`;
    const stranger = aRatepayer('Someone Else');
    assert.match(await answerTo(stranger, `reopen ${shown}`), /could not find that case among the cases opened from this chat/);
    now = new Date(now.getTime() + 15 * DAY);
    assert.match(await answerTo(lerato, `reopen ${shown.toLowerCase()}`), /finished more than 14 days ago, so it cannot be reopened/);
    now = new Date(now.getTime() - 15 * DAY);

    const sipho2 = aRatepayer('Sipho Dube');
    const referred = await resolved(sipho2, 'referred_back_office');
    assert.match(await answerTo(sipho2, `reopen ${referred}`), /is still open \(with the back office\)/);
  });

  it('limits failed proofs per chat across instances: two services on one database count the same tries', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await resolved(lerato, 'referred_back_office');
    const shown = `${reference.slice(0, 3)}-${reference.slice(3)}`;
    const other = await startTestService(db, definition, { clock: { now: () => now }, pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 } });
    try {
      const guesser = aRatepayer('A guesser');
      /** The answer of the instance at `url` to the guesser's words. */
      const ask = async (url: string, words: string): Promise<string> => {
        const before = sentTo(guesser).length;
        assert.equal(await postActivity(url, messageFrom(guesser, connector.serviceUrl, { text: words })), 200);
        const until = Date.now() + 5000;
        for (;;) {
          const found = sentTo(guesser).slice(before).map((a) => a.text).find(Boolean);
          if (found) return found;
          if (Date.now() > until) assert.fail(`no answer to "${words}"`);
          await new Promise((r) => setTimeout(r, 25));
        }
      };
      // Five wrong tries, spread over both instances: three on one, two on the other.
      for (let i = 0; i < 5; i++) assert.match(await ask(i % 2 ? other.url : service.url, `status ${shown} 50123456${i} 0000`), /cannot show a case/);
      assert.match(await ask(service.url, `status ${shown} 501234567 4567`), /Too many tries/, 'the first instance counts the other\'s tries');
      assert.match(await ask(other.url, `status ${shown} 501234567 4567`), /Too many tries/, 'and the other the first\'s');
      // After the window, the right proof is answered (on either instance).
      now = new Date(now.getTime() + 15 * 60_000 + 1000);
      assert.match(await ask(other.url, `status ${shown} 501234567 4567`), /with the back office/);
    } finally {
      await other.close();
    }
  });

  it('after the reopen period, opens a new case that follows the old one: both case pages show the link, both audit trails record it', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const old = await resolved(lerato);
    const shown = `${old.slice(0, 3)}-${old.slice(3)}`;
    now = new Date(now.getTime() + 15 * DAY);
    thandi = await signIn(service, 'thandi');
    const before = sentTo(lerato).length;
    assert.match(await answerTo(lerato, `reopen ${shown}`, /cannot be reopened/), /Send the form below to open a new case that follows it/);
    // The intake form of the old case's category comes with it, carrying the old reference.
    const until = Date.now() + 5000;
    let data: Record<string, unknown> | undefined;
    while (!data) {
      data = sentTo(lerato).slice(before).map((a) => cardOf(a)?.actions?.find((x: any) => x.data?.verb === 'intake.submit')?.data).find(Boolean);
      if (!data && Date.now() > until) assert.fail('no intake form after "reopen" too late');
      if (!data) await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(data.category, 'billing');
    assert.equal(data.follows, old);
    const queued = sentTo(lerato).length;
    await say(lerato, { value: { ...data, ...billing, description: 'The estimate came back.' } });
    let later: string | undefined;
    const until2 = Date.now() + 5000;
    while (!later) {
      const card = sentTo(lerato).slice(queued).map((a) => cardText(cardOf(a) ?? {})).find((x) => /Your case reference/.test(x));
      if (card) later = /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(card)![1]!.replace('-', '');
      else if (Date.now() > until2) assert.fail('the new case was not queued');
      else await new Promise((r) => setTimeout(r, 25));
    }
    assert.notEqual(later, old);
    const page = (await thandi.get(`/api/cases/${later}`)).body;
    assert.equal(page.follows?.reference, old, 'the new case page shows the earlier case');
    assert.equal(page.follows.outcomeSummary, 'Explained the estimate.');
    assert.ok(page.follows.audit.some((e: any) => e.action === 'resolved'), 'with its history');
    assert.ok(page.audit.some((e: any) => e.action === 'opened' && e.detail.includes(`following case ${old}`)));
    const oldPage = (await thandi.get(`/api/cases/${old}`)).body;
    assert.deepEqual(oldPage.followedBy?.map((s: any) => s.reference), [later], 'the old case page shows the later one');
    assert.ok(oldPage.audit.some((e: any) => e.action === 'followed by' && e.detail === `case ${later}` && e.by.kind === 'ratepayer'));

    // A form carrying another chat's case (or an open one) opens an unlinked case.
    const stranger = aRatepayer('Someone Else');
    await say(stranger, { value: { ...data, draftId: 'draft-stranger-follows', ...billing } });
    const until3 = Date.now() + 5000;
    let theirs: any;
    while (!theirs) {
      const card = sentTo(stranger).map((a) => cardText(cardOf(a) ?? {})).find((x) => /Your case reference/.test(x));
      if (card) theirs = (await thandi.get(`/api/cases/${/Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(card)![1]!.replace('-', '')}`)).body;
      else if (Date.now() > until3) assert.fail('the stranger\'s case was not queued');
      else await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(theirs.follows, undefined);
    assert.deepEqual((await thandi.get(`/api/cases/${old}`)).body.followedBy.map((s: any) => s.reference), [later]);
  });

  it('shows "status K7M-3PQ" to its own chat, and to another chat only with the right proof; a wrong proof says nothing, and tries are limited', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await resolved(lerato, 'referred_back_office');
    const shown = `${reference.slice(0, 3)}-${reference.slice(3)}`;
    const own = await answerTo(lerato, `status ${shown}`, /Case /);
    assert.match(own, new RegExp(`Case ${shown} \\(Account and billing queries\\): with the back office\\.`));
    assert.match(own, /Due by .* \(Revenue back office\)\./);

    const phone = aRatepayer('Lerato on her phone');
    const asked = await answerTo(phone, `status ${shown}`);
    assert.match(asked, /prove it is yours/);
    assert.doesNotMatch(asked, new RegExp(shown), 'the reference typed is not repeated');
    const wrong = await answerTo(phone, `status ${shown} 501234567 9999`);
    const unknown = await answerTo(phone, 'status ZZZ-ZZZ 501234567 4567');
    assert.equal(wrong, unknown, 'a wrong proof and an unknown case get the same answer');
    assert.doesNotMatch(wrong, /back office|billing|Lerato/i);
    const right = await answerTo(phone, `status ${shown} 501 234 567 4567`);
    assert.match(right, /with the back office/);
    const audit = (await thandi.get(`/api/cases/${reference}`)).body.audit.map((e: any) => `${e.action}:${e.detail ?? ''}`);
    assert.ok(audit.includes('status refused:wrong proof') && audit.includes('viewed:status with account proof'));

    const guesser = aRatepayer('A guesser');
    for (let i = 0; i < 5; i++) assert.match(await answerTo(guesser, `status ${shown} 50123456${i} 0000`), /cannot show a case/);
    assert.match(await answerTo(guesser, `status ${shown} 501234567 4567`), /Too many tries/, 'even the right proof waits after five wrong ones');
  });
  describe('failed proofs per case, from any chat (the public page\'s "Clear this chat" is a new chat, and a new count per chat)', () => {
    const dashed = (reference: string) => `${reference.slice(0, 3)}-${reference.slice(3)}`;

    it('six wrong proofs from three chats lock the case for every chat, the right proof too, until the window has passed; another case is not locked; the lock is audited and told to the supervisors, without the guesses', async () => {
      const CHANNEL = '19:supervisors@thread.tacv2';
      await new CosmosSupervisionStore(db.supervision).saveRegistration({
        id: `registration:${service.definition.programme.id}:all`, kind: 'registration', programmeId: service.definition.programme.id,
        conversationId: CHANNEL, registeredBy: { id: 'johan', name: 'Johan' }, registeredAt: now.toISOString(),
      });
      await new CosmosConversationStore(db.conversations).save({
        id: CHANNEL, channelId: 'msteams', kind: 'channel', updatedAt: now.toISOString(),
        reference: { channelId: 'msteams', serviceUrl: connector.serviceUrl, conversation: { id: CHANNEL, conversationType: 'channel', isGroup: true }, bot: { id: '28:ratepayer-desk-bot', name: 'Ratepayer Desk' } },
      });
      const channel = () => connector.sent.filter((x) => x.conversationId === CHANNEL).map((x) => x.body.text ?? '').filter((x) => /^Status locked/.test(x));
      const reference = await resolved(aRatepayer('Lerato Molefe'));
      const other = await resolved(aRatepayer('Lerato on the other case'));
      const shown = dashed(reference);
      const guessers = [aRatepayer('Guesser one'), aRatepayer('Guesser two'), aRatepayer('Guesser three')];
      for (let i = 0; i < 6; i++) assert.match(await answerTo(guessers[i % 3]!, `status ${shown} 501234567 90${i}7`), /cannot show a case/);

      const fourth = aRatepayer('A fourth chat');
      assert.match(await answerTo(fourth, `status ${shown} 501234567 4567`), /Too many tries\. Please wait 15 minutes/, 'the right proof from a fresh chat is refused while the case is locked');
      assert.match(await answerTo(fourth, `status ${dashed(other)} 501234567 4567`), new RegExp(`Case ${dashed(other)} `), 'another case is not locked');

      const audit: Array<{ action: string; detail?: string }> = (await thandi.get(`/api/cases/${reference}`)).body.audit;
      assert.equal(audit.filter((e) => e.action === 'status locked').length, 1, 'the lock is recorded once');
      assert.equal(audit.filter((e) => e.action === 'status refused').length, 6);
      for (let i = 0; i < 6; i++) assert.ok(!JSON.stringify(audit).includes(`90${i}7`), 'no guess is kept');
      assert.equal((await thandi.get(`/api/cases/${other}`)).body.audit.filter((e: any) => e.action === 'status locked').length, 0);
      const until = Date.now() + 5000;
      while (channel().length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      assert.equal(channel().length, 1, 'the supervisors are told once');
      assert.match(channel()[0]!, new RegExp(`^Status locked: case ${shown} \\(Account and billing queries\\) had 6 wrong proofs of ownership from other chats within 15 minutes`));
      assert.doesNotMatch(channel()[0]!, /501234567|90\d7|4567|Lerato/, 'no account, guess or name');

      now = new Date(now.getTime() + 15 * 60_000 + 1000);
      assert.match(await answerTo(fourth, `status ${shown} 501234567 4567`), new RegExp(`Case ${shown} \\(Account and billing queries\\): done\\.`), 'after the window the right proof is answered');
    });

    it('an unknown reference is refused in the same words as a real one at every step, and locks alike (the lock is no oracle)', async () => {
      const shown = dashed(await resolved(aRatepayer('Lerato Molefe')));
      const unknown = 'ZZZ-ZZZ';
      const real = [aRatepayer('Real one'), aRatepayer('Real two'), aRatepayer('Real three'), aRatepayer('Real four')];
      const fake = [aRatepayer('Fake one'), aRatepayer('Fake two'), aRatepayer('Fake three'), aRatepayer('Fake four')];
      for (let i = 0; i < 7; i++) {
        const chat = i < 6 ? i % 3 : 3;
        const onReal = await answerTo(real[chat]!, `status ${shown} 501234567 80${i}1`);
        const onUnknown = await answerTo(fake[chat]!, `status ${unknown} 501234567 80${i}1`);
        assert.equal(onUnknown, onReal, `try ${i + 1}: the same answer`);
        assert.match(onReal, i < 6 ? /cannot show a case/ : /Too many tries/);
      }
    });

    it('a stranger\'s right proof shows where the case stands, not the expert\'s summary (POPIA: minimum necessary); the case\'s own chat gets it', async () => {
      const lerato = aRatepayer('Lerato Molefe');
      const shown = dashed(await resolved(lerato));
      const stranger = await answerTo(aRatepayer('Lerato on a new phone'), `status ${shown} 501234567 4567`);
      assert.match(stranger, /: done\.\nOutcome: .*\. The expert's summary was sent to the chat the case was opened from\./);
      assert.doesNotMatch(stranger, /Explained the estimate/);
      assert.match(await answerTo(lerato, `status ${shown}`, /Case /), /Explained the estimate\./);
    });
  });
});
