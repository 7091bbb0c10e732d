/**
 * The typed commands in the ratepayer's own language (issue 16, "commands in every language"), end
 * to end over the Bot Framework protocol (activities POSTed to /api/messages, replies read at the
 * local connector), the expert on the tab API over real HTTP, cases in the embedded Cosmos DB:
 * an isiZulu and an Afrikaans ratepayer type "my cases", "status", "my data", "cancel", "end
 * chat", and after the session "status K7M-3PQ" and "reopen K7M-3PQ" in their language, and the
 * texts that tell them what to type name those words (English still works); the receipt and the
 * status name the programme and the category in their language.
 *
 * The words typed are the catalogue's own (`typed.*`, bot/messages/<code>.json), spelled out here
 * so that a catalogue that lost one fails the test, and every expected sentence is `t(language, …)`.
 */
import assert from 'node:assert/strict';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { formatReference } from '../../bot/domain/reference.js';
import { t, type Locale } from '../../bot/messages/index.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService, type ApiClient } from '../support/tabApi.js';
import { categoryByCode, categoryWordsIn, programmeWordsIn } from '../../bot/domain/serviceDefinition.js';
import { teamsChat, type TeamsChat } from '../support/answers.js';

const definition = definitionWithAgents(0);
const billing = { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '0821234567', description: 'My bill doubled in March.' };

// [language, its greeting, and the words typed for: my cases, status, my data, cancel, end chat, reopen, "status" of one case]
const languages: [Locale, string, { myCases: string; status: string; myData: string; cancel: string; endChat: string; reopen: string; statusOf: string }][] = [
  ['zu', 'Sawubona', { myCases: 'Izindaba zami', status: 'isimo', myData: 'imininingwane yami', cancel: 'Khansela!', endChat: 'qeda ingxoxo', reopen: 'vula futhi', statusOf: 'isimo' }],
  ['af', 'Goeie môre', { myCases: 'my sake', status: 'waar is ek?', myData: 'my inligting asseblief', cancel: 'kanselleer', endChat: 'beëindig die gesprek', reopen: 'heropen', statusOf: 'status' }],
];

describe('typed commands in the ratepayer\'s language', function () {
  this.timeout(60_000);
  let connector: LocalConnector;
  let service: RunningService;
  let thandi: ApiClient;
  let chat: TeamsChat;
  let now: Date;

  beforeEach(async () => {
    now = new Date();
    connector = await startLocalConnector();
    // The local definition: every language with a catalogue switched on.
    service = await startTestService(await freshDatabase(), definition, {
      clock: { now: () => now },
      pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 },
    });
    thandi = await signIn(service, 'thandi');
    chat = teamsChat(connector, service.url);
  });

  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  async function queue(user: TestUser, lang: Locale, n: number): Promise<string> {
    const card = await chat.answer(user, { value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${user.aadObjectId}-${n}`, ...billing } }, [t(lang, 'cards.queued.headline')]);
    return /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(card)![1]!.replace('-', '');
  }

  for (const [lang, greeting, typed] of languages) {
    it(`${lang}: my cases, status, my data, cancel and end chat typed in ${lang} work, and the texts name those words`, async () => {
      const lerato = aRatepayer('Lerato Molefe');
      await chat.answer(lerato, greeting, [t(lang, 'cards.welcome.title', { programme: programmeWordsIn(definition, lang).name })]);

      // "my cases" before any case: the answer, not a category guess.
      await chat.answer(lerato, typed.myCases, [t(lang, 'status.noCases')]);

      // Queued: the card tells them to type the word in their language.
      const queuedCard = await chat.answer(lerato, { value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${lerato.aadObjectId}-1`, ...billing } }, [t(lang, 'cards.queued.headline')]);
      const reference = /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(queuedCard)![1]!;
      assert.ok(queuedCard.includes(`"${t(lang, 'typed.status')}"`) && queuedCard.includes(`"${t(lang, 'typed.cancel')}"`), queuedCard);

      await chat.answer(lerato, typed.status, [t(lang, 'cards.status.titleOpen'), t(lang, 'cards.state.waiting'), reference]);
      // English still works in a chat served in another language; the answer is in the chat's language.
      await chat.answer(lerato, 'status', [t(lang, 'cards.status.titleOpen'), reference]);
      await chat.answer(lerato, typed.myData, [t(lang, 'cards.myData.title'), reference]);
      await chat.answer(lerato, typed.cancel, [t(lang, 'cancel.left', { reference })]);
      assert.equal((await thandi.get(`/api/cases/${reference.replace('-', '')}`)).body.state, 'cancelled');

      // With an expert: "end chat" in their language asks whether to end the chat, as "cancel" does.
      const second = await queue(lerato, lang, 2);
      assert.equal((await thandi.post(`/api/cases/${second}/claim`)).status, 200);
      await chat.answer(lerato, typed.endChat, [t(lang, 'cards.endChat.yes')]);
    });

    it(`${lang}: after the session, "status K7M-3PQ" and "reopen K7M-3PQ" typed in ${lang} work, and the receipt names those words`, async () => {
      const lerato = aRatepayer('Lerato Molefe');
      await chat.answer(lerato, greeting, [t(lang, 'cards.welcome.title', { programme: programmeWordsIn(definition, lang).name })]);
      const reference = await queue(lerato, lang, 1);
      const shownRef = formatReference(reference);
      assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
      const before = chat.sentTo(lerato).length;
      assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Explained the estimate.' })).status, 200);
      // The receipt says what to type in their language.
      const reopenText = `"${t(lang, 'typed.reopen')} ${shownRef}"`;
      const statusText = `"${t(lang, 'typed.status')} ${shownRef}"`;
      // The receipt and the status name the programme and the category in their language too.
      const billingName = categoryWordsIn(categoryByCode(definition, 'billing')!, lang).name;
      const categoryLine = t(lang, 'followThrough.receipt.category', { category: billingName });
      const receiptGreeting = t(lang, 'followThrough.receipt.greeting', { programme: programmeWordsIn(definition, lang).name });
      await chat.shownAfter(lerato, before, [reopenText, statusText, categoryLine, receiptGreeting], `the resolution (a receipt in ${lang})`);

      await chat.answer(lerato, `${typed.statusOf} ${shownRef.toLowerCase()}`, [shownRef, billingName, t(lang, 'followThrough.status.stage.done')]);
      await chat.answer(lerato, `${typed.reopen} ${shownRef}`, [shownRef, t(lang, 'followThrough.reopen.sameExpert', { expert: 'Thandi' }).split(' ')[0]!]);
      assert.equal((await thandi.get(`/api/cases/${reference}`)).body.state, 'waiting');
    });
  }
});
