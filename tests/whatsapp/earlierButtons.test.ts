/**
 * Buttons of earlier WhatsApp messages (WhatsApp keeps them pressable): each message's buttons and
 * list rows carry ids of their own, so a press says which message it came from. A button whose
 * action still means something ("Check my place", a language) does what it says; any other is
 * "that button belongs to an earlier message". Ids sent before ids were tagged ("c0", "c1"… on
 * every message) are still read by the title WhatsApp sends with them, so a deploy in the middle
 * of a chat does not break it. Through the ACS stand-in (devTools/acs.ts), on Cosmos DB.
 */
import assert from 'node:assert/strict';
import { AcsStandIn, type Received } from '../../devTools/acs.js';
import { startService, type RunningService } from '../../bot/service.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { freshDatabase } from '../support/cosmos.js';
import { acsSettingsFor, phoneOn, type Phone } from '../support/whatsapp.js';
import { definitionWithAgents, localSettings, signIn } from '../support/tabApi.js';
import { t } from '../../bot/messages/index.js';

const PHONE = '+27821234567';
const SECRET = 'a-secret-for-the-earlier-buttons-tests-0123456789';
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('WhatsApp: buttons of earlier messages, told apart by their ids', function () {
  this.timeout(60_000);
  let acs: AcsStandIn;
  let service: RunningService;
  let db: CosmosContainers;
  let phone: Phone;

  beforeEach(async () => {
    acs = new AcsStandIn();
    await acs.start();
    db = await freshDatabase();
    // A whole intake and more in a few hundred milliseconds: far over a person's rate limit.
    service = await startService({ ...localSettings, acs: acsSettingsFor(acs, SECRET) }, { containers: db, definition: definitionWithAgents(0), scheduler: { start: false }, rateLimits: { bot: { burst: 200, perSecond: 100 } } });
    await acs.subscribe(`${service.url}/api/whatsapp/events?key=${SECRET}`);
    phone = phoneOn(acs, PHONE);
  });
  afterEach(async () => {
    await service?.close();
    await acs?.close();
  });

  const idsOf = (m: Received) => (m.choices ?? []).map((c) => c.id);

  it('gives each message\'s buttons and rows ids of their own, with nothing of the person in them, within WhatsApp\'s limits', async () => {
    const welcome = await phone.say('Hi', /What is your query about\?/);
    const again = await phone.say('Hi', /What is your query about\?/);
    const language = await phone.say('language', new RegExp(escapeRegExp(t('en', 'language.intro').slice(0, 30))));
    const all = [welcome, again, language].flatMap(idsOf);
    assert.ok(idsOf(welcome).length > 1 && idsOf(language).length > 1);
    assert.equal(new Set(all).size, all.length, `every id is its message's own: ${all.join(' ')}`);
    for (const id of all) {
      // A list row's id is at most 200 characters, a reply button's at most 256 (WhatsApp's Cloud API).
      assert.ok(id.length <= 200, id);
      assert.doesNotMatch(id, /2782|821234567/, 'no phone number in an id');
    }
  });

  it('does what a still meaningful button of an earlier message says (a language chosen from an old list in the middle of a form), known by its id, and asks the question again', async () => {
    const languages = await phone.say('language', new RegExp(escapeRegExp(t('en', 'language.intro').slice(0, 30))));
    const zulu = languages.choices?.find((c) => c.title === 'isiZulu');
    assert.ok(zulu, languages.text);
    const welcome = await phone.say('Hi', /What is your query about\?/);
    const billing = /\[(c\d+)\] Account and billing/.exec(welcome.text)?.[1];
    assert.ok(billing, welcome.text);
    await phone.press(billing, /account number/i);
    // The old list's "isiZulu", pressed at the account number: the language chosen, not an answer.
    const mark = acs.mark(PHONE);
    const chosen = await phone.pressOn(languages, zulu.key, /./);
    assert.equal(chosen.text, t('zu', 'language.changed', { language: 'isiZulu' }));
    // The form's question again, in the language just chosen (tests/whatsapp/languageInForm.test.ts), with nothing answered for it.
    const asked = await acs.waitFor(PHONE, (m) => m.text.includes(t('zu', 'fields.accountNumber.label')), mark);
    assert.doesNotMatch(asked.text, new RegExp(escapeRegExp(t('zu', 'whatsapp.earlierButton').slice(0, 30))));
    await phone.say('501234567', new RegExp(escapeRegExp(t('zu', 'fields.accountHolder.label'))));
  });

  it('"Leave the queue" of a case left earlier, pressed in the middle of the next form: that case is not waiting, and the form is kept; pressed once the next case waits, that case keeps its place', async () => {
    const waiting = async () => ((await (await signIn(service, 'thandi')).get('/api/queue')).body.waiting as { reference: string }[]).map((i) => i.reference).sort();
    await phone.toReview('Account and billing', /082 123 4567/, 'My bill doubled in March.');
    const queued = await phone.press('c0', /You are in the queue/);
    const old = /reference: \*([A-Z0-9-]+)\*/i.exec(queued.text)![1]!;
    const leave = queued.choices?.find((c) => c.title === t('en', 'cards.queued.leave'));
    assert.ok(leave, queued.text);
    // Left with "cancel", then a second query, in the middle of its form (the account holder's name asked).
    await phone.say('cancel', new RegExp(escapeRegExp(t('en', 'cancel.left', { reference: old }))));
    const welcome = await phone.say('Hi', /What is your query about\?/);
    const billing = welcome.choices?.find((c) => c.title.startsWith('Account and billing'));
    assert.ok(billing, welcome.text);
    await phone.press(billing.key, /account number/i);
    await phone.say('501234567', /account holder/i);
    // The first case's old "Leave the queue": that case is not waiting, and the form goes on where it was (not left).
    const mark = acs.mark(PHONE);
    const left = await phone.pressOn(queued, leave.key, new RegExp(escapeRegExp(old)));
    assert.equal(left.text, t('en', 'cancel.notWaiting', { reference: old }));
    await acs.waitFor(PHONE, (m) => m.n > left.n && /account holder/i.test(m.text), mark);
    await phone.say('Lerato Molefe', /082 123 4567/);
    await phone.press('c0', /e-?mail/i);
    await phone.say('0', /describe|query/i);
    await phone.say('The March estimate came back.', /check your details/i);
    const second = await phone.press('c0', /You are in the queue/);
    const now = /reference: \*([A-Z0-9-]+)\*/i.exec(second.text)![1]!;
    assert.deepEqual(await waiting(), [now.replace('-', '')]);
    // The same old button again, the second case waiting: it names the first case only; the one waiting now keeps its place.
    const again = await phone.pressOn(queued, leave.key, new RegExp(escapeRegExp(old)));
    assert.equal(again.text, t('en', 'cancel.notWaiting', { reference: old }));
    assert.deepEqual(await waiting(), [now.replace('-', '')]);
  });

  it('"Leave the queue" of a message no longer remembered (more than 8 messages with choices ago) does not leave the queue for the case waiting now: its case is not known', async () => {
    const waiting = async () => ((await (await signIn(service, 'thandi')).get('/api/queue')).body.waiting as { reference: string }[]).map((i) => i.reference);
    await phone.toReview('Account and billing', /082 123 4567/, 'My bill doubled in March.');
    const queued = await phone.press('c0', /You are in the queue/);
    const old = /reference: \*([A-Z0-9-]+)\*/i.exec(queued.text)![1]!;
    const leave = queued.choices?.find((c) => c.title === t('en', 'cards.queued.leave'));
    assert.ok(leave, queued.text);
    await phone.say('cancel', new RegExp(escapeRegExp(t('en', 'cancel.left', { reference: old }))));
    const now = await phone.joinQueue('Account and billing', /082 123 4567/, 'The March estimate came back.');
    // Eight messages with choices since: the first case's message is no longer remembered.
    for (let i = 0; i < 8; i++) await phone.say('language', new RegExp(escapeRegExp(t('en', 'language.intro').slice(0, 30))));
    await phone.say('status', new RegExp(escapeRegExp(now)));
    const told = await phone.pressOn(queued, leave.key, /earlier message/i);
    assert.doesNotMatch(told.text, /left the queue|cancelled/i, told.text);
    assert.deepEqual(await waiting(), [now.replace('-', '')], 'the case waiting now keeps its place');
  });

  it('still reads a press with an id sent before ids were tagged ("c0", "c1") by its title: a deploy in the middle of a chat', async () => {
    const welcome = await phone.say('Hi', /What is your query about\?/);
    const billing = welcome.choices?.find((c) => c.title.startsWith('Account and billing'));
    assert.ok(billing, welcome.text);
    // The conversation as a service before this change saved it: the latest choices, no tags.
    const { resources } = await db.conversations.items.query<{ id: string; reference: Record<string, unknown> }>('SELECT * FROM c').fetchAll();
    const stored = resources.find((r) => r.id.startsWith('whatsapp:'));
    assert.ok(stored);
    delete stored.reference.choicesTag;
    delete stored.reference.offers;
    await db.conversations.items.upsert(stored);
    // The old id of a button of another message, whose title is not the choice at its place: told so.
    const told = await phone.pressId(billing.key === 'c0' ? 'c1' : 'c0', 'Yes, this number', /earlier message/i);
    assert.match(told.text, /What is your query about\?|Account and billing/);
    // The same old form of id with the title as sent: that choice (the form's first question).
    const stripped = await db.conversations.items.query<{ id: string; reference: Record<string, unknown> }>('SELECT * FROM c').fetchAll();
    const again = stripped.resources.find((r) => r.id === stored.id)!;
    delete again.reference.choicesTag;
    delete again.reference.offers;
    await db.conversations.items.upsert(again);
    await phone.pressId(billing.key, billing.title, /account number/i);
    // An old id whose message is not known, with a command's words as its title: the command, as before
    // (outside a form: "cancel" leaves the form first).
    await phone.say('cancel', /./);
    await phone.pressId('c7', 'Check my place', /no open case/i);
  });
});

