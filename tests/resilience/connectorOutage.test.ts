/**
 * The Bot Framework connector failing for a while: every request answered 503 (and, for a
 * moment, 429 with Retry-After) by a proxy in front of the local connector. Messages sent during
 * the outage wait — each retried within the messenger's outage budget, later ones of the same
 * conversation queued behind it — and are delivered, in order and within Teams' pacing, when the
 * connector returns. A message whose outage outlasts the budget fails with DeliveryFailedError,
 * which the relay records on the case for the expert to see.
 */
import assert from 'node:assert/strict';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';
import { DeliveryFailedError } from '../../bot/platform/ports/messenger.js';
import { createAdapter } from '../../bot/platform/teams/adapter.js';
import { ProactiveMessenger, TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { personalConversation } from '../support/activities.js';
import { freshDatabase } from '../support/cosmos.js';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy.js';
import { recordFigures } from '../support/figures.js';

const OUTAGE_MS = 4000;
const CONVERSATIONS = 5;
const PER_CONVERSATION = 12;

describe('resilience: the connector failing for a while', function () {
  this.timeout(40_000);
  let connector: LocalConnector;
  let proxy: FaultProxy;
  let conversations: CosmosConversationStore;

  async function remember(conversationId: string) {
    // Through the proxy: that is where the outage happens.
    await conversations.save(personalConversation(conversationId, `${proxy.url}/`));
  }

  before(async () => {
    connector = await startLocalConnector();
    proxy = await startFaultProxy(connector.serviceUrl.replace(/\/$/, ''));
    conversations = new CosmosConversationStore((await freshDatabase()).conversations);
  });
  after(async () => {
    await proxy.close();
    await connector.close();
  });

  it('holds messages during an outage and delivers all of them, in order, when it returns', async () => {
    const messenger = new ProactiveMessenger(createAdapter({ kind: 'none' }), '', conversations, {
      ...TEAMS_LIMITS,
      maxAttempts: 3,
      baseBackoffMs: 100,
      maxBackoffMs: 500,
      outageBudgetMs: 30_000,
    });
    const ids = Array.from({ length: CONVERSATIONS }, (_, i) => `conv-outage-${i}`);
    await Promise.all(ids.map(remember));
    const outageStarts = Date.now();
    let refused = 0;
    // 429 with Retry-After for the first half second, then plain 503 until the end of the outage.
    proxy.decide = () => {
      const t = Date.now() - outageStarts;
      if (t >= OUTAGE_MS) return { kind: 'pass' };
      refused++;
      return t < 500 ? { kind: 'before', status: 429, headers: { 'retry-after': '1' } } : { kind: 'before', status: 503 };
    };
    const sentAt = new Map<string, number>();
    const sends = ids.flatMap((id) =>
      Array.from({ length: PER_CONVERSATION }, (_, n) => {
        const text = `${id} message ${n + 1}`;
        sentAt.set(text, Date.now());
        return messenger.send(id, { text });
      }),
    );
    const results = await Promise.allSettled(sends);
    const failed = results.filter((r) => r.status === 'rejected').length;
    let inOrder = 0;
    for (const id of ids) {
      const arrived = connector.sent.filter((s) => s.conversationId === id);
      if (arrived.map((s) => s.body.text).join('|') === Array.from({ length: PER_CONVERSATION }, (_, n) => `${id} message ${n + 1}`).join('|')) inOrder++;
    }
    const maxPerSecond = Math.max(
      ...ids.map((id) => {
        const arrived = connector.sent.filter((s) => s.conversationId === id);
        return Math.max(...arrived.map((first) => arrived.filter((s) => s.receivedAt >= first.receivedAt && s.receivedAt < first.receivedAt + 1000).length));
      }),
    );
    const firstDelivery = Math.min(...connector.sent.filter((s) => s.conversationId.startsWith('conv-outage')).map((s) => s.receivedAt)) - outageStarts;
    const lastDelivery = Math.max(...connector.sent.filter((s) => s.conversationId.startsWith('conv-outage')).map((s) => s.receivedAt)) - outageStarts;
    recordFigures(
      'faults.connector-outage',
      'The connector failing for a while',
      {
        'outage (ms)': OUTAGE_MS,
        conversations: CONVERSATIONS,
        'messages sent during the outage': CONVERSATIONS * PER_CONVERSATION,
        'connector requests refused (429 then 503)': refused,
        'messages delivered': connector.sent.filter((s) => s.conversationId.startsWith('conv-outage')).length,
        'messages failed': failed,
        'conversations delivered complete and in order': inOrder,
        'first delivery after the outage began (ms)': firstDelivery,
        'last delivery after the outage began (ms)': lastDelivery,
        'most messages to one conversation within a second (limit 7)': maxPerSecond,
      },
      `A proxy in front of the local connector answers every request 429 (Retry-After 1 s) for half a second, then 503, for ${OUTAGE_MS / 1000} s. ${CONVERSATIONS} conversations are each sent ${PER_CONVERSATION} messages at the start of the outage. The messenger is set to 3 quick attempts (backoff 100–500 ms) and a 30 s outage budget (the service's own: 6 attempts, 0.5–30 s, 15 minutes).`,
    );
    assert.equal(failed, 0);
    assert.equal(inOrder, CONVERSATIONS);
    assert.ok(maxPerSecond <= 7, `paced: ${maxPerSecond}`);
    assert.ok(firstDelivery >= OUTAGE_MS);
  });

  it('past its outage budget a message fails clearly (DeliveryFailedError), and the next one goes when the connector is back', async () => {
    const messenger = new ProactiveMessenger(createAdapter({ kind: 'none' }), '', conversations, {
      ...TEAMS_LIMITS,
      maxAttempts: 2,
      baseBackoffMs: 100,
      maxBackoffMs: 200,
      outageBudgetMs: 800,
    });
    await remember('conv-long-outage');
    const down = Date.now();
    proxy.decide = () => (Date.now() - down < 1500 ? { kind: 'before', status: 503 } : { kind: 'pass' });
    const failure = await messenger.send('conv-long-outage', { text: 'lost in the outage' }).catch((e) => e);
    assert.ok(failure instanceof DeliveryFailedError, String(failure));
    assert.match(failure.message, /503|injected/);
    const gaveUpAfter = Date.now() - down;
    await new Promise((r) => setTimeout(r, Math.max(0, 1600 - gaveUpAfter)));
    await messenger.send('conv-long-outage', { text: 'after the outage' });
    assert.deepEqual(connector.sent.filter((s) => s.conversationId === 'conv-long-outage').map((s) => s.body.text), ['after the outage']);
    recordFigures('faults.connector-outage-budget', 'An outage longer than the budget', {
      'outage (ms)': 1500,
      'outage budget (ms)': 800,
      'gave up after (ms)': gaveUpAfter,
      'error raised': failure.name,
      'next message delivered when the connector returned': true,
    });
  });
});
