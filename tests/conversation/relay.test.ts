/**
 * The expert conversation, observed where Teams would see it: at a local Bot Framework connector.
 * Ratepayers talk to the bot over real HTTP; agents use the tab API over real HTTP.
 */
import assert from 'node:assert/strict';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, asShown, type TestUser } from '../support/activities.js';
import { activityMatching } from '../support/answers.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService, type ApiClient } from '../support/tabApi.js';

const billing = {
  accountNumber: '501234567',
  accountHolder: 'Lerato Molefe',
  mobile: '0821234567',
  description: 'My bill doubled in March and nobody has explained why.',
};

describe('the expert conversation through the bot', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let service: RunningService;
  let thandi: ApiClient;
  let now: Date;

  beforeEach(async () => {
    now = new Date();
    connector = await startLocalConnector();
    const db = await freshDatabase();
    service = await startTestService(db, definitionWithAgents(0), {
      clock: { now: () => now },
      pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 },
    });
    thandi = await signIn(service, 'thandi');
  });

  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => asShown(s.body)); // as read: Teams' xml text decoded (shownText)

  async function say(user: TestUser, fields: { text?: string; value?: unknown; attachments?: unknown[] }) {
    const activity = { ...messageFrom(user, connector.serviceUrl, fields), ...(fields.attachments ? { attachments: fields.attachments } : {}) };
    assert.equal(await postActivity(service.url, activity), 200);
  }

  /** Waits until the ratepayer's chat has a message matching the pattern; returns it. */
  const expectInChat = (user: TestUser, pattern: RegExp, timeoutMs?: number) => activityMatching(() => sentTo(user), pattern, timeoutMs);

  async function queue(user: TestUser, category = 'billing', values: Record<string, unknown> = billing): Promise<string> {
    await say(user, { value: { verb: 'intake.submit', category, draftId: `draft-${user.aadObjectId}`, ...values } });
    const confirmation = await expectInChat(user, /Your case reference/);
    const reference = /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(cardText(cardOf(confirmation)))![1]!;
    return reference.replace('-', '');
  }

  async function transcriptOf(reference: string, client = thandi) {
    const page = await client.get(`/api/cases/${reference}`);
    assert.equal(page.status, 200);
    return page.body.transcript as { from: string; author: string; text: string; delivery?: { status: string; reason?: string }; attachments?: { url: string }[] }[];
  }

  async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (ok(value) || Date.now() > until) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('tells the ratepayer at once that they are connected, with the expert\'s first name and category', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    const connected = await expectInChat(lerato, /connected with Thandi/);
    assert.match(connected.text, /our expert for Account and billing queries/);
    assert.doesNotMatch(connected.text, /Mokoena/, 'first name only');
  });

  it('relays both ways, in order, and keeps the whole conversation and attachments on the case', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    await thandi.post(`/api/cases/${reference}/claim`);
    await expectInChat(lerato, /connected with Thandi/);

    await say(lerato, {
      text: 'Hello, here is my statement',
      attachments: [
        { contentType: 'application/vnd.microsoft.teams.file.download.info', name: 'statement.pdf', content: { downloadUrl: 'https://contoso-my.sharepoint.com/personal/lerato/_layouts/15/download.aspx?UniqueId=1150d938&tempauth=x', fileType: 'pdf' } },
        { contentType: 'text/html', content: '<p>Hello, here is my statement</p>' },
      ],
    });
    const texts = ['Thank you, I can see it.', 'The March reading was estimated.', 'I have corrected it: R 1 240 less.'];
    for (const text of texts) assert.equal((await thandi.post(`/api/cases/${reference}/messages`, { text })).status, 200);
    for (const text of texts) await expectInChat(lerato, new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    const relayed = sentTo(lerato).filter((a) => /^Thandi \(Account and billing queries expert\): /.test(a.text ?? ''));
    assert.deepEqual(relayed.map((a) => a.text.replace(/^Thandi \(Account and billing queries expert\): /, '')), texts);

    await say(lerato, { text: 'Thank you so much!' });
    const transcript = await eventually(
      () => transcriptOf(reference),
      (t) => t.length >= 6 && t.filter((e) => e.from === 'expert').every((e) => e.delivery?.status === 'delivered'),
    );
    assert.deepEqual(
      transcript.map((e) => `${e.from}: ${e.text}`),
      [
        `system: ${transcript[0]!.text}`,
        'ratepayer: Hello, here is my statement',
        ...texts.map((t) => `expert: ${t}`),
        'ratepayer: Thank you so much!',
      ],
    );
    assert.match(transcript[0]!.text, /connected with Thandi/);
    assert.deepEqual(transcript[1]!.attachments?.map((a) => a.url), ['https://contoso-my.sharepoint.com/personal/lerato/_layouts/15/download.aspx?UniqueId=1150d938&tempauth=x']);
  });

  it('tells waiting ratepayers when their place improves materially, not on every change', async () => {
    const people = Array.from({ length: 6 }, (_, i) => aRatepayer(`Person ${i + 1}`));
    for (const person of people) {
      await queue(person);
      now = new Date(now.getTime() + 1000);
    }
    const last = people[5]!;
    const updatesFor = (user: TestUser) => sentTo(user).filter((a) => /you are now number|You are next/.test(a.text ?? ''));
    const expected = ['', '', 'number 3', 'number 2', 'You are next'];
    for (let claimed = 1; claimed <= 5; claimed++) {
      assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
      await expectInChat(people[claimed - 1]!, /connected with Thandi/);
      if (expected[claimed - 1]) await expectInChat(last, new RegExp(expected[claimed - 1]!));
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(updatesFor(last).length, expected.slice(0, claimed).filter(Boolean).length, `after ${claimed} claim(s)`);
    }
  });

  it('answers a waiting ratepayer who types with their place, without starting anything new', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    await queue(lerato);
    await say(lerato, { text: 'hello? anyone there?' });
    const reply = await expectInChat(lerato, /You are in the queue with case/);
    assert.match(reply.text, /You are number 1/);
  });

  it('tells the ratepayer on release and transfer that they keep their place', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    await thandi.post(`/api/cases/${reference}/claim`);
    await thandi.post(`/api/cases/${reference}/release`, { note: 'Called away' });
    assert.match((await expectInChat(lerato, /handed your case back/)).text, /keep your place: you are number 1/);
    await thandi.post(`/api/cases/${reference}/claim`);
    assert.equal((await thandi.post(`/api/cases/${reference}/transfer`, { toCategory: 'credit-control', note: 'Needs an arrangement' })).status, 200);
    assert.match((await expectInChat(lerato, /moved your case to Credit control assistance/)).text, /keep the time you have already waited/);
  });

  it('sends a summary and a survey on resolution, records the survey once, and a new message starts a new case', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    await thandi.post(`/api/cases/${reference}/claim`);
    const resolved = await thandi.post(`/api/cases/${reference}/resolve`, {
      outcome: 'referred_back_office',
      summary: 'Reading corrected; the refund goes to the back office.',
    });
    assert.equal(resolved.status, 200);
    // A referral is titled as one, not "Your case is resolved" (tester 7, finding 5).
    const summary = cardText(cardOf(await expectInChat(lerato, /Your case was referred to the back office/))!);
    assert.match(summary, new RegExp(`${reference.slice(0, 3)}-${reference.slice(3)}`));
    assert.match(summary, /Referred to the back office/);
    assert.match(summary, /Back office answer due/);
    await expectInChat(lerato, /How did we do\?/);

    await say(lerato, { value: { verb: 'survey.submit', reference, rating: '4', comment: 'Quick and clear' } });
    await expectInChat(lerato, /Thank you for your feedback/);
    await say(lerato, { value: { verb: 'survey.submit', reference, rating: '1' } });
    await expectInChat(lerato, /already have your answer/);
    const page = await thandi.get(`/api/cases/${reference}`);
    assert.deepEqual([page.body.survey.rating, page.body.survey.comment], [4, 'Quick and clear']);

    const other = aRatepayer('Someone Else');
    await say(other, { value: { verb: 'survey.submit', reference, rating: '1' } });
    await expectInChat(other, /not for a case of yours/);

    await say(lerato, { text: 'rates' });
    const card = cardOf(await expectInChat(lerato, /Property rates queries/));
    assert.equal(card?.actions[0].data.verb, 'intake.submit', 'a new intake, not the old case reopened');
  });

  it('lets the expert mark a no-show only after the waiting time, and tells the ratepayer how to come back', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    await thandi.post(`/api/cases/${reference}/claim`);
    const early = await thandi.post(`/api/cases/${reference}/no-show`);
    assert.equal(early.status, 400);
    assert.match(early.body.message, /Give the ratepayer 5 minutes/);
    now = new Date(now.getTime() + 6 * 60_000);
    assert.equal((await thandi.post(`/api/cases/${reference}/no-show`)).status, 200);
    assert.match((await expectInChat(lerato, /did not hear back/)).text, /type your kind of query/);
    assert.equal((await thandi.get(`/api/cases/${reference}`)).body.state, 'no_show');
  });

  it('does not allow a no-show once the ratepayer has answered', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    await thandi.post(`/api/cases/${reference}/claim`);
    await say(lerato, { text: 'I am here' });
    await eventually(() => transcriptOf(reference), (t) => t.some((e) => e.from === 'ratepayer'));
    now = new Date(now.getTime() + 6 * 60_000);
    const refused = await thandi.post(`/api/cases/${reference}/no-show`);
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /has answered/);
  });

  it('records a message that finally fails on the case and shows it to the agent', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    await thandi.post(`/api/cases/${reference}/claim`);
    await expectInChat(lerato, /connected with Thandi/);
    connector.failNext(lerato.conversationId, [503, 503, 503]);
    assert.equal((await thandi.post(`/api/cases/${reference}/messages`, { text: 'Are you there?' })).status, 200);
    const transcript = await eventually(() => transcriptOf(reference), (t) => t.some((e) => e.delivery?.status === 'failed'));
    const failed = transcript.find((e) => e.text === 'Are you there?');
    assert.equal(failed?.delivery?.status, 'failed');
    assert.match(failed?.delivery?.reason ?? '', /3 attempt\(s\) \(HTTP 503\)/);
  });

  it('refuses a message from an agent who does not have the case, and on a case not being worked on', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    assert.equal((await thandi.post(`/api/cases/${reference}/messages`, { text: 'hi' })).status, 409);
    await thandi.post(`/api/cases/${reference}/claim`);
    const sipho = await signIn(service, 'sipho');
    assert.equal((await sipho.post(`/api/cases/${reference}/messages`, { text: 'hi' })).status, 403);
    assert.equal((await thandi.post(`/api/cases/${reference}/messages`, { text: '' })).status, 400);
  });
});