describe('WhatsApp: list rows whose title is too long', function () {
  this.timeout(60_000);
  let acs: AcsStandIn;
  let service: RunningService;

  before(async () => {
    acs = new AcsStandIn();
    await acs.start();
    service = await startService({ ...localSettings, acs: acsSettingsFor(acs, SECRET) }, { containers: await freshDatabase(), definition: definitionWithAgents(0), scheduler: { start: false } });
    await acs.subscribe(`${service.url}/api/whatsapp/events?key=${SECRET}`);
  });
  after(async () => {
    await service?.close();
    await acs?.close();
  });

  it('gives a row whose title is cut to 24 characters its whole title as the description WhatsApp shows under it (tester: "Rekening- en faktuurnav…"); other rows have none', async () => {
    const phone = phoneOn(acs, PHONE);
    const languages = await phone.say('language', new RegExp(escapeRegExp(t('en', 'language.intro').slice(0, 30))));
    const afrikaans = languages.choices?.find((c) => c.title === 'Afrikaans');
    assert.ok(afrikaans, languages.text);
    await phone.press(afrikaans.key, new RegExp(escapeRegExp(t('af', 'language.changed', { language: 'Afrikaans' }).slice(0, 20))));
    const welcome = await phone.say('Hallo', /Rekening/);
    const rows = (welcome.body.interactiveMessage as { action: { content: { groups: { items: { title: string; description?: string }[] }[] } } }).action.content.groups[0]!.items;
    const billing = rows.find((r) => r.title.startsWith('Rekening'));
    assert.deepEqual(billing, { ...billing, title: 'Rekening- en faktuurnav…', description: 'Rekening- en faktuurnavrae' });
    for (const row of rows.filter((r) => !r.title.endsWith('…'))) assert.ok(!('description' in row), `no description on "${row.title}", whose title is whole`);
    // The terminal phone shows it too, under the row, as WhatsApp does.
    assert.match(welcome.text, /\[c\d+\] Rekening- en faktuurnav…\n\s+Rekening- en faktuurnavrae/);
  });
});
