/**
 * The proactive messenger against a connector that never answers, when the service stops, and
 * over the life of a process (issue 12 item 12): every wait is bounded, a stop ends everything
 * at once without calling it a failed delivery, and the pacing state does not grow for ever.
 */
import assert from 'node:assert/strict';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';
import { DeliveryFailedError, MessengerStoppedError } from '../../bot/platform/ports/messenger.js';
import { createAdapter } from '../../bot/platform/teams/adapter.js';
import { ProactiveMessenger, TEAMS_LIMITS, type PacingOptions } from '../../bot/platform/teams/proactiveMessenger.js';
import { personalConversation } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';

describe('proactive messages: bounded waits, a clean stop, bounded pacing state', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let conversations: CosmosConversationStore;

  const messenger = (limits: Partial<PacingOptions> = {}, now?: () => number) =>
    new ProactiveMessenger(createAdapter({ kind: 'none' }), '', conversations, { ...TEAMS_LIMITS, baseBackoffMs: 20, maxBackoffMs: 50, ...limits }, now);
  const remember = (id: string) => conversations.save(personalConversation(id, connector.serviceUrl));

  beforeEach(async () => {
    connector = await startLocalConnector();
    conversations = new CosmosConversationStore((await freshDatabase()).conversations);
  });
  afterEach(() => connector.close());

  it('gives up an attempt the connector never answers after the attempt timeout, retries, then fails clearly', async () => {
    await remember('conv-hangs');
    connector.hang(true);
    const m = messenger({ attemptTimeoutMs: 300, maxAttempts: 3 });
    const started = Date.now();
    await assert.rejects(m.send('conv-hangs', { text: 'anyone there?' }), (e: unknown) => e instanceof DeliveryFailedError && e.attempts === 3 && /did not answer within 300 ms/.test(e.message));
    const took = Date.now() - started;
    assert.ok(took < 3000, `gave up in ${took} ms`);
    assert.equal(connector.hung.filter((h) => h.conversationId === 'conv-hangs').length, 3, 'three attempts reached the connector');
    m.close();
  });

  it('stops at once: a send under way and those queued behind it reject with MessengerStoppedError, later sends too', async () => {
    await remember('conv-stop');
    connector.hang(true);
    const m = messenger({ outageBudgetMs: 15 * 60_000 });
    const sends = ['one', 'two', 'three'].map((text) => m.send('conv-stop', { text }));
    const settled = Promise.allSettled(sends);
    while (connector.hung.length === 0) await new Promise((r) => setTimeout(r, 10));
    const stoppedAt = Date.now();
    m.close();
    const results = await settled;
    assert.ok(Date.now() - stoppedAt < 200, `settled ${Date.now() - stoppedAt} ms after the stop`);
    for (const r of results) assert.ok(r.status === 'rejected' && r.reason instanceof MessengerStoppedError && r.reason.conversationId === 'conv-stop', String(r.status === 'rejected' && r.reason));
    await assert.rejects(m.send('conv-stop', { text: 'after' }), MessengerStoppedError);
    await assert.rejects(m.update('conv-stop', 'a-1', { text: 'after' }), MessengerStoppedError);
  });

  it('stops a message waiting in a retry backoff or in the pacing, not only one on the wire', async () => {
    await remember('conv-backoff');
    connector.failNext('conv-backoff', Array(50).fill(503), 60); // Retry-After: a minute
    const m = messenger({ outageBudgetMs: 15 * 60_000 });
    const send = m.send('conv-backoff', { text: 'later' });
    while (connector.attempts.length === 0) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    m.close();
    await assert.rejects(send, MessengerStoppedError);
  });

  it('forgets the pacing of conversations nothing was sent to within the hour: the state holds recent ones only', async () => {
    let now = Date.now();
    const m = messenger({}, () => now);
    for (let i = 0; i < 40; i++) await remember(`conv-${i}`);
    await Promise.all(Array.from({ length: 40 }, (_, i) => m.send(`conv-${i}`, { text: `hello ${i}` })));
    assert.equal(m.pacedConversations, 40);
    now += 30 * 60_000; // half an hour: still within the hour's window
    await m.send('conv-0', { text: 'again' });
    assert.equal(m.pacedConversations, 40, 'within the hour the windows still count');
    now += 31 * 60_000; // 61 minutes after the first sends; conv-0 was sent to 31 minutes ago
    await remember('conv-new');
    await m.send('conv-new', { text: 'new' });
    assert.equal(m.pacedConversations, 2, 'conv-0 and conv-new; the 39 silent for an hour are forgotten');
    now += 2 * 60 * 60_000;
    await m.send('conv-new', { text: 'two hours later' });
    assert.equal(m.pacedConversations, 1);
    m.close();
  });
});
