/**
 * Stopping with a network that does not answer (issue 12 item 12). The service runs in a process
 * of its own, started as `npm run serve` starts it and stopped as App Service stops it (SIGTERM).
 * The local Bot Framework connector accepts every request and never answers: the supervisors'
 * channel's summary card, "you are now connected", an expert's message and a turn's own reply all
 * hang. The process must be gone within 10 s, by its clean path (exit code 0, not the last-resort
 * deadline), leave what it did not deliver without an outcome (not "failed"), give up its
 * heartbeat, and a successor must deliver those messages once the connector answers again.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';
import { CosmosLeaseStore } from '../../bot/platform/cosmos/leaseStore.js';
import { CosmosSupervisionStore } from '../../bot/platform/cosmos/supervisionStore.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { instanceAlive } from '../../bot/platform/scheduler/sessionScheduler.js';
import { aRatepayer, messageFrom, personalConversation } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { recordFigures } from '../support/figures.js';
import { freePort } from '../support/net.js';
import { startServiceProcess, type ServiceProcess } from '../support/serviceProcess.js';
import { createLocalSigningKey, seedCase } from '../support/tabApi.js';

const DEFINITION = path.resolve('bot/definitions/local.json');
const CHANNEL = '19:supervisors-unreachable@thread.tacv2';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('resilience: SIGTERM while the connector accepts and never answers', function () {
  this.timeout(120_000);
  let connector: LocalConnector;
  const processes: ServiceProcess[] = [];

  before(async () => {
    connector = await startLocalConnector();
  });
  after(async () => {
    for (const p of processes) await p.stop().catch(() => undefined);
    await connector.close();
  });

  it('stops cleanly within 10 s, leaves the undelivered to delivery recovery, and a successor delivers them', async () => {
    const db = await freshDatabase();
    const definition = loadDefinition(DEFINITION);
    const conversations = new CosmosConversationStore(db.conversations, { personalTtlSeconds: 86_400 });
    // A registered supervisors' channel, reached through the connector that will not answer.
    await new CosmosSupervisionStore(db.supervision).saveRegistration({
      id: `registration:${definition.programme.id}:all`,
      kind: 'registration',
      programmeId: definition.programme.id,
      conversationId: CHANNEL,
      registeredBy: { id: 'johan', name: 'Johan van der Merwe' },
      registeredAt: new Date().toISOString(),
    });
    await conversations.save({
      id: CHANNEL,
      channelId: 'msteams',
      kind: 'channel',
      updatedAt: new Date().toISOString(),
      reference: { channelId: 'msteams', serviceUrl: connector.serviceUrl, conversation: { id: CHANNEL, conversationType: 'channel', isGroup: true }, bot: { id: '28:ratepayer-desk-bot', name: 'Ratepayer Desk' } },
    });
    // A ratepayer waiting, whose chat is reached through the same connector.
    const waiting = await seedCase(db, definition, 'billing');
    await conversations.save(personalConversation(waiting.ratepayer.conversationId, connector.serviceUrl));
    connector.hang(true);

    const signingKey = await createLocalSigningKey();
    const env = { PORT: String(await freePort()), COSMOS_ENDPOINT: db.settings.endpoint, COSMOS_KEY: db.settings.key, COSMOS_DATABASE: db.settings.databaseId, SERVICE_DEFINITION: DEFINITION };
    const first = await startServiceProcess(env, signingKey);
    processes.push(first);
    const token = ((await (await fetch(`${first.url}/api/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffId: 'thandi' }) })).json()) as { token: string }).token;
    const api = (route: string, body: unknown) =>
      fetch(`${first.url}${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

    // The claim sends "you are now connected"; the expert writes; both wait on the connector.
    assert.equal((await api(`/api/cases/${waiting.id}/claim`, {})).status, 200);
    assert.equal((await api(`/api/cases/${waiting.id}/messages`, { text: 'Hello, I am looking at your March bill now.' })).status, 200);
    // A turn whose own reply waits on the connector: its HTTP request stays open.
    const stranger = aRatepayer('Pat Stranger');
    const openTurn = fetch(`${first.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(messageFrom(stranger, connector.serviceUrl, { text: 'hi' })) }).catch((e: Error) => e);
    await until(
      () => [CHANNEL, waiting.ratepayer.conversationId, stranger.conversationId].every((id) => connector.hung.some((h) => h.conversationId === id)),
      20_000,
      'the summary card, "connected" and the turn\'s reply to reach the connector',
    );

    const signalled = Date.now();
    first.child.kill('SIGTERM');
    const exit = await Promise.race([first.exited, sleep(15_000).then(() => 'still running' as const)]);
    const stopMs = Date.now() - signalled;
    recordFigures(
      'faults.stop-unreachable-connector',
      'SIGTERM while the connector accepts and never answers',
      { 'SIGTERM to exit (ms)': stopMs, 'exit code': String((exit as { code: unknown }).code ?? exit) },
      'A real service process with a supervisors\' channel, a "connected" notice, an expert\'s message and a turn\'s reply all waiting on a connector that never answers; the undelivered are then sent by a successor process once the connector answers.',
    );
    assert.notEqual(exit, 'still running', `the service was still running 15 s after SIGTERM:\n${first.stderr.join('')}`);
    assert.ok(stopMs < 10_000, `stopped in ${stopMs} ms`);
    assert.deepEqual(exit, { code: 0, signal: null }, `a clean stop, not the last-resort deadline:\n${first.stderr.join('')}`);
    assert.ok(await openTurn, 'the open request was ended');

    // Nothing was recorded as failed: the messages wait, with their sender, for recovery.
    const cases = new CosmosCaseStore(db.cases);
    const stored = (await cases.get(waiting.id))!;
    const pending = (stored.transcript ?? []).filter((e) => e.from !== 'ratepayer');
    assert.deepEqual(pending.map((e) => e.from), ['system', 'expert']);
    for (const e of pending) assert.equal(stored.deliveries?.[e.id], undefined, `${e.from} message has no outcome`);
    assert.equal(await instanceAlive(new CosmosLeaseStore(db.leases), pending[0]!.sender!, new Date()), false, 'the stopped instance gave up its heartbeat');

    // The connector answers again; a successor on the same database delivers both, in order.
    connector.hang(false);
    const second = await startServiceProcess({ ...env, PORT: String(await freePort()) }, signingKey);
    processes.push(second);
    const chat = () => connector.sent.filter((s) => s.conversationId === waiting.ratepayer.conversationId).map((s) => String(s.body.text ?? ''));
    await until(() => chat().some((t) => /Hello, I am looking at your March bill now\./.test(t)), 60_000, 'the successor to deliver the expert\'s message');
    assert.match(chat()[0]!, /You are now connected with Thandi/);
    await until(
      async () => {
        const c = (await cases.get(waiting.id))!;
        return pending.every((e) => c.deliveries?.[e.id]?.status === 'delivered');
      },
      10_000,
      'the deliveries to be recorded',
    );
    await second.stop();
  });
});
