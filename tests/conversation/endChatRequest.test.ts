/**
 * Tester 7, finding 10: the ratepayer's request to end the chat reaches the expert as a fact of
 * the case, not only as transcript lines. Over the Bot Framework protocol (activities POSTed to
 * /api/messages, replies read at the local connector), the expert on the tab API over real HTTP
 * (the case page and its live events), cases in the embedded Cosmos DB: an Afrikaans and an
 * isiZulu ratepayer with an expert type "cancel" in their language and answer "Yes, end the chat";
 * the case page carries `endChatRequestedAt` (with its audit entry, and a case.updated event for
 * the open tab) until they write again, or the case is resolved.
 */
import assert from 'node:assert/strict';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { formatReference } from '../../bot/domain/reference.js';
import { t, type Locale } from '../../bot/messages/index.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, EventReader, signIn, startTestService, type ApiClient } from '../support/tabApi.js';
import { programmeWordsIn } from '../../bot/domain/serviceDefinition.js';
import { teamsChat, type TeamsChat } from '../support/answers.js';

const definition = definitionWithAgents(0);
const billing = { accountNumber: '501234567', accountHolder: 'Johan van der Merwe', mobile: '0821234567', description: 'My bill doubled in March.' };

// [language, its greeting, "cancel" as typed in it (the catalogue's command words), "wait, I have one more question"]
const languages: [Locale, string, string, string][] = [
  ['af', 'Goeie môre', 'kanselleer', 'Wag, ek het nog een vraag.'],
  ['zu', 'Sawubona', 'khansela', 'Linda, ngisenombuzo owodwa.'],
];

describe("the ratepayer's request to end the chat on the case page", function () {
  this.timeout(60_000);
  let connector: LocalConnector;
  let service: RunningService;
  let thandi: ApiClient;
  let chat: TeamsChat;
  let events: EventReader | undefined;
  let now: Date;

  beforeEach(async () => {
    now = new Date('2026-11-30T09:15:00.000Z');
    connector = await startLocalConnector();
    service = await startTestService(await freshDatabase(), definition, {
      clock: { now: () => now },
      pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 },
    });
    thandi = await signIn(service, 'thandi');
    chat = teamsChat(connector, service.url);
  });

  afterEach(async () => {
    events?.close();
    events = undefined;
    await service.close();
    await connector.close();
  });

  async function casePage(reference: string): Promise<Record<string, any>> {
    const page = await thandi.get(`/api/cases/${reference}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    return page.body;
  }

  /** Greets in `lang`, queues a billing case, Thandi claims it, and the ratepayer types "cancel" in `lang` and says yes, end the chat. */
  async function askToEnd(lang: Locale, greeting: string, cancel: string): Promise<{ johan: TestUser; reference: string; askedAt: string }> {
    const johan = aRatepayer('Johan van der Merwe');
    await chat.answer(johan, greeting, [t(lang, 'cards.welcome.title', { programme: programmeWordsIn(definition, lang).name })]);
    const queued = await chat.answer(johan, { value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${johan.aadObjectId}`, ...billing } }, [t(lang, 'cards.queued.headline')]);
    const reference = /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(queued)![1]!.replace('-', '');
    now = new Date('2026-11-30T09:23:00.000Z');
    assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    events = await EventReader.open(thandi);

    await chat.answer(johan, cancel, [t(lang, 'cards.endChat.yes')]);
    // Asked, not answered: no request yet.
    assert.equal((await casePage(reference)).endChatRequestedAt, undefined);

    now = new Date('2026-11-30T09:24:00.000Z');
    await chat.answer(johan, { value: { verb: 'case.endChat', reference, choice: 'end' } }, [t(lang, 'cancel.toldExpert', { expert: 'Thandi', reference: formatReference(reference) })]);
    return { johan, reference, askedAt: now.toISOString() };
  }

  for (const [lang, greeting, cancel, more] of languages) {
    it(`${lang}: "${cancel}" and "yes, end the chat" put endChatRequestedAt on the case page, with its audit entry and a live event, until the ratepayer writes again`, async () => {
      const { johan, reference, askedAt } = await askToEnd(lang, greeting, cancel);
      const page = await casePage(reference);
      assert.equal(page.endChatRequestedAt, askedAt, 'when they asked');
      const audit = (page.audit as { action: string; by: { kind: string }; at: string }[]).find((a) => a.action === 'asked to end the chat');
      assert.ok(audit, `the audit trail records it: ${JSON.stringify(page.audit)}`);
      assert.equal(audit.by.kind, 'ratepayer');
      assert.equal(audit.at, askedAt);
      // The open tab is told, so it reloads the case (tab/src/components/Desk.tsx reloads the open case on its events).
      await events!.waitFor((e) => e.event === 'queue' && e.data?.kind === 'case.updated' && e.data?.reference === reference, 5000);

      // They write again: the chat goes on, and the request no longer stands.
      now = new Date('2026-11-30T09:26:00.000Z');
      await chat.say(johan, { text: more });
      const until = Date.now() + 8000;
      let after = await casePage(reference);
      while (!(after.transcript as { from: string; at: string }[]).some((e) => e.from === 'ratepayer' && e.at === now.toISOString())) {
        if (Date.now() > until) assert.fail('their new message never reached the case');
        await new Promise((r) => setTimeout(r, 25));
        after = await casePage(reference);
      }
      assert.equal(after.endChatRequestedAt, undefined, 'they wrote again after asking');
    });
  }

  it('af: the request is gone once the expert resolves the case', async () => {
    const { reference, askedAt } = await askToEnd('af', 'Goeie môre', 'kanselleer');
    assert.equal((await casePage(reference)).endChatRequestedAt, askedAt);
    const resolved = await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Explained the estimate.' });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    assert.equal(resolved.body.state, 'resolved');
    assert.equal(resolved.body.endChatRequestedAt, undefined);
  });
});
