/**
 * What clients really send (issue 12): inputs taken from public bug reports against Teams bots,
 * Adaptive Cards and Web Chat, sent over the Bot Framework protocol (POST /api/messages, replies
 * read at a local connector), each with the other members of its kind. Each example failed on
 * the code before its fix.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import type { RunningService } from '../../bot/service.js';
import { SLOW_DOWN } from '../../bot/platform/teams/conversationGuard.js';
import { aRatepayer, cardOf, cardText, inputOf, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';

type TestContainers = Awaited<ReturnType<typeof freshDatabase>>;
import { definitionWithAgents, signIn, startTestService, type ApiClient } from '../support/tabApi.js';

/** The "good billing values". */
const GOOD = { accountNumber: '501234567', accountHolder: 'Test Ratepayer', mobile: '082 123 4567', email: '', description: 'My bill doubled in March and nobody explained why.' };

/** Every activity type the Bot Framework schema defines (botframework-schema ActivityTypes), with what a client puts in it. */
const ACTIVITY_TYPES: Record<string, Record<string, unknown>> = {
  message: {}, // with nothing to read: no text, no value, no attachment
  contactRelationUpdate: { action: 'add' },
  conversationUpdate: { membersAdded: [{ id: '29:someone-else' }] },
  typing: {},
  endOfConversation: { code: 'completedSuccessfully' },
  event: { name: 'webchat/join', value: { language: 'en-ZA' } },
  invoke: { name: 'some/unknownInvoke', value: { a: 1 } },
  deleteUserData: {},
  messageUpdate: { text: 'edited text', id: 'm-1' },
  messageDelete: { id: 'm-1' },
  installationUpdate: { action: 'add' },
  messageReaction: { reactionsAdded: [{ type: 'like' }], replyToId: 'sent-1' },
  suggestion: { text: 'a suggestion' },
  trace: { name: 'trace', label: 'x', valueType: 'y', value: {} },
  handoff: {},
  command: { name: 'channel/vnd.microsoft.test', value: {} },
  commandResult: { name: 'channel/vnd.microsoft.test', value: {} },
};

