import assert from 'node:assert/strict';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';
import { startService, type RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, inputOf, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase, openCasesIn } from '../support/cosmos.js';
import { localSettings } from '../support/tabApi.js';

const PILOT = loadDefinition(LOCAL_DEFINITION.replace('local.json', 'joburg-region-b-pilot.json'));

/** 1 August 2022, 17:30 in Johannesburg (UTC+2): the pilot's first session is open. */
const DURING_SESSION = new Date('2022-08-01T15:30:00Z');
/** 1 August 2022, 14:00 in Johannesburg: before the first session. */
const BEFORE_SESSION = new Date('2022-08-01T12:00:00Z');


const goodBilling = {
  accountNumber: '5012 345 67',
  accountHolder: 'Lerato Molefe',
  mobile: '082 123 4567',
  email: '',
  description: 'My bill doubled in March and nobody has explained why.',
};

describe('Ratepayer intake over the Bot Framework protocol', () => {
  let connector: LocalConnector;
  let service: RunningService;
  let store: CosmosCaseStore;
  let conversations: CosmosConversationStore;
  let now: Date;

  beforeEach(async () => {
    now = DURING_SESSION;
    connector = await startLocalConnector();
    const db = await freshDatabase();
    store = new CosmosCaseStore(db.cases);
    conversations = new CosmosConversationStore(db.conversations);
    service = await startService(localSettings, { containers: db, definition: PILOT, clock: { now: () => now } });
  });

  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  async function say(user: TestUser, fields: { text?: string; value?: unknown }, expectReplies = 1) {
    const before = connector.sent.filter((s) => s.conversationId === user.conversationId).length;
    const status = await postActivity(service.url, messageFrom(user, connector.serviceUrl, fields));
    assert.equal(status, 200);
    const all = await connector.waitFor(user.conversationId, before + expectReplies);
    return all.slice(before).map((s) => s.body);
  }

  async function intakeCardFor(user: TestUser, text: string) {
    const [reply] = await say(user, { text });
    const card = cardOf(reply!);
    assert.ok(card, 'expected an intake card');
    const draftId = card.actions[0].data.draftId as string;
    return { card, draftId, category: card.actions[0].data.category as string };
  }

  it('greets a ratepayer for the category they typed and says the session is open', async () => {
    const user = aRatepayer();
    const { card, category } = await intakeCardFor(user, 'my water meter is wrong');
    assert.equal(category, 'metering');
    const text = cardText(card);
    assert.match(text, /Water and electricity metering queries/);
    assert.match(text, /A session is open now, until 20:00/);
    assert.match(text, /Your privacy/);
    assert.match(text, /Information Regulator/);
    assert.ok(inputOf(card, 'meterNumber'), 'metering asks for the meter number');
    assert.equal(inputOf(card, 'idNumber'), undefined, 'metering does not ask for an ID number');
  });

  it('outside session hours says when the next session opens and still takes the details', async () => {
    now = BEFORE_SESSION;
    const user = aRatepayer();
    const { card, draftId } = await intakeCardFor(user, 'rates');
    assert.match(cardText(card), /No session is open right now\. The next one is on Monday 1 August 2022, 17:00–20:00/);
    const [reply] = await say(user, {
      value: { verb: 'intake.submit', category: 'rates', draftId, ...goodBilling, erfNumber: '1234/5' },
    });
    const text = cardText(cardOf(reply!));
    assert.match(text, /You are in the queue/);
    assert.match(text, /Monday 1 August 2022, 17:00–20:00/);
    const [stored] = await openCasesIn(store, user.conversationId);
    assert.equal(stored?.sessionId, '2022-08-01T17:00');
  });

  it('returns the card with every typed value kept and a message under each wrong field, then queues the corrected one', async () => {
    const user = aRatepayer();
    const { draftId } = await intakeCardFor(user, 'billing');
    const wrong = { ...goodBilling, accountNumber: '12345', mobile: '086 123 4567' };
    const [errorReply] = await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId, ...wrong } });
    const errorCard = cardOf(errorReply!);
    assert.ok(errorCard);
    assert.equal(inputOf(errorCard, 'accountNumber')?.value, '12345');
    assert.equal(inputOf(errorCard, 'mobile')?.value, '086 123 4567');
    assert.equal(inputOf(errorCard, 'accountHolder')?.value, 'Lerato Molefe');
    assert.equal(inputOf(errorCard, 'description')?.value, goodBilling.description);
    const text = cardText(errorCard);
    assert.match(text, /Please check the 2 fields marked below/);
    assert.match(text, /account number has 9/);
    assert.match(text, /mobile/i);
    assert.equal((await openCasesIn(store, user.conversationId)).length, 0, 'nothing stored from a rejected card');

    const [okReply] = await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId, ...goodBilling } });
    const okText = cardText(cardOf(okReply!));
    assert.match(okText, /You are in the queue/);
    assert.match(okText, /Your case reference\n[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}/);
    const [stored] = await openCasesIn(store, user.conversationId);
    assert.equal(stored?.intake.accountNumber, '501234567');
    assert.equal(stored?.intake.mobile, '+27821234567');
  });

  it('repeats a wrong household size in the card exactly as typed (a mobile number with its leading zero), escaped for the card', async () => {
    const user = aRatepayer();
    const { draftId } = await intakeCardFor(user, 'billing');
    const indigent = { ...goodBilling, idNumber: '8001015009087', monthlyHouseholdIncome: '3500' };
    const [reply] = await say(user, { value: { verb: 'intake.submit', category: 'indigent', draftId, ...indigent, householdSize: '0821234567' } });
    const card = cardOf(reply!);
    assert.ok(card);
    assert.equal(inputOf(card, 'householdSize')?.value, '0821234567');
    assert.match(cardText(card), /should be from 1 to 50, and you typed 0821234567\./, cardText(card));
    // A sign the card would read as Markdown is escaped, so it shows as typed.
    const [signed] = await say(user, { value: { verb: 'intake.submit', category: 'indigent', draftId, ...indigent, householdSize: '-082 123 4567' } });
    assert.ok(cardText(cardOf(signed!)).includes('and you typed \\-082 123 4567.'), cardText(cardOf(signed!)));
  });

  it('creates exactly one case when the same card is submitted twice, even at once', async () => {
    const user = aRatepayer();
    const { draftId } = await intakeCardFor(user, 'billing');
    const submit = { value: { verb: 'intake.submit', category: 'billing', draftId, ...goodBilling } };
    const replies = await Promise.all([say(user, submit), say(user, submit)]);
    assert.equal(replies.length, 2);
    const open = await openCasesIn(store, user.conversationId);
    assert.equal(open.length, 1);
    const [third] = await say(user, submit);
    assert.match(cardText(cardOf(third!)), /We already have your details/);
    assert.equal((await openCasesIn(store, user.conversationId)).length, 1);
  });

  it('gives each ratepayer their place and an estimated wait, and "status" shows it', async () => {
    const first = aRatepayer('First Person');
    const second = aRatepayer('Second Person');
    for (const user of [first, second]) {
      const { draftId } = await intakeCardFor(user, 'billing');
      const [reply] = await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId, ...goodBilling } });
      assert.match(cardText(cardOf(reply!)), /You are in the queue/);
      now = new Date(now.getTime() + 60_000);
    }
    const [status] = await say(second, { text: 'status' });
    const text = cardText(cardOf(status!));
    assert.match(text, /Waiting for an expert/);
    assert.match(text, /Place in the queue\n2/);
    // The place each was shown is saved with the case: the baseline for "you moved up" updates.
    const [firstCase] = await openCasesIn(store, first.conversationId);
    const [secondCase] = await openCasesIn(store, second.conversationId);
    assert.equal(firstCase?.notified?.position, 1);
    assert.equal(secondCase?.notified?.position, 2);
    // Two billing agents in the pilot, 12 minutes by default: ceil(2/2) * 12.
    assert.match(text, /Estimated wait\nabout 10 minutes|Estimated wait\nabout 12 minutes|Estimated wait\nabout 15 minutes/);
  });

  it('"cancel" takes the ratepayer out of the queue and moves the next person up', async () => {
    const first = aRatepayer('First Person');
    const second = aRatepayer('Second Person');
    for (const user of [first, second]) {
      const { draftId } = await intakeCardFor(user, 'billing');
      await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId, ...goodBilling } });
      now = new Date(now.getTime() + 60_000);
    }
    const [cancelled] = await say(first, { text: 'cancel' });
    assert.match(cancelled!.text, /You have left the queue/);
    assert.equal((await openCasesIn(store, first.conversationId)).length, 0);
    const [again] = await say(first, { text: 'cancel' });
    assert.match(again!.text, /nothing to cancel/);
    // The person behind is told they moved up (proactively), and "status" agrees.
    const [movedUp] = await connector.waitFor(second.conversationId, 3).then((all) => all.slice(2));
    assert.match(movedUp!.body.text, /You are next in the queue/);
    const [status] = await say(second, { text: 'status' });
    assert.match(cardText(cardOf(status!)), /Place in the queue\n1/);
  });

  it('welcomes a ratepayer when the bot is added to their chat, and keeps the conversation for later messages', async () => {
    const user = aRatepayer();
    const added = {
      ...messageFrom(user, connector.serviceUrl, {}),
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:ratepayer-desk-bot' }],
    };
    assert.equal(await postActivity(service.url, added), 200);
    const [welcome] = await connector.waitFor(user.conversationId, 1);
    const text = cardText(cardOf(welcome!.body));
    assert.match(text, /Welcome to Virtual customer engagement/);
    assert.match(text, /What is your query about\?/);
    const saved = await conversations.get(user.conversationId);
    assert.equal(saved?.kind, 'personal');
    assert.equal((saved?.reference as { serviceUrl?: string }).serviceUrl, connector.serviceUrl);
  });

  it('keeps the conversation reference when a case is queued', async () => {
    const user = aRatepayer();
    const { draftId } = await intakeCardFor(user, 'billing');
    await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId, ...goodBilling } });
    const saved = await conversations.get(user.conversationId);
    assert.equal((saved?.reference as { conversation?: { id?: string } }).conversation?.id, user.conversationId);
  });

  it('asks people in a group chat to talk one-to-one, so their details stay private', async () => {
    const user = aRatepayer();
    const activity = messageFrom(user, connector.serviceUrl, { text: '<at>Ratepayer Desk</at> billing' }) as any;
    activity.conversation = { ...activity.conversation, conversationType: 'groupChat' };
    activity.entities = [{ type: 'mention', mentioned: activity.recipient, text: '<at>Ratepayer Desk</at>' }];
    assert.equal(await postActivity(service.url, activity), 200);
    const [reply] = await connector.waitFor(user.conversationId, 1);
    assert.match(reply!.body.text, /one-to-one/);
    assert.equal(cardOf(reply!.body), undefined, 'no intake card in a group chat');
  });

  it('offers the categories when it cannot tell what the query is about', async () => {
    const user = aRatepayer();
    const replies = await say(user, { text: 'good evening, I need help please with something' }, 2);
    assert.match(replies[0]!.text, /didn't catch/);
    const card = cardOf(replies[1]!);
    assert.deepEqual(
      // The categories are pressable rows (each a Container's selectAction), so full names wrap.
      card?.body.filter((e: any) => e.selectAction?.data?.verb === 'category.choose').map((e: any) => e.selectAction.data.category),
      ['billing', 'credit-control', 'rates', 'metering', 'indigent'],
    );
  });
});
