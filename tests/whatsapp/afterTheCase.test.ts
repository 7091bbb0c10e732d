/**
 * After a WhatsApp ratepayer's case is resolved, through the real HTTP path (the ACS stand-in,
 * devTools/acs.ts; the tab API; the Translator's stand-in; the embedded Cosmos DB server): the
 * survey answered with a number typed or its button once the receipt has come below it, and in
 * the language chosen in the middle of it; "status
 * K7M-3PQ" quoting the summary in the ratepayer's language (machine-translated and marked, or
 * marked as not translated), and "heropen K7M-3PQ" (Afrikaans) within the reopen period and after it.
 */
import assert from 'node:assert/strict';
import { AcsStandIn, type Received } from '../../devTools/acs.js';
import { startService, type RunningService } from '../../bot/service.js';
import { startTranslatorStandIn, type TranslatorStandIn } from '../../devTools/translator/server.js';
import { translatorFromSettings } from '../../bot/platform/translator/client.js';
import { freshDatabase } from '../support/cosmos.js';
import { acsSettingsFor, phoneOn, type Phone } from '../support/whatsapp.js';
import { definitionWithAgents, localSettings, signIn, type ApiClient } from '../support/tabApi.js';
import { t, type Locale, type MessageKey } from '../../bot/messages/index.js';

const PHONE = '+27821234567';
const SECRET = 'a-secret-for-the-after-the-case-tests-0123456789';
const DAY = 86_400_000;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const words = (locale: Locale, key: MessageKey, params?: Record<string, unknown>) => new RegExp(escapeRegExp(t(locale, key as never, params as never)));

