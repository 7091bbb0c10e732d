/**
 * A language chosen in Teams while the intake form is open and unsent brings that form again in
 * the new language, as on the public web page and WhatsApp. Teams does not say which form it
 * shows (the page's `channelData.openForm`), so the service remembers the form it last offered on
 * the conversation's document (bot/platform/teams/openFormMemory.ts), at no Cosmos DB request of
 * its own. Activities POSTed to /api/messages as Teams sends them, replies read at the local
 * connector, cases and conversations in the embedded Cosmos DB server.
 */
import assert from 'node:assert/strict';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import type { RunningService } from '../../bot/service.js';
import { t } from '../../bot/messages/index.js';
import { aRatepayer, cardOf, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, startTestService } from '../support/tabApi.js';

const values = { accountNumber: '501234567', accountHolder: 'Sipho Zulu', mobile: '082 123 4567', description: 'Ibhili yami iphindeke kabili.' };

describe('Teams: a language chosen while the intake form is open sends the form again in it', function () {
  this.timeout(60_000);
  let connector: LocalConnector;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let service: RunningService;
  /** The requests the service makes on conversation documents, by conversation id: read, patch, replace, create. */
  const requests = new Map<string, string[]>();

  before(async () => {
    connector = await startLocalConnector();
    db = await freshDatabase();
    const item = db.conversations.item.bind(db.conversations);
    db.conversations.item = (id: string, pk?: unknown) => {
      const it = item(id, pk as string);
      for (const name of ['read', 'patch', 'replace', 'delete'] as const) {
        const original = (it[name] as (...args: unknown[]) => unknown).bind(it);
        (it as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => (requests.get(id)?.push(name), original(...args));
      }
      return it;
    };
    const create = db.conversations.items.create.bind(db.conversations.items);
    db.conversations.items.create = ((body: { id: string }, ...rest: unknown[]) => (requests.get(body.id)?.push('create'), (create as (...a: unknown[]) => unknown)(body, ...rest))) as typeof create;
    service = await startTestService(db, definitionWithAgents(0), { pacing: { ...TEAMS_LIMITS, perConversationPerSecond: 50, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 } });
  });
  after(async () => {
    await service.close();
    await connector.close();
  });

  /** Sends as Teams does; the bot's activities in answer (all sent when the POST is answered) and the conversation requests the turn made. */
  async function say(user: TestUser, fields: { text?: string; value?: unknown }): Promise<{ replies: Record<string, any>[]; cosmos: string[] }> {
    const before = connector.sent.filter((s) => s.conversationId === user.conversationId).length;
    requests.set(user.conversationId, []);
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, fields)), 200);
    const cosmos = requests.get(user.conversationId)!;
    requests.delete(user.conversationId);
    return { replies: connector.sent.filter((s) => s.conversationId === user.conversationId).slice(before).map((s) => s.body), cosmos };
  }
  const intakeOf = (replies: Record<string, any>[]) => replies.map((a) => cardOf(a)).find((card) => card?.actions?.[0]?.data?.verb === 'intake.submit');
  const casesOf = async (user: TestUser) =>
    (await db.cases.items.query({ query: 'SELECT c.id FROM c WHERE c.ratepayer.conversationId = @c', parameters: [{ name: '@c', value: user.conversationId }] }).fetchAll()).resources;

  /** A ratepayer who has said hello (the conversation is stored) and opened the billing form, in English. */
  async function withEnglishForm(name: string): Promise<{ user: TestUser; form: Record<string, any>; offering: string[] }> {
    const user = aRatepayer(name);
    await say(user, { text: 'hello' });
    const { replies, cosmos } = await say(user, { text: 'billing' });
    const form = intakeOf(replies);
    assert.ok(form, 'the billing form');
    assert.ok(JSON.stringify(form).includes(t('en', 'fields.accountNumber.label')));
    return { user, form, offering: cosmos };
  }

  it('"isiZulu" with the form open: the change, then the same filling-in again in isiZulu; the old English card queues one case, the new one no second; after that a change sends no form', async () => {
    const { user, form, offering } = await withEnglishForm('Sipho Zulu');
    const { category, draftId } = form.actions[0].data;
    // Remembering the offered form went with the record of the activity: one read, one patch, as for any message.
    assert.deepEqual(offering, ['read', 'patch']);

    const zulu = await say(user, { text: 'isiZulu' });
    const texts = zulu.replies.map((a) => a.text);
    assert.equal(texts[0], t('zu', 'language.changed', { language: t('zu', 'language.name.zu') }), JSON.stringify(texts));
    assert.ok(texts.includes(t('zu', 'language.formAgainBlank')), JSON.stringify(texts));
    const again = intakeOf(zulu.replies);
    assert.ok(again, 'the form again');
    assert.equal(again.actions[0].data.draftId, draftId, 'the same filling-in');
    assert.equal(again.actions[0].data.category, category);
    const shown = JSON.stringify(again);
    for (const key of ['fields.accountNumber.label', 'fields.accountHolder.label', 'fields.description.label', 'cards.privacy.rights'] as const) {
      assert.notEqual(t('zu', key), t('en', key));
      assert.ok(shown.includes(t('zu', key)), `${key} in isiZulu`);
    }
    assert.ok(!shown.includes(t('en', 'fields.accountNumber.label')), 'no English label left');
    // The change and the form again: the turn's one read and one patch (the language and the record), no more.
    assert.deepEqual(zulu.cosmos, ['read', 'patch']);

    // The old English card, sent after the new one was shown: one case.
    const sentOld = await say(user, { value: { verb: 'intake.submit', category, draftId, ...values } });
    assert.ok(sentOld.replies.some((a) => JSON.stringify(cardOf(a) ?? {}).includes(t('zu', 'cards.queued.headline'))), 'queued');
    assert.equal((await casesOf(user)).length, 1);
    // The isiZulu card too: still one case (the same draft).
    await say(user, { value: { verb: 'intake.submit', category, draftId, ...values } });
    assert.equal((await casesOf(user)).length, 1, 'both cards of one draft queue one case');

    // Sent: another change of language brings no form.
    const english = await say(user, { text: 'English' });
    assert.equal(english.replies[0]?.text, t('en', 'language.changed', { language: t('en', 'language.name.en') }), JSON.stringify(english.replies.map((a) => a.text)));
    assert.equal(intakeOf(english.replies), undefined, 'no form again once it was sent');
    const { resource } = await db.conversations.item(user.conversationId, user.conversationId).read();
    assert.equal(resource.openForm ?? null, null, 'the sent form is forgotten');
  });

  it('the new isiZulu card sent first queues the case; then the old English one adds none, and a later change sends no form', async () => {
    const { user, form } = await withEnglishForm('Nomsa Dube');
    const { category, draftId } = form.actions[0].data;
    const again = intakeOf((await say(user, { value: { verb: 'language.choose', language: 'zu' } })).replies);
    assert.ok(again, 'the form again after the language button');
    assert.equal(again.actions[0].data.draftId, draftId);
    await say(user, { value: { verb: 'intake.submit', category, draftId, ...values } });
    assert.equal((await casesOf(user)).length, 1);
    await say(user, { value: { verb: 'intake.submit', category, draftId, ...values } });
    assert.equal((await casesOf(user)).length, 1, 'the old card adds no case');
    const later = await say(user, { text: 'taal afrikaans' });
    assert.ok(later.replies.some((a) => a.text === t('af', 'language.changed', { language: t('af', 'language.name.af') })));
    assert.equal(intakeOf(later.replies), undefined);
  });

  it('a form offered later replaces the earlier one: the change brings the later form', async () => {
    const { user, form } = await withEnglishForm('Thabo Nkosi');
    const later = intakeOf((await say(user, { value: { verb: 'category.choose', category: 'rates' } })).replies);
    assert.ok(later, 'the rates form');
    assert.notEqual(later.actions[0].data.draftId, form.actions[0].data.draftId);
    const again = intakeOf((await say(user, { text: 'isiZulu' })).replies);
    assert.ok(again, 'a form again');
    assert.equal(again.actions[0].data.category, 'rates');
    assert.equal(again.actions[0].data.draftId, later.actions[0].data.draftId);
  });
});