describe('client inputs from the field (issue 12) over the Bot Framework protocol', function () {
  this.timeout(60_000);
  let connector: LocalConnector;
  let service: RunningService;
  let db: TestContainers;
  let thandi: ApiClient;
  let now: Date;

  async function start(rateLimits?: { bot: { burst: number; perSecond: number } }) {
    now = new Date();
    connector = await startLocalConnector();
    db = await freshDatabase();
    service = await startTestService(db, definitionWithAgents(0), {
      clock: { now: () => now },
      pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 },
      rateLimits: rateLimits ?? { bot: { burst: 1e6, perSecond: 1e6 } },
    });
    thandi = await signIn(service, 'thandi');
  }

  afterEach(async () => {
    await service?.close();
    await connector?.close();
  });

  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId);
  const textOf = (a: Record<string, any>) => `${a.text ?? ''}\n${cardText(cardOf(a) ?? {})}`;

  /** Sends an activity and returns what the bot sent to the chat during that turn. */
  async function send(user: TestUser, activity: Record<string, unknown>): Promise<Record<string, any>[]> {
    const before = sentTo(user).length;
    const status = await postActivity(service.url, activity);
    // 501 is the Bot Framework's answer to an invoke no route handles (Teams expects it).
    assert.ok(status < 500 || (activity.type === 'invoke' && status === 501), `HTTP ${status} for ${JSON.stringify(activity).slice(0, 200)}`);
    return sentTo(user).slice(before).map((s) => s.body);
  }

  const say = (user: TestUser, fields: { text?: string; value?: unknown }) => send(user, messageFrom(user, connector.serviceUrl, fields));

  /** Waits until the chat has a message matching the pattern. */
  async function expectInChat(user: TestUser, pattern: RegExp, timeoutMs = 5000): Promise<Record<string, any>> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = sentTo(user).map((s) => s.body).find((a) => pattern.test(textOf(a)));
      if (found) return found;
      if (Date.now() > until) assert.fail(`no message matching ${pattern} in:\n${sentTo(user).map((s) => textOf(s.body)).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function queue(user: TestUser, values: Record<string, unknown> = GOOD, draftId = randomUUID()): Promise<string> {
    const replies = await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId, ...values } });
    const text = replies.map(textOf).join('\n');
    const reference = /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(text)?.[1];
    assert.ok(reference, `expected a case reference in:\n${text}`);
    return reference.replace('-', '');
  }

  async function withExpert(user: TestUser): Promise<string> {
    const reference = await queue(user);
    assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    await expectInChat(user, /connected with Thandi/);
    return reference;
  }

  async function resolved(user: TestUser): Promise<string> {
    const reference = await withExpert(user);
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'The March reading was corrected.' })).status, 200);
    // The survey and the receipt are sent by separate listeners, in either order: wait for both,
    // so a late one is not taken for the answer to the next message.
    await expectInChat(user, /How did we do/);
    await expectInChat(user, /Your receipt/);
    return reference;
  }

  async function storedCase(reference: string): Promise<Record<string, any>> {
    const { resource } = await db.cases.item(reference, reference).read();
    return resource;
  }

  describe('7. card values are parsed at the edge', () => {
    beforeEach(() => start());

    it('answers `value: null`, and every other value that is not one of our cards, with the same sensible answer', async () => {
      const user = aRatepayer();
      const unreadable: unknown[] = [
        null,
        'intake.submit',
        42,
        true,
        [],
        [{ verb: 'intake.submit' }],
        {},
        { verb: 'no.such.verb' },
        { verb: 42 },
        { verb: null },
        { verb: 'intake.submit', category: 'billing' }, // no card id
        { verb: 'intake.submit', category: ['billing'], draftId: randomUUID() },
        { verb: 'category.choose', category: { code: 'billing' } },
      ];
      for (const value of unreadable) {
        const replies = await say(user, { value });
        const all = replies.map(textOf).join('\n');
        assert.match(replies[0]?.text ?? '', /That form could not be read/, `value ${JSON.stringify(value)}: ${all}`);
        assert.doesNotMatch(all, /something went wrong/, `value ${JSON.stringify(value)}`);
        assert.match(cardText(cardOf(replies[1] ?? {}) ?? {}), /Account and billing queries/, 'the categories to start again');
      }
      // Nothing unreadable was queued, and a good card still works afterwards.
      assert.ok(await queue(user));
    });

    it('refuses a survey rating that is not a whole number from 1 to 5 (`true` was stored as 1), and records a real one', async () => {
      const user = aRatepayer();
      const reference = await resolved(user);
      for (const rating of [true, false, null, { value: 4 }, [4], '0x3', '4.5', '', '6', 0, 3.5]) {
        const replies = await say(user, { value: { verb: 'survey.submit', reference, rating } });
        assert.match(replies.map(textOf).join('\n'), /rating from 1 to 5/, `rating ${JSON.stringify(rating)}`);
        assert.equal((await storedCase(reference)).survey, undefined, `rating ${JSON.stringify(rating)} is not stored`);
      }
      const replies = await say(user, { value: { verb: 'survey.submit', reference, rating: '4' } });
      assert.match(replies[0]!.text, /Thank you for your feedback/);
      assert.equal((await storedCase(reference)).survey.rating, 4);
    });
  });

  describe('6. activities other than messages', () => {
    it('answers no activity type other than a message with something to read, in each state of a ratepayer', async () => {
      await start();
      const states: [string, (user: TestUser) => Promise<string | undefined>][] = [
        ['no case', async () => undefined],
        ['waiting', (user) => queue(user)],
        ['with an expert', withExpert],
        ['closed', resolved],
      ];
      for (const [state, prepare] of states) {
        const user = aRatepayer();
        const reference = await prepare(user);
        const transcriptBefore = reference ? ((await storedCase(reference)).transcript ?? []).length : 0;
        for (const [type, fields] of Object.entries(ACTIVITY_TYPES)) {
          const activity = { ...messageFrom(user, connector.serviceUrl, {}), type, ...fields };
          const replies = await send(user, activity);
          assert.deepEqual(replies.map(textOf), [], `${state}: a ${type} activity is not answered`);
        }
        // A 👍 on the bot's card, five "typing" in a row: still nothing.
        for (let i = 0; i < 5; i++) assert.deepEqual(await send(user, { ...messageFrom(user, connector.serviceUrl, {}), type: 'typing' }), []);
        // A message of only invisible characters has nothing to read either.
        assert.deepEqual(await say(user, { text: '\u200b\u2068\u2069' }), [], `${state}: an invisible message`);
        if (reference) assert.equal(((await storedCase(reference)).transcript ?? []).length, transcriptBefore, `${state}: nothing added to the transcript`);
        // And a real message is still answered.
        assert.notDeepEqual(await say(user, { text: 'status' }), [], `${state}: "status" is answered`);
      }
    });

    it('counts every activity, typing included, towards the per-conversation limit', async () => {
      await start({ bot: { burst: 6, perSecond: 0.01 } });
      const user = aRatepayer();
      for (let i = 0; i < 6; i++) assert.deepEqual(await send(user, { ...messageFrom(user, connector.serviceUrl, {}), type: i % 2 ? 'typing' : 'messageReaction', reactionsAdded: [{ type: 'like' }] }), []);
      const replies = await say(user, { text: 'hello' });
      assert.deepEqual(replies.map((r) => r.text), [SLOW_DOWN]);
    });
  });

  describe('3. invisible characters from copy and paste', () => {
    beforeEach(() => start());

    it('queues a card whose mobile, account and email carry bidi isolates and zero-width spaces, and stores them clean', async () => {
      const user = aRatepayer();
      const reference = await queue(user, { ...GOOD, mobile: '\u2068082 123 4567\u2069', accountNumber: '501\u200b234\u200b567', email: 'test\u200b@example.co.za' });
      const c = await storedCase(reference);
      assert.equal(c.intake.mobile, '+27821234567');
      assert.equal(c.intake.accountNumber, '501234567');
      assert.equal(c.intake.email, 'test@example.co.za');
      assert.equal(c.accountNumber, '501234567');
    });

    it('sends the card back with the cleaned values when something else is wrong, so pressing again works', async () => {
      const user = aRatepayer();
      const draftId = randomUUID();
      const replies = await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId, ...GOOD, mobile: '\ufeff082\u00a0123 \u200e4567\u2069', accountNumber: '\u202a501 234 567\u202c', accountHolder: '\u2066Test Ratepayer\u2069', description: 'short\u200b' } });
      const card = cardOf(replies[0]!);
      assert.ok(card, 'the card comes back');
      assert.equal(inputOf(card, 'mobile')?.value, '082\u00a0123 4567');
      assert.equal(inputOf(card, 'accountNumber')?.value, '501 234 567');
      assert.equal(inputOf(card, 'accountHolder')?.value, 'Test Ratepayer');
      assert.equal(inputOf(card, 'description')?.value, 'short');
      assert.match(cardText(card), /too short/);
      assert.doesNotMatch(cardText(card), /only digits|only have letters/);
    });

    it('reads commands typed with invisible characters', async () => {
      const user = aRatepayer();
      await queue(user);
      const replies = await say(user, { text: '\u200bstatus\u2069' });
      assert.match(replies.map(textOf).join('\n'), /open case/);
    });
  });

  describe('4. mobile numbers that are not mobile', () => {
    beforeEach(() => start());

    it('refuses VoIP, sharecall, toll-free and landline numbers saying what kind each is, and queues a real cellphone number', async () => {
      const user = aRatepayer();
      for (const [mobile, kind] of [
        ['087 550 1234', /VoIP/],
        ['086 123 4567', /sharecall/],
        ['0800 123 456', /toll-free/],
        ['011 123 4567', /landline/],
      ] as const) {
        const replies = await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId: randomUUID(), ...GOOD, mobile } });
        const card = cardOf(replies[0]!);
        assert.ok(card, `${mobile}: the card comes back`);
        const text = cardText(card);
        assert.match(text, kind, mobile);
        assert.match(text, /cellphone number/, mobile);
        assert.doesNotMatch(text, /starting with 06, 07 or 08/, mobile);
        assert.equal(inputOf(card, 'mobile')?.value, mobile, 'what was typed is kept');
      }
      const reference = await queue(user, { ...GOOD, mobile: '+27 (0)72 555 0101' });
      assert.equal((await storedCase(reference)).intake.mobile, '+27725550101');
    });
  });

  describe('2. ratepayer routes in a team channel or group chat', () => {
    beforeEach(() => start());

    const inChannel = (user: TestUser, type: 'channel' | 'groupChat', fields: { text?: string; value?: unknown }) => {
      const base = messageFrom(user, connector.serviceUrl, fields);
      return {
        ...base,
        conversation: { id: user.conversationId, conversationType: type, isGroup: true, tenantId: 'tenant-1' },
        ...(type === 'channel' ? { channelData: { team: { id: '19:team' }, channel: { id: user.conversationId }, tenant: { id: 'tenant-1' } } } : {}),
      };
    };

    it('never posts a ratepayer card there: every ratepayer route, old cards included, answers with a link to the personal chat', async () => {
      for (const type of ['channel', 'groupChat'] as const) {
        const user = aRatepayer();
        const inputs: { text?: string; value?: unknown }[] = [
          { text: '<at>Ratepayer Desk</at> hi' },
          { text: '<at>Ratepayer Desk</at> billing' },
          { text: '<at>Ratepayer Desk</at> my water meter is wrong' },
          { text: '<at>Ratepayer Desk</at> status' },
          { text: '<at>Ratepayer Desk</at> my data' },
          { text: '<at>Ratepayer Desk</at> cancel' },
          { text: '<at>Ratepayer Desk</at> thank you' },
          { value: { verb: 'category.choose', category: 'billing' } },
          { value: { verb: 'intake.submit', category: 'billing', draftId: randomUUID(), ...GOOD } },
          { value: { verb: 'case.status' } },
          { value: { verb: 'case.cancel' } },
          { value: { verb: 'survey.submit', reference: 'ABCDEF', rating: '5' } },
          { value: { verb: 'closing.choose', reference: 'ABCDEF', choice: 'next_session' } },
          { value: null },
        ];
        for (const fields of inputs) {
          const replies = await send(user, inChannel(user, type, fields));
          const what = `${type}: ${JSON.stringify(fields)}`;
          assert.equal(replies.length, 1, `${what}: one short message`);
          assert.equal(cardOf(replies[0]!), undefined, `${what}: no card`);
          assert.match(replies[0]!.text, /one-to-one chat/, what);
          assert.match(replies[0]!.text, /\(https:\/\/teams\.microsoft\.com\/l\/chat\/0\/0\?tenantId=tenant-1&users=28%3Aratepayer-desk-bot\)/, what);
        }
        const { resources } = await db.cases.items.query('SELECT c.id FROM c').fetchAll();
        assert.equal(resources.length, 0, 'no case was opened from a channel');
      }
    });
  });

  describe('1. a used card, and a corrected resubmission', () => {
    beforeEach(() => start());

    const press = (user: TestUser, draftId: string, values: Record<string, unknown>, cardMessage = 'card-message-1') =>
      send(user, { ...messageFrom(user, connector.serviceUrl, { value: { verb: 'intake.submit', category: 'billing', draftId, ...values } }), replyToId: cardMessage });

    it('turns the used card into a read-only summary of what was sent (the message is updated in place)', async () => {
      const user = aRatepayer();
      const draftId = randomUUID();
      await press(user, draftId, GOOD);
      const updates = connector.sent.filter((s) => s.conversationId === user.conversationId && s.method === 'PUT');
      assert.equal(updates.length, 1, 'the card message is updated');
      assert.equal(updates[0]!.activityId, 'card-message-1');
      const card = cardOf(updates[0]!.body)!;
      assert.match(cardText(card), /your details were sent/);
      assert.match(cardText(card), /082 123 4567/);
      assert.equal(JSON.stringify(card).includes('Input.'), false, 'no inputs left');
      assert.equal(JSON.stringify(card).includes('Action.Submit'), false, 'nothing to press');
    });

    it('while waiting, a changed resubmission updates the case through its lifecycle, says what changed, and the agent sees it', async () => {
      const user = aRatepayer();
      const draftId = randomUUID();
      const first = (await press(user, draftId, GOOD)).find((r) => /Your case reference is/.test(r.summary ?? ''));
      const reference = /Your case reference is ([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(first!.summary)![1]!.replace('-', '');
      const description = 'Also the water charge for April is three times the usual amount.';
      const replies = await press(user, draftId, { ...GOOD, mobile: '083 765 4321', description });
      const told = replies.filter((r) => r.type === 'message' && r.text).map((r) => r.text).join('\n');
      assert.match(told, /changed your mobile number and description of your query on case/);
      assert.doesNotMatch(told, /already have your details/);
      const c = await storedCase(reference);
      assert.equal(c.intake.mobile, '+27837654321');
      assert.equal(c.intake.description, description);
      const last = c.audit.at(-1);
      assert.equal(last.action, 'details changed');
      assert.equal(last.detail, 'description, mobile');
      assert.equal(last.by.kind, 'ratepayer');
      // The agent's case page shows the new number, and the tabs were told the case changed.
      const page = await thandi.get(`/api/cases/${reference}`);
      assert.ok(page.body.intake.some((i: { name: string; value: string }) => i.name === 'mobile' && /083 765 4321|\+27837654321/.test(i.value)), JSON.stringify(page.body.intake));
      const { resources: events } = await db.events.items.query({ query: 'SELECT * FROM c WHERE c.reference = @r', parameters: [{ name: '@r', value: reference }] }).fetchAll();
      assert.ok(events.some((e: { kind: string }) => e.kind === 'case.updated'), `events: ${events.map((e: { kind: string }) => e.kind).join(', ')}`);
      // The same corrected card once more changes nothing further.
      const again = await press(user, draftId, { ...GOOD, mobile: '083 765 4321', description });
      assert.match(again.map(textOf).join('\n'), /We already have your details/);
      assert.equal((await storedCase(reference)).audit.filter((a: { action: string }) => a.action === 'details changed').length, 1);
    });

    it('an old form sent again with another account number leaves the waiting case as it was and offers a form of its own with what was typed (tester 7, finding 9)', async () => {
      const user = aRatepayer();
      const draftId = randomUUID();
      const first = (await press(user, draftId, GOOD)).find((r) => /Your case reference is/.test(r.summary ?? ''));
      const reference = /Your case reference is ([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(first!.summary)![1]!.replace('-', '');
      const other = { ...GOOD, accountNumber: '987654321', description: 'A second property: the rates went up by half.' };
      const replies = await press(user, draftId, other);
      assert.match(replies.map(textOf).join('\n'), /is about account 501234567 and stays as it is.*account 987654321.*send the form below.*type "cancel"/s);
      const c = await storedCase(reference);
      assert.equal(c.intake.accountNumber, '501234567');
      assert.equal(c.intake.description, GOOD.description);
      assert.equal(c.audit.some((a: { action: string }) => a.action === 'details changed'), false, 'nothing changed on the case');
      // The offered form has what was typed, under a draft of its own: sending it is a second query.
      const form = replies.map((r) => cardOf(r)).find((card) => card && inputOf(card, 'accountNumber'));
      assert.ok(form, 'a form is offered');
      assert.equal(inputOf(form, 'accountNumber')?.value, '987654321');
      assert.equal(inputOf(form, 'description')?.value, other.description);
      const submit = JSON.stringify(form).match(/"verb":"intake\.submit"[^}]*"draftId":"([^"]+)"|"draftId":"([^"]+)"[^}]*"verb":"intake\.submit"/);
      const newDraft = submit?.[1] ?? submit?.[2];
      assert.ok(newDraft && newDraft !== draftId, `a new draft: ${newDraft}`);
      const second = (await press(user, newDraft!, other, 'card-message-2')).find((r) => /Your case reference is/.test(r.summary ?? ''));
      const secondReference = /Your case reference is ([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(second?.summary ?? '')?.[1]?.replace('-', '');
      assert.ok(secondReference && secondReference !== reference, 'a case of its own');
      assert.equal((await storedCase(secondReference!)).intake.accountNumber, '987654321');
    });

    it('once an expert has the case, a changed resubmission changes nothing and asks the ratepayer to tell the expert', async () => {
      const user = aRatepayer();
      const draftId = randomUUID();
      const first = (await press(user, draftId, GOOD)).find((r) => /Your case reference is/.test(r.summary ?? ''));
      const reference = /Your case reference is ([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(first!.summary)![1]!.replace('-', '');
      assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
      const replies = await press(user, draftId, { ...GOOD, mobile: '083 765 4321' });
      assert.match(replies.map(textOf).join('\n'), /already with an expert.*tell the expert here in the chat.*mobile number/s);
      assert.equal((await storedCase(reference)).intake.mobile, '+27821234567');
    });
  });

  describe("issue 14 item 4: another chat's card", () => {
    beforeEach(() => start());

    it('refuses a card id from another conversation without saying anything about its case, open or closed', async () => {
      const owner = aRatepayer('Owner Person');
      const draftId = randomUUID();
      const reference = await queue(owner, GOOD, draftId);
      const display = `${reference.slice(0, 3)}-${reference.slice(3)}`;
      const stranger = aRatepayer('Someone Else');
      const probe = async () => {
        const replies = await say(stranger, { value: { verb: 'intake.submit', category: 'billing', draftId, ...GOOD, mobile: '083 765 4321' } });
        const all = replies.map((r) => JSON.stringify(r)).join('\n');
        assert.match(replies[0]!.text, /sent to another chat/);
        for (const secret of [reference, display, 'already have your details', 'has been resolved', 'You are in the queue', 'Owner', 'number 1']) assert.ok(!all.includes(secret), `"${secret}" is not told`);
      };
      await probe();
      assert.equal((await storedCase(reference)).intake.mobile, '+27821234567', 'the owner\'s case is unchanged');
      assert.equal(connector.sent.filter((s) => s.conversationId === owner.conversationId && s.method === 'PUT').length, 0);
      // Closed, too.
      assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
      assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Done.' })).status, 200);
      await probe();
      const { resources } = await db.cases.items.query('SELECT c.id FROM c').fetchAll();
      assert.equal(resources.length, 1, 'no case for the stranger either');
    });
  });

  describe('10. the callback time on the closing card', () => {
    beforeEach(() => start());

    it('reads the day and time in every form clients send, and says what to send when a time cannot be read', async () => {
      const user = aRatepayer();
      const reference = await queue(user);
      // Tomorrow in Johannesburg, so any time from 07:00 to 20:00 is in range.
      const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Johannesburg' }).format(new Date(now.getTime() + 86_400_000));
      const expected = new Date(`${tomorrow}T17:30:00+02:00`).toISOString();
      const choose = (callbackDate: unknown, callbackTime: unknown) =>
        say(user, { value: { verb: 'closing.choose', reference, choice: 'callback', callbackDate, callbackTime } });
      const forms: [unknown, unknown][] = [
        [tomorrow, '17:30:00'],
        [tomorrow, '17:30'],
        [tomorrow, '5:30 PM'],
        [tomorrow, '5:30 p.m.'],
        [tomorrow, `${tomorrow}T17:30:00`],
        [tomorrow, `${tomorrow}T15:30:00.000Z`],
        [`${tomorrow}T00:00:00.000Z`, '17:30'],
      ];
      for (const [date, time] of forms) {
        await db.cases.item(reference, reference).patch([{ op: 'remove', path: '/closingChoice' }]).catch(() => undefined);
        const replies = await choose(date, time);
        assert.match(replies.map(textOf).join('\n'), /Done: an expert will call you on 082 123 4567 on .* at 17:30/, `${String(date)} ${String(time)}`);
        assert.equal((await storedCase(reference)).closingChoice?.callbackAt, expected, `${String(date)} ${String(time)}`);
      }
      for (const time of ['half past five', '25:00', '17h30']) {
        const replies = await choose(tomorrow, time);
        assert.match(replies.map(textOf).join('\n'), /that time could not be read.*like 17:30/s, time);
      }
      const replies = await choose(tomorrow, '');
      assert.match(replies.map(textOf).join('\n'), /Please choose the time you would like us to call/);
      const badDay = await choose('31/02', '17:30');
      assert.match(badDay.map(textOf).join('\n'), /that day could not be read.*year-month-day/s);
    });
  });

  describe('9. courtesy after the case is closed', () => {
    beforeEach(() => start());

    it('answers thanks, goodbyes and emoji with a short courteous word, not the category picker', async () => {
      const user = aRatepayer();
      const reference = await resolved(user);
      const display = `${reference.slice(0, 3)}-${reference.slice(3)}`;
      for (const text of ['ok thank you', 'Thanks!', 'thank you so much 🙏🏽', '👍', '❤️', 'bye', 'Ok, bye bye', 'Ngiyabonga kakhulu', 'Baie dankie', 'ok', 'cheers', 'thanks for your help, have a good day']) {
        const replies = await say(user, { text });
        assert.equal(replies.length, 1, `${text}: one answer`);
        assert.equal(cardOf(replies[0]!), undefined, `${text}: no card`);
        assert.match(replies[0]!.text, /welcome/, text);
        assert.ok(replies[0]!.text.includes(display), `${text}: names the resolved case`);
        assert.doesNotMatch(replies[0]!.text, /didn't catch/, text);
      }
      assert.match((await say(user, { text: 'bye' }))[0]!.text, /Goodbye/);
      // Something new still gets the picker or the category's form.
      const newQuery = await say(user, { text: 'thank you, but my water meter reading is wrong' });
      assert.match(newQuery.map(textOf).join('\n'), /Water and electricity metering queries/);
      const unclear = await say(user, { text: 'what about my neighbour' });
      assert.match(unclear.map(textOf).join('\n'), /didn't catch/);
    });

    it('is courteous with no case at all too, and leaves a "thank you" while waiting to the queue answer', async () => {
      const newcomer = aRatepayer();
      const replies = await say(newcomer, { text: 'thank you' });
      assert.equal(replies.length, 1);
      assert.match(replies[0]!.text, /You are welcome/);
      const waiting = aRatepayer();
      await queue(waiting);
      assert.match((await say(waiting, { text: 'thank you' })).map(textOf).join('\n'), /You are in the queue/);
    });
  });

  describe('11. "cancel" while an expert has the case', () => {
    beforeEach(() => start());

    const transcriptOf = async (reference: string) =>
      ((await thandi.get(`/api/cases/${reference}`)).body.transcript as { from: string; text: string; card?: unknown }[]).map((e) => `${e.from}: ${e.text}`);

    async function eventually(read: () => Promise<string[]>, ok: (t: string[]) => boolean): Promise<string[]> {
      const until = Date.now() + 5000;
      for (;;) {
        const value = await read();
        if (ok(value) || Date.now() > until) return value;
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    for (const word of ['cancel', 'stop', 'quit', 'exit', 'Cancel!']) {
      it(`"${word}": asks whether to end the chat with the expert; the expert sees what was written and what was chosen`, async () => {
        const user = aRatepayer();
        const reference = await withExpert(user);
        const before = sentTo(user).length;
        await say(user, { text: word });
        const question = await expectInChat(user, /Do you want to end the chat with Thandi\?/);
        const card = cardOf(question)!;
        const end = card.actions.find((a: { title: string }) => /end the chat/.test(a.title)).data;
        assert.doesNotMatch(sentTo(user).slice(before).map((s) => textOf(s.body)).join('\n'), /already with an expert|is cancelled/);
        assert.equal((await storedCase(reference)).state, 'in_progress', 'the case is not cancelled');
        let transcript = await eventually(() => transcriptOf(reference), (t) => t.some((e) => e.startsWith('system: Do you want to end the chat')));
        assert.ok(transcript.includes(`ratepayer: ${word}`), transcript.join('\n'));
        assert.ok(transcript.includes('system: Do you want to end the chat with Thandi?'), transcript.join('\n'));

        await say(user, { value: end });
        await expectInChat(user, /I have told Thandi that you want to end the chat/);
        transcript = await eventually(() => transcriptOf(reference), (t) => t.some((e) => /Chose: end the chat/.test(e)));
        assert.ok(transcript.includes('ratepayer: [Chose: end the chat with the expert]'), transcript.join('\n'));
      });
    }

    it('"No, carry on" keeps the chat and is on the transcript; an old question after the case closed is answered plainly', async () => {
      const user = aRatepayer();
      const reference = await withExpert(user);
      await say(user, { text: 'stop' });
      const card = cardOf(await expectInChat(user, /Do you want to end the chat with Thandi\?/))!;
      const carryOn = card.actions.find((a: { title: string }) => /carry on/.test(a.title)).data;
      await say(user, { value: carryOn });
      await expectInChat(user, /still connected with Thandi/);
      const transcript = await eventually(() => transcriptOf(reference), (t) => t.some((e) => /Chose: carry on/.test(e)));
      assert.ok(transcript.includes('ratepayer: [Chose: carry on with the chat]'));
      assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Done.' })).status, 200);
      const late = await say(user, { value: carryOn });
      assert.match(late.map(textOf).join('\n'), /no longer open/);
    });
  });
});
