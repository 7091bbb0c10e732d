/**
 * Teams resends an activity it got no answer to in time, and may deliver one twice: same activity
 * `id`, same conversation. Each is processed once, on whichever instance it reaches; a new
 * activity with the same words is processed; a turn that failed is processed when resent (so is
 * one whose instance died mid-turn: tests/resilience/sigkill.test.ts).
 * Ratepayers talk to the bot over real HTTP, the expert uses the tab API, replies are read at the
 * local connector; two service instances share one database where it matters.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { openCosmos } from '../../bot/platform/cosmos/database.js';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { activityMatching } from '../support/answers.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy.js';
import { definitionWithAgents, signIn, startTestService, type ApiClient } from '../support/tabApi.js';

describe('a redelivered activity is processed once', function () {
  this.timeout(60_000);
  let connector: LocalConnector;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let proxy: FaultProxy;
  let one: RunningService;
  let two: RunningService;
  let thandi: ApiClient;

  before(async () => {
    connector = await startLocalConnector();
    db = await freshDatabase();
    const pacing = { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 };
    const definition = definitionWithAgents(0);
    one = await startTestService(db, definition, { pacing, scheduler: { start: false } });
    // The second instance reaches the same database through a proxy that can fail requests.
    proxy = await startFaultProxy(db.settings.endpoint);
    const viaProxy = await openCosmos({ endpoint: proxy.url, key: db.settings.key, auth: 'key', databaseId: db.settings.databaseId });
    two = await startTestService(viaProxy, definition, { pacing, scheduler: { start: false } });
    thandi = await signIn(one, 'thandi');
  });
  after(async () => {
    await two.close();
    await one.close();
    await proxy.close();
    await connector.close();
  });

  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => s.body);
  const post = async (service: RunningService, activity: Record<string, unknown>) => assert.equal(await postActivity(service.url, activity), 200);
  const expectInChat = (user: TestUser, pattern: RegExp) => activityMatching(() => sentTo(user), pattern);
  async function withExpert(user: TestUser): Promise<string> {
    await post(one, messageFrom(user, connector.serviceUrl, {
      value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${randomUUID()}`, accountNumber: '501234571', accountHolder: user.name, mobile: '0731234567', description: 'Retry twice test query' },
    }));
    const confirmation = await expectInChat(user, /Your case reference/);
    const reference = /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(cardText(cardOf(confirmation)))![1]!.replace('-', '');
    assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    await expectInChat(user, /connected with Thandi/);
    return reference;
  }
  const ratepayerLines = async (reference: string) =>
    ((await thandi.get(`/api/cases/${reference}`)).body.transcript as { from: string; text: string }[]).filter((e) => e.from === 'ratepayer').map((e) => e.text);

  it("the ratepayer's message, delivered twice at once and again later, reaches the expert's transcript once", async () => {
    const user = aRatepayer('Retry Twice');
    const reference = await withExpert(user);
    const message = messageFrom(user, connector.serviceUrl, { text: 'I paid R1 500 on 3 November, reference 77812.' });
    await Promise.all([post(one, message), post(one, message)]);
    await post(one, message);
    assert.deepEqual(await ratepayerLines(reference), ['I paid R1 500 on 3 November, reference 77812.']);
  });

  it('a resend that reaches another instance is recognised too', async () => {
    const user = aRatepayer('Two Instances');
    const reference = await withExpert(user);
    const message = messageFrom(user, connector.serviceUrl, { text: 'Here is my meter reading: 12345.' });
    await post(one, message);
    await post(two, message);
    await Promise.all([post(one, message), post(two, message)]);
    assert.deepEqual(await ratepayerLines(reference), ['Here is my meter reading: 12345.']);
  });

  it('a repeated "status" gets one reply; the same words in a new activity get their own', async () => {
    const user = aRatepayer('Status Twice');
    const status = messageFrom(user, connector.serviceUrl, { text: 'status' });
    await post(one, status);
    const once = sentTo(user).length;
    assert.ok(once >= 1);
    await post(one, status);
    await post(two, status);
    assert.equal(sentTo(user).length, once, 'no reply to the resends');
    await post(one, messageFrom(user, connector.serviceUrl, { text: 'status' }));
    assert.equal(sentTo(user).length, once * 2, 'a new "status" is answered');
  });

  it('a turn that failed is processed when Teams resends it', async () => {
    const user = aRatepayer('Failed Once');
    const reference = await withExpert(user);
    const message = messageFrom(user, connector.serviceUrl, { text: 'Did you get my proof of payment?' });
    // The first store request after the record was read fails: the turn fails part-way.
    let failed = false;
    proxy.decide = (req) => {
      if (failed || (req.url ?? '').includes('/colls/conversations/docs/')) return { kind: 'pass' };
      failed = true;
      return { kind: 'before', status: 503 };
    };
    await post(two, message);
    proxy.decide = () => ({ kind: 'pass' });
    assert.ok(failed, 'the turn met the failure');
    await expectInChat(user, /something went wrong on our side/);
    assert.deepEqual(await ratepayerLines(reference), []);
    await post(two, message);
    assert.deepEqual(await ratepayerLines(reference), ['Did you get my proof of payment?']);
  });
});
