/**
 * The ratepayer's own language (issue 16), end to end over the Bot Framework protocol: activities
 * POSTed to /api/messages, replies and proactive messages read at the local connector, the expert
 * on the tab API over real HTTP, cases in the embedded Cosmos DB server.
 *
 * Every expected sentence is the catalogue's own (`t(language, key, …)`) with the definition's
 * words for that language: the test proves the right language and the right texts reach the
 * ratepayer, not a copy of the translation.
 */
import { escapeMarkdown } from '../../bot/platform/cards/render.js';
import assert from 'node:assert/strict';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { categoryByCode, categoryWordsIn, programmeWordsIn, type ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import { t, type Locale } from '../../bot/messages/index.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, asShown, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService, type ApiClient } from '../support/tabApi.js';
import { startTranslatorStandIn, type TranslatorStandIn } from '../../devTools/translator/server.js';
import { translatorFromSettings } from '../../bot/platform/translator/client.js';

const billing = {
  accountNumber: '501234567',
  accountHolder: 'Lerato Molefe',
  mobile: '0821234567',
  description: 'My bill doubled in March and nobody has explained why.',
};

describe('the ratepayer served in their own language', function () {
  this.timeout(60_000);
  let connector: LocalConnector;
  let service: RunningService;
  let thandi: ApiClient;
  let def: ServiceDefinition;
  let now: Date;
  // Messages between ratepayer and expert go through the Translator stand-in (Azure AI
  // Translator's REST contract; "[zu] text" for a sentence it has no phrase for), as in npm start.
  let translatorStandIn: TranslatorStandIn;
  before(async () => {
    translatorStandIn = await startTranslatorStandIn();
  });
  after(async () => {
    await translatorStandIn.close();
  });

  async function start(definition: ServiceDefinition) {
    def = definition;
    service = await startTestService(await freshDatabase(), def, {
      clock: { now: () => now },
      pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 },
      translator: translatorFromSettings({
        endpoint: translatorStandIn.url,
        auth: { kind: 'key', key: translatorStandIn.auth.key!, region: translatorStandIn.auth.region! },
        timeoutMs: 2000,
      }),
    });
    thandi = await signIn(service, 'thandi');
  }

  beforeEach(async () => {
    now = new Date();
    connector = await startLocalConnector();
    // The local definition: every language with a catalogue switched on.
    await start(definitionWithAgents(0));
  });

  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  const shown = (a: Record<string, any>) => `${a.text ?? ''}\n${cardText(cardOf(a) ?? {})}`;
  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => asShown(s.body)); // as read: Teams' xml text decoded (shownText)

  async function say(user: TestUser, fields: { text?: string; value?: unknown }, locale = 'en-ZA') {
    assert.equal(await postActivity(service.url, { ...messageFrom(user, connector.serviceUrl, fields), locale }), 200);
  }

  /** Waits for a message (after the first `after` of the chat) that shows every one of `texts`; returns it. */
  async function expectInChat(user: TestUser, texts: string[], after = 0, timeoutMs = 8000): Promise<Record<string, any>> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = sentTo(user)
        .slice(after)
        .find((a) => texts.every((text) => shown(a).includes(text)));
      if (found) return found;
      if (Date.now() > until) assert.fail(`no message showing ${JSON.stringify(texts)} in:\n${sentTo(user).slice(after).map(shown).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const category = (code: string, lang: Locale) => categoryWordsIn(categoryByCode(def, code)!, lang).name;
  const programme = (lang: Locale) => programmeWordsIn(def, lang);

  // [language, greeting, a billing keyword in that language, the client's locale]
  const greetings: [Locale, string, string, string][] = [
    ['zu', 'Sawubona', 'i-akhawunti', 'en-ZA'],
    ['st', 'Lumela', 'akhaonto', 'en-ZA'],
    ['af', 'Goeie môre', 'rekening', 'en-ZA'],
    ['xh', 'Molweni', 'i-akhawunti', 'en-ZA'],
    ['nso', 'Thobela', 'akhaonte', 'en-ZA'],
    // "Dumela" is Sesotho or Setswana: a Setswana client locale settles it.
    ['tn', 'Dumela', 'akhaonto', 'tn-ZA'],
  ];

  for (const [lang, greeting, keyword, clientLocale] of greetings) {
    it(`${lang}: greeting → card → a mistake → queued → status → connected → relayed both ways through the Translator stand-in → summary and survey`, async () => {
      const lerato = aRatepayer('Lerato Molefe');
      // Mostly an English client (as nearly every Teams client is): the first words decide.
      await say(lerato, { text: greeting }, clientLocale);
      const welcome = await expectInChat(lerato, [t(lang, 'cards.welcome.title', { programme: programme(lang).name }), category('billing', lang)]);
      assert.ok(shown(welcome).includes(t(lang, 'cards.welcome.intro', { purpose: programme(lang).purpose })));

      let seen = sentTo(lerato).length;
      await say(lerato, { text: keyword });
      const intake = await expectInChat(lerato, [t(lang, 'cards.intake.greeting', { category: category('billing', lang) })], seen);
      const draftId = /"draftId":"([^"]+)"/.exec(JSON.stringify(cardOf(intake)))![1]!;
      // The privacy notice in the language, with the programme's own words in it: who is responsible, why, the rights.
      assert.ok(shown(intake).includes(t(lang, 'cards.privacy.rights')));
      assert.ok(shown(intake).includes(t(lang, 'cards.privacy.summary', { organisation: programme(lang).organisation, purpose: programme(lang).purpose })), shown(intake));
      assert.ok(shown(intake).includes(t(lang, 'cards.privacy.who', { organisation: programme(lang).organisation, officer: programme(lang).informationOfficer })));

      seen = sentTo(lerato).length;
      await say(lerato, { value: { verb: 'intake.submit', category: 'billing', draftId, ...billing, accountNumber: '5012' } });
      await expectInChat(lerato, [t(lang, 'validation.account.length', { count: 4 })], seen);

      seen = sentTo(lerato).length;
      await say(lerato, { value: { verb: 'intake.submit', category: 'billing', draftId, ...billing } });
      const queued = await expectInChat(lerato, [t(lang, 'cards.queued.headline'), t(lang, 'cards.queued.reference'), category('billing', lang)], seen);
      const reference = /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(cardText(cardOf(queued)))![1]!.replace('-', '');
      const page = await thandi.get(`/api/cases/${reference}`);
      assert.equal(page.status, 200);

      seen = sentTo(lerato).length;
      await say(lerato, { text: 'status' });
      await expectInChat(lerato, [t(lang, 'cards.status.titleOpen'), t(lang, 'cards.state.waiting')], seen);

      seen = sentTo(lerato).length;
      assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
      await expectInChat(lerato, [t(lang, 'updates.connected', { expert: 'Thandi', category: category('billing', lang) })], seen);

      await say(lerato, { text: 'Ngicela ungisize / Help asseblief' });
      seen = sentTo(lerato).length;
      assert.equal((await thandi.post(`/api/cases/${reference}/messages`, { text: 'The March reading was estimated.' })).status, 200);
      // The expert's words reach the ratepayer translated into their language, marked as machine-translated.
      await expectInChat(
        lerato,
        [t(lang, 'updates.expertSays', { author: 'Thandi', category: category('billing', lang), text: `[${lang}] The March reading was estimated.` }), t(lang, 'translation.machineTranslated')],
        seen,
      );
      const transcript = (await thandi.get(`/api/cases/${reference}`)).body.transcript as { from: string; text: string; translation?: { status: string; from: string; to: string; text?: string } }[];
      // The ratepayer's words reach the expert in English, the original kept beside them.
      const theirs = transcript.find((e) => e.from === 'ratepayer' && e.text === 'Ngicela ungisize / Help asseblief');
      assert.deepEqual(theirs?.translation, { status: 'translated', from: lang, to: 'en', text: '[en] Ngicela ungisize / Help asseblief' });
      const expert = transcript.find((e) => e.from === 'expert');
      assert.deepEqual(expert?.translation, { status: 'translated', from: 'en', to: lang, text: `[${lang}] The March reading was estimated.` });

      seen = sentTo(lerato).length;
      assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Reading corrected.' })).status, 200);
      await expectInChat(lerato, [t(lang, 'cards.resolved.headlineResolved'), t(lang, 'cards.outcome.resolved')], seen);
      await expectInChat(lerato, [t(lang, 'cards.survey.title'), t(lang, 'cards.survey.rating5')], seen);
      // The receipt quotes the expert's summary as the summary card did: translated, marked so (a card: Markdown escaped).
      await expectInChat(lerato, [escapeMarkdown(t(lang, 'followThrough.receipt.decided', { summary: `[${lang}] Reading corrected. ${t(lang, 'translation.machineTranslated')}` }))], seen);
      seen = sentTo(lerato).length;
      await say(lerato, { value: { verb: 'survey.submit', reference, rating: '5' } });
      await expectInChat(lerato, [t(lang, 'survey.thanks')], seen);
      // Nothing the ratepayer read after the greeting was English.
      for (const activity of sentTo(lerato)) assert.ok(!shown(activity).includes(t('en', 'cards.queued.headline')));
    });
  }

  it('answers in the client\'s locale (Teams `locale` zu-ZA) when the first words are English or none', async () => {
    const user = aRatepayer();
    await say(user, { text: 'hi' }, 'zu-ZA');
    await expectInChat(user, [t('zu', 'cards.welcome.title', { programme: programme('zu').name })]);
    const afrikaans = aRatepayer();
    await say(afrikaans, { text: 'hello' }, 'af_za');
    await expectInChat(afrikaans, [t('af', 'cards.welcome.title', { programme: programme('af').name })]);
  });

  it('takes the first words when clearly one language, and keeps English when they are English or unclear', async () => {
    const cases: [string, Locale][] = [
      ['Sawubona, ngicela usizo nge-akhawunti yami', 'zu'],
      ['Lumela ntate', 'st'],
      ['Hallo, ek het hulp nodig met my rekening', 'af'],
      ['Good evening', 'en'],
      ['Sawubona, I need help with my bill', 'en'],
    ];
    for (const [words, lang] of cases) {
      const user = aRatepayer();
      await say(user, { text: words });
      // A greeting gets the welcome; words that name a category ("i-akhawunti", "rekening") its form, in the same language.
      const first = await expectInChat(user, []); // the first reply, whatever it shows
      const welcomed = shown(first).includes(t(lang, 'cards.welcome.title', { programme: programme(lang).name }));
      assert.ok(welcomed || shown(first).includes(t(lang, 'cards.intake.greeting', { category: category('billing', lang) })), `${words}:\n${shown(first)}`);
      // Settled by the first words: a later message in another language does not switch it.
      const seen = sentTo(user).length;
      await say(user, { text: 'hello' });
      await expectInChat(user, [t(lang, 'cards.welcome.title', { programme: programme(lang).name })], seen);
    }
  });

  it('"Dumela" alone could be Sesotho or Setswana: English, with the language choice offering those two first', async () => {
    const user = aRatepayer();
    await say(user, { text: 'Dumela' });
    await expectInChat(user, [t('en', 'cards.welcome.title', { programme: programme('en').name })]);
    const choice = shown(await expectInChat(user, [t('en', 'language.intro')]));
    assert.ok(choice.indexOf('Sesotho') < choice.indexOf('English') && choice.indexOf('Setswana') < choice.indexOf('English'), choice);
  });

  it('the language command works mid-conversation in any language, and place updates then come in the new language', async () => {
    // A programme that serves four languages (Setswana, Sepedi and isiXhosa switched off, as until their review).
    await service.close();
    const local = definitionWithAgents(0);
    await start({ ...local, programme: { ...local.programme, languages: ['en', 'zu', 'af', 'st'] } });
    const first = aRatepayer('First Person');
    const second = aRatepayer('Second Person');
    for (const user of [first, second]) {
      await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${user.aadObjectId}`, ...billing } });
      await expectInChat(user, [t('en', 'cards.queued.headline')]);
      now = new Date(now.getTime() + 1000);
    }
    // "ulimi" (isiZulu for language) while in English: the language card, every served language in its own name.
    let seen = sentTo(second).length;
    await say(second, { text: 'ulimi' });
    const card = await expectInChat(second, [t('en', 'language.title'), 'isiZulu', 'Sesotho', 'Afrikaans'], seen);
    assert.ok(!shown(card).includes('Setswana'), 'a language the programme does not serve is not offered');
    seen = sentTo(second).length;
    await say(second, { value: { verb: 'language.choose', language: 'st' } });
    await expectInChat(second, [t('st', 'language.changed', { language: 'Sesotho' })], seen);

    // The case now carries the language: the place update, sent outside any turn, is in Sesotho.
    seen = sentTo(second).length;
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    await expectInChat(second, [t('st', 'updates.next', { category: category('billing', 'st') })], seen);
    const update = sentTo(second).slice(seen).map(shown).join('\n');
    assert.ok(!/You are next|you are now number/.test(update), update);

    // "taal afrikaans" switches straight away, whatever language the chat was in.
    seen = sentTo(second).length;
    await say(second, { text: 'taal afrikaans' });
    await expectInChat(second, [t('af', 'language.changed', { language: 'Afrikaans' })], seen);
    seen = sentTo(second).length;
    await say(second, { text: 'status' });
    await expectInChat(second, [t('af', 'cards.status.titleOpen')], seen);

    // A language the programme does not serve: refused, with the choice.
    seen = sentTo(second).length;
    await say(second, { value: { verb: 'language.choose', language: 'tn' } });
    await expectInChat(second, [t('af', 'language.notOffered')], seen);
  });
});