describe('WhatsApp: after the case is resolved', function () {
  this.timeout(60_000);
  let acs: AcsStandIn;
  let translator: TranslatorStandIn;
  let service: RunningService;
  let thandi: ApiClient;
  let phone: Phone;
  let now: Date;

  beforeEach(async () => {
    now = new Date();
    acs = new AcsStandIn();
    await acs.start();
    translator = await startTranslatorStandIn();
    service = await startService(
      { ...localSettings, acs: acsSettingsFor(acs, SECRET) },
      {
        containers: await freshDatabase(),
        definition: definitionWithAgents(0),
        clock: { now: () => now },
        liveEvents: { pollIntervalMs: 150 },
        scheduler: { start: false },
        rateLimits: { bot: { burst: 200, perSecond: 100 } },
        translator: translatorFromSettings({ endpoint: translator.url, auth: { kind: 'key', key: translator.auth.key!, region: translator.auth.region! }, timeoutMs: 1000 }),
      },
    );
    await acs.subscribe(`${service.url}/api/whatsapp/events?key=${SECRET}`);
    thandi = await signIn(service, 'thandi');
    phone = phoneOn(acs, PHONE);
  });
  afterEach(async () => {
    await service?.close();
    await acs?.close();
    await translator?.close();
  });

  /** Queued in English, then (with `language`) the language typed; claimed by Thandi and resolved with `summary`. Resolves with the reference and what came after the resolution (the survey, the receipt). */
  async function resolved(summary: string, language?: { typed: string; locale: Locale; name: string }): Promise<{ reference: string; survey: Received; receipt: Received }> {
    const reference = await phone.joinQueue('Account and billing', /082 123 4567/, 'My bill doubled in March.');
    const locale = language?.locale ?? 'en';
    if (language) await phone.say(language.typed, words(locale, 'language.changed', { language: language.name }));
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    const mark = acs.mark(PHONE);
    assert.equal((await thandi.post(`/api/cases/${reference.replace('-', '')}/resolve`, { outcome: 'resolved', summary })).status, 200);
    const survey = await acs.waitFor(PHONE, (m) => m.text.includes(t(locale, 'cards.survey.question')), mark);
    const receipt = await acs.waitFor(PHONE, (m) => m.text.includes(t(locale, 'followThrough.receipt.keep')), mark);
    return { reference, survey, receipt };
  }

  describe('the survey', () => {
    it('takes a rating typed as a number once the receipt has come after the survey, and the comment', async () => {
      const { reference } = await resolved('Explained the estimate.');
      await phone.say('4', /Anything you would like to tell us/);
      await phone.say('Thank you.', /Thank you for your feedback/);
      const page = await thandi.get(`/api/cases/${reference.replace('-', '')}`);
      assert.equal(page.body.survey.rating, 4);
      assert.equal(page.body.survey.comment, 'Thank you.');
    });

    it('takes the survey\'s own button pressed once the receipt has come below it (WhatsApp keeps it pressable): the rating, not "an earlier message"', async () => {
      const { reference, survey, receipt } = await resolved('Explained the estimate.');
      assert.ok(receipt.n > survey.n, 'the receipt came after the survey\'s question');
      const three = survey.choices?.find((c) => c.title.startsWith('3'));
      assert.ok(three, survey.text);
      const next = await phone.pressOn(survey, three.key, /Anything you would like to tell us|earlier message/);
      assert.doesNotMatch(next.text, /earlier message/i, next.text);
      await phone.say('0', /Thank you for your feedback/);
      assert.equal((await thandi.get(`/api/cases/${reference.replace('-', '')}`)).body.survey.rating, 3);
    });

    it('asks the survey\'s question again in the language chosen in the middle of it ("isiZulu"), with its ratings, then the comment, in isiZulu', async () => {
      const { reference } = await resolved('Explained the estimate.');
      const mark = acs.mark(PHONE);
      await phone.say('isiZulu', words('zu', 'language.changed', { language: 'isiZulu' }));
      const asked = await acs.waitFor(PHONE, (m) => m.text.includes(t('zu', 'cards.survey.question')), mark);
      // A list row's title is cut to WhatsApp's 24 characters: compared by its start.
      assert.deepEqual(
        asked.choices?.map((c) => c.title.slice(0, 20)),
        (['5', '4', '3', '2', '1'] as const).map((n) => t('zu', `cards.survey.rating${n}`).slice(0, 20)),
      );
      const four = asked.choices!.find((c) => c.title.startsWith(t('zu', 'cards.survey.rating4').slice(0, 20)))!;
      await phone.press(four.key, words('zu', 'cards.survey.comment'));
      await phone.say('Ngiyabonga.', words('zu', 'survey.thanks'));
      const page = await thandi.get(`/api/cases/${reference.replace('-', '')}`);
      assert.equal(page.body.survey.rating, 4);
    });
  });

  describe('"status K7M-3PQ"', () => {
    it('quotes the summary machine-translated into the ratepayer\'s language, marked so; in another language since, as written and marked as not translated', async () => {
      const { reference } = await resolved('Explained the estimate. R1 240 credited.', { typed: 'isiZulu', locale: 'zu', name: 'isiZulu' });
      const zulu = await phone.say(`isimo ${reference}`, new RegExp(escapeRegExp(reference)));
      assert.match(zulu.text, new RegExp(escapeRegExp(`[zu] Explained the estimate. R1 240 credited. ${t('zu', 'translation.machineTranslated')}`)), zulu.text);
      // Afrikaans since: no translation into Afrikaans is kept, so the summary as written, marked so, in Afrikaans.
      await phone.say('Afrikaans', words('af', 'language.changed', { language: 'Afrikaans' }));
      const afrikaans = await phone.say(`status ${reference}`, new RegExp(escapeRegExp(reference)));
      assert.match(afrikaans.text, new RegExp(escapeRegExp(`Explained the estimate. R1 240 credited. ${t('af', 'translation.notTranslated')}`)), afrikaans.text);
      assert.doesNotMatch(afrikaans.text, /\[zu\]/);
    });

    it('in English (the experts\' language) quotes the summary as written, unmarked', async () => {
      const { reference } = await resolved('Explained the estimate.');
      const told = await phone.say(`status ${reference}`, new RegExp(escapeRegExp(reference)));
      assert.match(told.text, /Explained the estimate\.$/m, told.text);
      assert.doesNotMatch(told.text, /translated/i);
    });
  });

  /** Sends `text` as received by WhatsApp at the service's `now` (days later), then waits as Phone.say does. */
  async function sayLater(text: string, expect: RegExp): Promise<Received> {
    const mark = acs.mark(PHONE);
    assert.equal(await acs.say(PHONE, text, { receivedAt: now.toISOString() }), 200);
    return acs.waitFor(PHONE, (m) => expect.test(m.text), mark);
  }
  // Signed in afresh: her earlier token has expired by the service's clock, days later.
  const waiting = async () => ((await (await signIn(service, 'thandi')).get('/api/queue')).body.waiting as { reference: string }[]).map((i) => i.reference);

  describe('"heropen K7M-3PQ" in Afrikaans', () => {
    it('within the reopen period: the case open again and at the front of the queue, told in Afrikaans', async () => {
      const { reference } = await resolved('Explained the estimate.', { typed: 'Afrikaans', locale: 'af', name: 'Afrikaans' });
      now = new Date(now.getTime() + 3 * DAY);
      const reopened = await sayLater(`heropen ${reference}`, new RegExp(escapeRegExp(reference)));
      assert.match(reopened.text, new RegExp(`^${escapeRegExp(t('af', 'followThrough.reopen.done', { reference, category: 'Rekening- en faktuurnavrae', expert: '' }).trim())}`), reopened.text);
      assert.deepEqual(await waiting(), [reference.replace('-', '')], 'back in the queue');
    });

    it('after the period: told so in Afrikaans, and the form (in Afrikaans) for a new case that follows it', async () => {
      const { reference } = await resolved('Explained the estimate.', { typed: 'Afrikaans', locale: 'af', name: 'Afrikaans' });
      now = new Date(now.getTime() + 15 * DAY);
      const mark = acs.mark(PHONE);
      const told = await sayLater(`heropen ${reference}`, new RegExp(escapeRegExp(reference)));
      assert.equal(told.text, t('af', 'followThrough.reopen.tooLateLinked', { reference, days: 14 }));
      await acs.waitFor(PHONE, (m) => m.text.includes(t('af', 'fields.accountNumber.label')), mark);
      await sayLater('501234567', words('af', 'fields.accountHolder.label'));
      assert.deepEqual(await waiting(), [], 'the old case is not reopened');
    });
  });
});
