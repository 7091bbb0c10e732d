import assert from 'node:assert/strict';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';
import { DeliveryFailedError } from '../../bot/platform/ports/messenger.js';
import { createAdapter } from '../../bot/platform/teams/adapter.js';
import { ProactiveMessenger, TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { personalConversation } from '../support/activities.js';
import { freshDatabase } from '../support/cosmos.js';

describe('proactive messages (paced, retried, in order)', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let conversations: CosmosConversationStore;
  let messenger: ProactiveMessenger;

  async function remember(conversationId: string) {
    await conversations.save(personalConversation(conversationId, connector.serviceUrl));
  }

  beforeEach(async () => {
    connector = await startLocalConnector();
    conversations = new CosmosConversationStore((await freshDatabase()).conversations);
    messenger = new ProactiveMessenger(createAdapter({ kind: 'none' }), '', conversations, {
      ...TEAMS_LIMITS,
      baseBackoffMs: 50,
      maxBackoffMs: 400,
    });
  });

  afterEach(() => connector.close());

  it('paces a burst to one conversation under 7 a second and delivers all of it in order', async () => {
    await remember('conv-burst');
    const texts = Array.from({ length: 22 }, (_, i) => `message ${i + 1}`);
    await Promise.all(texts.map((text) => messenger.send('conv-burst', { text })));
    const arrived = connector.sent.filter((s) => s.conversationId === 'conv-burst');
    assert.deepEqual(arrived.map((s) => s.body.text), texts);
    for (const first of arrived) {
      const inWindow = arrived.filter((s) => s.receivedAt >= first.receivedAt && s.receivedAt < first.receivedAt + 1000);
      assert.ok(inWindow.length <= 7, `${inWindow.length} messages within one second`);
    }
    console.log(`      22 messages took ${arrived.at(-1)!.receivedAt - arrived[0]!.receivedAt} ms (7 a second allowed)`);
  });

  it('retries 429 (honouring Retry-After) and 503, losing nothing and keeping the order', async () => {
    await remember('conv-faults');
    connector.failNext('conv-faults', [429, 503, 503], 1);
    const started = Date.now();
    await Promise.all(['one', 'two', 'three'].map((text) => messenger.send('conv-faults', { text })));
    assert.deepEqual(connector.sent.filter((s) => s.conversationId === 'conv-faults').map((s) => s.body.text), ['one', 'two', 'three']);
    const failed = connector.attempts.filter((a) => a.conversationId === 'conv-faults' && a.status !== 200);
    assert.deepEqual(failed.map((a) => a.status), [429, 503, 503]);
    assert.ok(Date.now() - started >= 1000, 'waited at least the Retry-After second');
  });

  it('gives up after the last attempt with DeliveryFailedError, and other conversations are not held up', async () => {
    await remember('conv-down');
    await remember('conv-up');
    connector.failNext('conv-down', Array(20).fill(503));
    const down = messenger.send('conv-down', { text: 'lost?' });
    await messenger.send('conv-up', { text: 'still flowing' });
    await assert.rejects(down, (e: unknown) => e instanceof DeliveryFailedError && e.status === 503 && e.attempts === TEAMS_LIMITS.maxAttempts);
    assert.equal(connector.sent.filter((s) => s.conversationId === 'conv-up').length, 1);
  });

  it('does not retry a refusal such as 403 (the ratepayer removed the bot)', async () => {
    await remember('conv-blocked');
    connector.failNext('conv-blocked', [403, 403]);
    await assert.rejects(messenger.send('conv-blocked', { text: 'hello' }), (e: unknown) => e instanceof DeliveryFailedError && e.status === 403 && e.attempts === 1);
  });

  it('fails clearly for a conversation it has no reference for', async () => {
    await assert.rejects(messenger.send('never-seen', { text: 'hello' }), /no reference for this conversation/);
  });

  it('updates a card in place with a PUT to the same activity', async () => {
    await remember('conv-card');
    const { activityId } = await messenger.send('conv-card', { card: { type: 'AdaptiveCard', version: '1.5', body: [] }, fallback: 'summary' });
    assert.ok(activityId);
    await messenger.update('conv-card', activityId, { card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'v2' }] }, fallback: 'summary' });
    const put = connector.sent.find((s) => s.method === 'PUT');
    assert.equal(put?.activityId, activityId);
    assert.equal(put?.body.attachments[0].content.body[0].text, 'v2');
  });
});
