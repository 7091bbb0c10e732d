/**
 * A language changed in the middle of the form WhatsApp asks one question at a time ("isiZulu",
 * "Afrikaans" typed, or a language pressed on an old list): the question asked again, every later
 * one, the review and its buttons are in the new language, and the answers given so far are kept.
 * Through the ACS stand-in (devTools/acs.ts), the service over real HTTP, on Cosmos DB.
 */
import assert from 'node:assert/strict';
import { AcsStandIn } from '../../devTools/acs.js';
import { startService, type RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { acsSettingsFor, phoneOn, type Phone } from '../support/whatsapp.js';
import { definitionWithAgents, localSettings } from '../support/tabApi.js';
import { t, type Locale, type MessageKey } from '../../bot/messages/index.js';

const PHONE = '+27821234567';
const SECRET = 'a-secret-for-the-language-in-form-tests-0123456789';
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const words = (locale: Locale, key: MessageKey, params?: Record<string, unknown>) => new RegExp(escapeRegExp(t(locale, key as never, params as never)));

describe('WhatsApp: a language changed in the middle of the form', function () {
  this.timeout(60_000);
  let acs: AcsStandIn;
  let service: RunningService;
  let phone: Phone;

  beforeEach(async () => {
    acs = new AcsStandIn();
    await acs.start();
    service = await startService(
      { ...localSettings, acs: acsSettingsFor(acs, SECRET) },
      { containers: await freshDatabase(), definition: definitionWithAgents(0), scheduler: { start: false }, rateLimits: { bot: { burst: 200, perSecond: 100 } } },
    );
    await acs.subscribe(`${service.url}/api/whatsapp/events?key=${SECRET}`);
    phone = phoneOn(acs, PHONE);
  });
  afterEach(async () => {
    await service?.close();
    await acs?.close();
  });

  it('"isiZulu" typed at a question: that question again in isiZulu, then every later one, the review and its buttons; "Afrikaans" at the review: the review in Afrikaans; the answers kept', async () => {
    const welcome = await phone.say('Hi', /What is your query about\?/);
    const billing = welcome.choices?.find((c) => c.title.startsWith('Account and billing'));
    assert.ok(billing, welcome.text);
    await phone.press(billing.key, /account number/i);
    await phone.say('501234567', /account holder/i);
    // At the account holder's name, "isiZulu": that question again, in isiZulu, not the form from its start.
    const mark = acs.mark(PHONE);
    await phone.say('isiZulu', words('zu', 'language.changed', { language: 'isiZulu' }));
    const note = await acs.waitFor(PHONE, (m) => words('zu', 'language.formAgainAsked').test(m.text), mark);
    await acs.waitFor(PHONE, (m) => m.n > note.n && words('zu', 'fields.accountHolder.label').test(m.text), mark);
    const since = acs.inbox(PHONE, mark).map((m) => m.text).join('\n---\n');
    assert.doesNotMatch(since, /account holder|account number/i, since);
    assert.doesNotMatch(since, words('zu', 'fields.accountNumber.label'), 'not asked again from the start');
    // The mobile number's confirmation and its buttons in isiZulu.
    const confirm = await phone.say('Lerato Molefe', words('zu', 'whatsapp.mobileYes'));
    assert.deepEqual(
      confirm.choices?.map((c) => c.title),
      [t('zu', 'whatsapp.mobileYes'), t('zu', 'whatsapp.mobileOther')],
    );
    await phone.press('c0', words('zu', 'fields.email.label'));
    await phone.say('0', words('zu', 'fields.description.label'));
    const review = await phone.say('Ibhili yami iphindwe kabili ngoMashi.', words('zu', 'whatsapp.review'));
    // The answers typed in English kept, under their isiZulu labels; the buttons in isiZulu.
    assert.match(review.text, new RegExp(`${escapeRegExp(t('zu', 'fields.accountNumber.label'))}: 501 ?234 ?567`), review.text);
    assert.match(review.text, new RegExp(`${escapeRegExp(t('zu', 'fields.accountHolder.label'))}: Lerato Molefe`), review.text);
    assert.deepEqual(
      review.choices?.map((c) => c.title),
      [t('zu', 'cards.intake.joinNow'), t('zu', 'whatsapp.reviewChange')],
    );
    // "Afrikaans" at the review: the review again, in Afrikaans, the answers still there.
    const reviewMark = acs.mark(PHONE);
    await phone.say('Afrikaans', words('af', 'language.changed', { language: 'Afrikaans' }));
    const again = await acs.waitFor(PHONE, (m) => words('af', 'whatsapp.review').test(m.text), reviewMark);
    assert.match(again.text, new RegExp(`${escapeRegExp(t('af', 'fields.accountHolder.label'))}: Lerato Molefe`), again.text);
    assert.deepEqual(
      again.choices?.map((c) => c.title),
      [t('af', 'cards.intake.joinNow'), t('af', 'whatsapp.reviewChange')],
    );
    // "Change something" in Afrikaans too, then sent: one case, queued in Afrikaans.
    const which = await phone.press('c1', words('af', 'whatsapp.whichChange'));
    // A list row's title is cut to WhatsApp's 24 characters: the label's start finds it.
    const holder = which.choices?.find((c) => c.title.startsWith(t('af', 'fields.accountHolder.label').slice(0, 20)));
    assert.ok(holder, which.text);
    await phone.press(holder.key, words('af', 'fields.accountHolder.label'));
    await phone.say('Lerato M. Molefe', words('af', 'whatsapp.review'));
    const queued = await phone.press('c0', /\*[2-9A-Z]{3}-[2-9A-Z]{3}\*/);
    assert.doesNotMatch(queued.text, /You are in the queue/, queued.text);
    assert.equal(note.text, t('zu', 'language.formAgainAsked'));
  });
});
