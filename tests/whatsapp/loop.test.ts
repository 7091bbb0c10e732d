/**
 * The whole loop on WhatsApp (issue 18), through the same client code as production: a phone
 * writes through the local Communication Services stand-in (devTools/acs.ts), which posts Event
 * Grid events to the service's webhook and records what the service sends through the ACS
 * Messages REST API (HMAC-signed, checked as ACS checks it); the expert works in the tab API over
 * real HTTP; the store is the embedded Cosmos DB server.
 */
import assert from 'node:assert/strict';
import { AcsStandIn, type Received } from '../../devTools/acs.js';
import { startService, type RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { acsSettingsFor, phoneOn } from '../support/whatsapp.js';
import { definitionWithAgents, localSettings, signIn, type ApiClient } from '../support/tabApi.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import { t } from '../../bot/messages/index.js';
import { categoryName } from '../../bot/messages/programme.js';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const PHONE = '+27821234567';
const SECRET = 'a-secret-of-our-own-for-event-grid-0123456789';

describe('WhatsApp: the whole loop through the ACS stand-in', function () {
  this.timeout(60_000);
  let acs: AcsStandIn;
  let service: RunningService;
  let thandi: ApiClient;
  let now: Date;

  async function start(definition: ServiceDefinition = definitionWithAgents(0), botLimit = { burst: 200, perSecond: 100 }) {
    acs = new AcsStandIn();
    await acs.start();
    const db = await freshDatabase();
    service = await startService(
      { ...localSettings, acs: acsSettingsFor(acs, SECRET) },
      { containers: db, definition, clock: { now: () => now }, liveEvents: { pollIntervalMs: 150 }, scheduler: { start: false }, rateLimits: { bot: botLimit } },
    );
    await acs.subscribe(`${service.url}/api/whatsapp/events?key=${SECRET}`);
    thandi = await signIn(service, 'thandi');
  }

  beforeEach(() => {
    now = new Date();
  });
  afterEach(async () => {
    await service?.close();
    await acs?.close();
  });

  /** Sends, then waits for the next message matching. */
  const say = (text: string, expect: RegExp) => phoneOn(acs, PHONE).say(text, expect);
  const press = (choiceId: string, expect: RegExp) => phoneOn(acs, PHONE).press(choiceId, expect);

  it('intake with a mistake, queued, claimed in the tab, a photo kept and shown, relay both ways, resolved, survey with buttons', async () => {
    await start();
    // Hi: the welcome, as a list of categories.
    const welcome = await say('Hi', /What is your query about\?/);
    assert.equal(welcome.body.kind, 'interactive');
    const billing = /\[(c\d+)\] Account and billing/.exec(welcome.text)?.[1];
    assert.ok(billing, welcome.text);
    // The form, one question at a time, with the privacy notice first.
    await press(billing, /account number/i);
    assert.ok(acs.inbox(PHONE).some((m) => /outside South Africa \(POPIA section 72\)/.test(m.text)), 'the notice says where the messages go');
    assert.ok(!acs.inbox(PHONE).some((m) => /OneDrive|Teams/.test(m.text)), 'nothing about Teams or OneDrive on WhatsApp');
    // A mistake: the intake's own check and message, and the same question again.
    const wrong = await say('12345', /an account number has 9/i);
    assert.match(wrong.text, /account number/i);
    await say('501234567', /account holder|name/i);
    // The mobile number WhatsApp knows is confirmed, not asked.
    const confirm = await say('Lerato Molefe', /082 123 4567/);
    assert.equal(confirm.body.kind, 'interactive');
    await press('c0', /e-?mail/i);
    await say('0', /describe|query/i);
    // The review: "1 join the queue, 2 change something".
    const review = await say('My bill doubled in March and nobody has explained why.', /check your details/i);
    assert.match(review.text, /Lerato Molefe/);
    assert.match(review.text, /\[c1\] Change something/);
    // Change something: the account holder.
    const which = await press('c1', /Which detail/);
    const holder = /\[(c\d+)\] [^\n]*(holder|name)/i.exec(which.text)?.[1];
    assert.ok(holder, which.text);
    await press(holder, /holder|name/i);
    const again = await say('Lerato M. Molefe', /check your details/i);
    assert.match(again.text, /Lerato M\. Molefe/);
    const queued = await press('c0', /You are in the queue/);
    const reference = /reference: \*([A-Z0-9-]+)\*/i.exec(queued.text)?.[1];
    assert.ok(reference, queued.text);
    // "my data" says what WhatsApp brings (the number, the name), not Teams'.
    const mine = await say('my data', /your WhatsApp number and the name WhatsApp shows/);
    assert.doesNotMatch(mine.text, /Teams|OneDrive/);

    // Claimed in the tab: the case came from WhatsApp, with the details as typed.
    const claimed = await thandi.post('/api/queue/claim-next');
    assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
    assert.equal(claimed.body.displayReference, reference);
    await acs.waitFor(PHONE, (m) => /You are now connected with Thandi/.test(m.text));

    // A photo of the bill: downloaded through the media API, kept, shown to the expert as the picture.
    const photo = Buffer.from('\xff\xd8\xff\xe0 a photo of the March bill', 'latin1');
    assert.equal(await acs.photo(PHONE, photo, 'March bill'), 200);
    const withPhoto = await waitForTranscript(reference, (t) => t.some((e) => (e as { attachments?: unknown[] }).attachments?.length));
    const kept = (withPhoto.transcript as { text: string; attachments?: { url: string; linkable: boolean; contentType: string }[] }[]).find((e) => e.attachments?.length)!;
    assert.equal(kept.text, 'March bill');
    assert.deepEqual(
      kept.attachments!.map((a) => [a.contentType, a.linkable, a.url]),
      [['image/jpeg', true, `data:image/jpeg;base64,${photo.toString('base64')}`]],
    );
    assert.ok(acs.requests.some((r) => r.method === 'GET' && r.path.startsWith('/messages/streams/')), 'downloaded through the media API');

    // Relay both ways.
    await acs.say(PHONE, 'Hello Thandi, thank you.');
    const page = await waitForTranscript(reference, (t) => t.some((e) => e.from === 'ratepayer' && e.text === 'Hello Thandi, thank you.'));
    assert.ok(page);
    const mark = acs.mark(PHONE);
    assert.equal((await thandi.post(`/api/cases/${reference}/messages`, { text: 'I see the March reading was estimated.' })).status, 200);
    await acs.waitFor(PHONE, (m) => /Thandi \(.*expert\): I see the March reading was estimated\./.test(m.text), mark);

    // "cancel" while with the expert: the question whether to end the chat, answered at once (the
    // relay sends it while this very message is being handled), and "No" carries on.
    const ask = await say('cancel', /Do you want to end the chat with Thandi\?/);
    const carryOn = /\[(c\d+)\] No, carry on/.exec(ask.text)?.[1];
    assert.ok(carryOn, ask.text);
    await press(carryOn, /still connected with Thandi/);

    // Resolved: the summary (as typed: no escapes meant for cards), then the survey, with its ratings to choose.
    const resolveMark = acs.mark(PHONE);
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'The estimate was replaced by the actual reading. R1 240 credited (see [the bill]).' })).status, 200);
    const summary = await acs.waitFor(PHONE, (m) => /The estimate was replaced/.test(m.text), resolveMark);
    assert.match(summary.text, /The estimate was replaced by the actual reading\. R1 240 credited \(see \[the bill\]\)\./);
    assert.doesNotMatch(summary.text, /\\/);
    const survey = await acs.waitFor(PHONE, (m) => /satisfied/i.test(m.text), resolveMark);
    assert.equal(survey.body.kind, 'interactive');
    const five = /\[(c\d+)\] 5/.exec(survey.text)?.[1];
    assert.ok(five, survey.text);
    await press(five, /Anything you would like to tell us/);
    await say('Quick and kind.', /Thank you for your feedback/);
    const final = await thandi.get(`/api/cases/${reference}`);
    assert.equal(final.body.survey.rating, 5);
    assert.equal(final.body.survey.comment, 'Quick and kind.');
    // The tab shows what the ratepayer saw on WhatsApp: text, not a card.
    const shown = final.body.transcript as { text: string; card?: unknown }[];
    assert.ok(shown.some((e) => /How satisfied are you/.test(e.text) && !e.card));
  });

  it('asks a number that is not the mobile number (household size) as a question, and confirms only the mobile number from WhatsApp', async () => {
    await start();
    await phoneOn(acs, PHONE).startIntake('Indigent', /082 123 4567/);
    await press('c0', /e-?mail/i);
    await say('0', /ID number/i);
    // The household size has a number keyboard on a card ("tel" style there): here it is asked, not taken for the mobile number.
    const household = await say('8001015009087', /People in your household/);
    assert.doesNotMatch(household.text, /082 123 4567/, household.text);
    await say('4', /Monthly household income/);
  });

  it('repeats a wrong household size exactly as typed: a mobile number keeps its leading zero', async () => {
    await start();
    await phoneOn(acs, PHONE).startIntake('Indigent', /082 123 4567/);
    await press('c0', /e-?mail/i);
    await say('0', /ID number/i);
    await say('8001015009087', /People in your household/);
    const mobile = await say('0821234567', /should be from 1 to 50/);
    assert.match(mobile.text, /you typed 0821234567\./, mobile.text);
    // Spaces and a sign as typed too, with no Markdown escape (WhatsApp shows text as it is).
    const spaced = await say('-082 123 4567', /should be from 1 to 50/);
    assert.match(spaced.text, /you typed -082 123 4567\./, spaced.text);
    await say('4', /Monthly household income/);
  });

  it('tells an isiZulu ratepayer an answer has too many characters ("kunezinhlamvu eziningi kakhulu"), not that it is "far" ("kude")', async () => {
    await start();
    const label = (field: string) => new RegExp(escapeRegExp(t('zu', `fields.${field}.label` as never)));
    const welcome = await say('Sawubona', /Umbuzo wakho umayelana nani\?/);
    // A list row's title is cut to WhatsApp's 24 characters: the name's start finds it.
    const indigent = new RegExp(`\\[(c\\d+)\\] ${escapeRegExp(categoryName(definitionWithAgents(0), 'indigent', 'zu').slice(0, 20))}`).exec(welcome.text)?.[1];
    assert.ok(indigent, welcome.text);
    await press(indigent, label('accountNumber'));
    await say('501234567', label('accountHolder'));
    await say('Lerato Molefe', /082 123 4567/);
    await press('c0', label('email'));
    await say('0', label('idNumber'));
    await say('8001015009087', label('householdSize'));
    const tooLong = await say('9'.repeat(101), new RegExp(escapeRegExp(t('zu', 'fields.householdSize.name'))));
    assert.match(tooLong.text, /kunezinhlamvu eziningi kakhulu/, tooLong.text);
    assert.doesNotMatch(tooLong.text, /\bkude\b/, tooLong.text);
  });

  it('takes a number typed at "is this the best number?" as the other number, checked as the intake checks it; the review writes numbers as people do', async () => {
    await start();
    await phoneOn(acs, PHONE).startIntake('Account and billing', /082 123 4567/);
    // A landline: the intake's own message, and the question asked (not the confirmation again).
    const landline = await say('011 407 6111', /mobile/i);
    assert.doesNotMatch(landline.text, /Is it the best number/, landline.text);
    await say('083 555 1234', /e-?mail/i);
    await say('0', /describe|query/i);
    const review = await say('My bill doubled in March.', /check your details/i);
    assert.match(review.text, /083 555 1234/);
  });

  it('takes "no" typed at "is this the best number?", in any of the seven languages, as "another number" and asks for it; "yes" words confirm', async () => {
    await start();
    // Each word from its own phone (a conversation each), all at once: the words of every catalogue are understood in any chat.
    const noWords = ['No', 'cha', 'Hayi.', 'nee', 'aowa', 'tjhe', 'che', 'nnyaa'];
    await Promise.all(
      noWords.map(async (word, i) => {
        const phone = phoneOn(acs, `+2782555010${i}`);
        await phone.startIntake('Account and billing', /Is it the best number/);
        const asked = await phone.say(word, /Mobile number/);
        // The question, not an error and not the confirmation again.
        assert.doesNotMatch(asked.text, /Is it the best number|choose|cellphone number has|digits/i, `${word}: ${asked.text}`);
        await phone.say('083 555 1234', /e-?mail/i);
      }),
    );
    const yesWords = ['yes', 'Yebo!', 'ewe', 'ja', 'ee', 'e'];
    await Promise.all(
      yesWords.map(async (word, i) => {
        const phone = phoneOn(acs, `+2782555020${i}`);
        await phone.startIntake('Account and billing', /Is it the best number/);
        // Confirmed: the next question (the email address), the WhatsApp number kept.
        await phone.say(word, /e-?mail/i);
        await phone.say('0', /describe|query/i);
        const review = await phone.say('My bill doubled in March.', /check your details/i);
        assert.match(review.text, new RegExp(`: 082 555 020${i}`), `${word}: ${review.text}`);
      }),
    );
  });

  it('leaves an optional question out for "skip" (or its word in another language), as for 0', async () => {
    await start();
    await phoneOn(acs, PHONE).startIntake('Account and billing', /082 123 4567/);
    await press('c0', /e-?mail/i);
    await say('Skip.', /describe|query/i);
    const review = await say('My bill doubled in March.', /check your details/i);
    assert.match(review.text, /E-?mail[^\n]*: \(left out\)/i, review.text);
    // A required question is not left out that way: "skip" is read as an answer and checked.
    const change = await press('c1', /Which detail/);
    const account = /\[(c\d+)\] [^\n]*account number/i.exec(change.text)?.[1];
    assert.ok(account, change.text);
    await press(account, /account number/i);
    await say('yeqa', /An account number has/);
  });

  it('writes the WhatsApp number in the review as people write it when it is confirmed', async () => {
    await start();
    const review = await phoneOn(acs, PHONE).toReview('Account and billing', /082 123 4567/, 'My bill doubled in March.');
    assert.match(review.text, /: 082 123 4567/, review.text);
  });

  it('answers in the language the ratepayer greets in, and the language command changes it for the rest of the chat (issue 16)', async () => {
    await start();
    // "Sawubona": isiZulu, from the first words, as in Teams.
    const welcome = await say('Sawubona', /Umbuzo wakho umayelana nani\?/);
    assert.equal(welcome.body.kind, 'interactive');
    // The language command, in isiZulu: the served languages, each in its own name.
    const languages = await say('ulimi', /Afrikaans/);
    const afrikaans = /\[(c\d+)\] Afrikaans/.exec(languages.text)?.[1];
    assert.ok(afrikaans, languages.text);
    await press(afrikaans, /Ek skryf van nou af in Afrikaans/);
    // It sticks: a plain "hi" is answered in Afrikaans, not English.
    await say('hi', /Waaroor gaan jou navraag\?/);
  });

  it('answers a command typed in the middle of the form and asks the same question again, keeping the answers so far', async () => {
    await start();
    const welcome = await say('Hi', /What is your query about\?/);
    const billing = /\[(c\d+)\] Account and billing/.exec(welcome.text)?.[1]!;
    await press(billing, /account number/i);
    await say('501234567', /account holder|name/i);
    // "status" instead of the name: answered (the form is not sent yet, not "type the kind of
    // query", which would start another), then the name asked again.
    const mark = acs.mark(PHONE);
    const answered = await say('status', /no open case/i);
    assert.match(answered.text, /not sent yet: answer the question below/);
    assert.doesNotMatch(answered.text, /type the kind of query/i);
    await acs.waitFor(PHONE, (m) => /account holder|name/i.test(m.text), mark);
    // The form carries on where it was: the account number typed before is kept.
    await say('Lerato Molefe', /082 123 4567/);
    await press('c0', /e-?mail/i);
    await say('0', /describe|query/i);
    const review = await say('My bill doubled in March.', /check your details/i);
    assert.match(review.text, /501 ?234 ?567/);
  });

  it('does not take a button of an earlier message, pressed in the middle of the form, as an answer, a skip or the review\'s choice', async () => {
    await start();
    const phone = phoneOn(acs, PHONE);
    const welcome = await phone.say('Hi', /What is your query about\?/);
    const billing = /\[(c\d+)\] Account and billing/.exec(welcome.text)?.[1];
    assert.ok(billing, welcome.text);
    await phone.press(billing, /account number/i);
    await phone.say('501234567', /account holder|name/i);
    // Scrolled up and pressed "Account and billing" again: not the account holder's name.
    const again = await phone.pressOn(welcome, billing, /account holder|name/i);
    assert.match(again.text, /earlier message/i);
    const confirm = await phone.say('Lerato Molefe', /082 123 4567/);
    await phone.press('c0', /e-?mail/i);
    // On the optional e-mail question, the mobile number's "Yes, this number" pressed again: not a skip.
    const notSkipped = await phone.pressOn(confirm, 'c0', /e-?mail/i);
    assert.match(notSkipped.text, /earlier message/i);
    await phone.say('lerato@example.co.za', /describe|query/i);
    const review = await phone.say('My bill doubled in March.', /check your details/i);
    assert.match(review.text, /Lerato Molefe/);
    assert.match(review.text, /lerato@example\.co\.za/);
    // On the review, "Yes, this number" (also the first button of its message) is not "join the queue".
    const reviewAgain = await phone.pressOn(confirm, 'c0', /check your details/i);
    assert.match(reviewAgain.text, /earlier message/i);
    const queued = await phone.press('c0', /in the queue|queued|your case/i);
    // After the form: the review's old "Change something" (c1) is not the queued message's c1
    // ("Leave the queue"), and the case stays in the queue (tester 8).
    const leave = /\[c1\] (.+)/.exec(queued.text)?.[1];
    assert.ok(leave, queued.text);
    const notLeft = await phone.pressOn(reviewAgain, 'c1', /earlier message/i);
    assert.match(notLeft.text, new RegExp(`\\[c1\\] ${leave}`), 'the current choices again');
    await phone.say('status', /number 1|place/i);
    // An old button that is still meaningful ("Check my place") still does what it says.
    await phone.pressOn(queued, 'c0', /number 1|place/i);
  });

  it('takes a command typed in the ratepayer\'s language in the middle of a form as the command, answered with the form kept (issue 16)', async () => {
    await start();
    const welcome = await say('Sawubona', /Umbuzo wakho umayelana nani\?/);
    const billing = /\[(c\d+)\] /.exec(welcome.text)?.[1];
    assert.ok(billing, welcome.text);
    // The form's first question, in isiZulu; "isimo" (status) is not taken as the account number.
    await press(billing, new RegExp(escapeRegExp(t('zu', 'fields.accountNumber.label')), 'i'));
    await say('isimo', new RegExp(escapeRegExp(t('zu', 'status.noOpenCases'))));
    // Nor is "imininingwane yami" (my data).
    await say('Imininingwane yami', new RegExp(escapeRegExp(t('zu', 'cards.myData.none'))));
  });

  it('"my data" in the middle of a form lists the answers kept so far, in the person\'s language, then asks the question again (tester 8, finding 8)', async () => {
    await start();
    const welcome = await say('Sawubona', /Umbuzo wakho umayelana nani\?/);
    const billing = /\[(c\d+)\] /.exec(welcome.text)?.[1];
    assert.ok(billing, welcome.text);
    const holder = new RegExp(escapeRegExp(t('zu', 'fields.accountHolder.label')), 'i');
    await press(billing, new RegExp(escapeRegExp(t('zu', 'fields.accountNumber.label')), 'i'));
    await say('323456789', holder);
    const mark = acs.mark(PHONE);
    const kept = await say('imininingwane yami', new RegExp(escapeRegExp(t('zu', 'myData.formSoFar', { answers: '', days: service.definition.limits.retentionDays }).trim())));
    assert.match(kept.text, new RegExp(`${escapeRegExp(t('zu', 'fields.accountNumber.label'))}: 323 ?456 ?789`), 'the account number typed, under its isiZulu label');
    const said = acs.inbox(PHONE, mark).map((m) => m.text).join('\n---\n');
    assert.doesNotMatch(said, new RegExp(escapeRegExp(t('zu', 'cards.myData.none'))), 'not "we hold nothing"');
    assert.match(said, new RegExp(escapeRegExp(t('zu', 'cards.myData.noneFormKept'))));
    // Then the question the command interrupted, and the answer kept: the name is the next answer.
    const again = await acs.waitFor(PHONE, (m) => holder.test(m.text) && m.n > kept.n, mark);
    assert.ok(again);
    await say('Sipho Zulu', new RegExp(escapeRegExp(t('zu', 'whatsapp.mobileYes'))));
  });

  it('"status" on the form\'s review says to check the details below, not to answer a question, and the review comes again (tester 8)', async () => {
    await start();
    await phoneOn(acs, PHONE).toReview('Account and billing', /082 123 4567/, 'My bill doubled in March.');
    const mark = acs.mark(PHONE);
    const told = await say('status', new RegExp(escapeRegExp(t('en', 'status.formReview', { none: t('en', 'status.noOpenCases') }))));
    assert.doesNotMatch(told.text, /answer the question below/i);
    await acs.waitFor(PHONE, (m) => /check your details/i.test(m.text), mark);
  });

  it('answers only the configured subscription: 401 without the secret or with a wrong one, before reading anything', async () => {
    await start();
    const url = `${service.url}/api/whatsapp/events`;
    for (const target of [url, `${url}?key=wrong`, `${url}?key=${SECRET.slice(0, -1)}`]) {
      const status = await acs.publish('Microsoft.Communication.AdvancedMessageReceived', { from: PHONE.slice(1), content: 'Hi', receivedTimestamp: new Date().toISOString() }, undefined, target);
      assert.equal(status, 401, target);
    }
    assert.equal(acs.inbox(PHONE).length, 0);
    // With the secret, a body over the service's limit is refused whole (413), as on every route.
    const big = await fetch(`${url}?key=${SECRET}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ id: 'x', eventType: 'Microsoft.Communication.AdvancedMessageReceived', data: { from: PHONE.slice(1), content: 'y'.repeat(300_000) } }]) });
    assert.equal(big.status, 413);
    assert.equal(acs.inbox(PHONE).length, 0);
  });

  it('holds each sender to the per-conversation rate limit: a flood is skipped, others are answered', async () => {
    await start(definitionWithAgents(0), { burst: 2, perSecond: 0.01 });
    for (let i = 0; i < 5; i++) assert.equal(await acs.say(PHONE, 'Hi'), 200);
    await acs.waitFor(PHONE, (m) => /What is your query about/.test(m.text));
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(acs.inbox(PHONE).filter((m) => /What is your query about/.test(m.text)).length, 2);
    const other = '+27839998888';
    assert.equal(await acs.say(other, 'Hi'), 200);
    await acs.waitFor(other, (m) => /What is your query about/.test(m.text));
  });

  it('reads a rating typed as a digit as that rating, not as its place in the list', async () => {
    await start();
    await phoneOn(acs, PHONE).toReview('Account and billing', /082 123 4567/, 'My bill doubled in March.');
    const queued = await press('c0', /You are in the queue/);
    const reference = /reference: \*([A-Z0-9-]+)\*/i.exec(queued.text)![1]!;
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    const mark = acs.mark(PHONE);
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Corrected.' })).status, 200);
    const survey = await acs.waitFor(PHONE, (m) => /satisfied/i.test(m.text), mark);
    // The list shows 5 first: typing "2" means the rating 2, whatever its place.
    assert.match(survey.text, /\[c0\] 5/);
    // "status" while the survey is asked: no form to send, so not "answer the question below to
    // join the queue" (tester 9, finding 1); the survey's question comes again.
    const statusMark = acs.mark(PHONE);
    const told = await say('status', /open case/i);
    assert.doesNotMatch(told.text, new RegExp(escapeRegExp(t('en', 'status.formNotSent', { none: t('en', 'status.noOpenCases') }).slice(-40))));
    assert.doesNotMatch(told.text, /not sent yet|join the queue/i, told.text);
    await acs.waitFor(PHONE, (m) => /satisfied/i.test(m.text), statusMark);
    await say('2', /Anything you would like to tell us/);
    await say('0', /Thank you for your feedback/);
    assert.equal((await thandi.get(`/api/cases/${reference}`)).body.survey.rating, 2);
  });

  it('sends again when ACS throttles (429, after its Retry-After) or fails for a moment (503)', async () => {
    await start();
    acs.refuseNext.push(429, 503);
    assert.equal(await acs.say(PHONE, 'Hi'), 200);
    await acs.waitFor(PHONE, (m) => /What is your query about/.test(m.text));
    const sends = acs.requests.filter((r) => r.path === '/messages/notifications:send');
    assert.equal(sends.length, 3, 'two refused, the third taken');
  });

  it('processes an event Event Grid delivers twice once', async () => {
    await start();
    assert.equal(await acs.say(PHONE, 'Hi', { eventId: 'event-1' }), 200);
    await acs.waitFor(PHONE, (m) => /What is your query about/.test(m.text));
    assert.equal(await acs.say(PHONE, 'Hi', { eventId: 'event-1' }), 200);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(acs.inbox(PHONE).filter((m) => /What is your query about/.test(m.text)).length, 1);
  });

  async function waitForTranscript(reference: string, test: (t: { from: string; text: string }[]) => boolean) {
    const until = Date.now() + 8000;
    for (;;) {
      const page = await thandi.get(`/api/cases/${reference}`);
      if (test(page.body.transcript)) return page.body;
      if (Date.now() > until) assert.fail(JSON.stringify(page.body.transcript, null, 1));
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});
