/**
 * A database that accepts connections and never answers (a hung node, a black-holed network):
 * the @azure/cosmos client must give up well inside the ~15 s after which Teams resends an
 * activity, and the ratepayer must be told "something went wrong on our side" within the same
 * HTTP answer. Before the connection policy was set the SDK waited its default 60 s per request.
 * The store is the embedded server behind a proxy that, once switched, takes every request and
 * never answers.
 */
import assert from 'node:assert/strict';
import { openCosmos } from '../../bot/platform/cosmos/database.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, messageFrom, postActivity } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy.js';
import { definitionWithAgents, startTestService } from '../support/tabApi.js';

/** Teams resends an activity it has no answer to after about 15 s; leave a margin under load. */
const WITHIN_MS = 12_000;

describe('resilience: a database that hangs', function () {
  this.timeout(120_000);
  let connector: LocalConnector;
  let proxy: FaultProxy;
  let service: RunningService;

  before(async () => {
    connector = await startLocalConnector();
    const db = await freshDatabase();
    proxy = await startFaultProxy(db.settings.endpoint);
    const viaProxy = await openCosmos({ endpoint: proxy.url, key: db.settings.key, auth: 'key', databaseId: db.settings.databaseId });
    service = await startTestService(viaProxy, definitionWithAgents(1), { scheduler: { start: false } });
  });
  after(async () => {
    proxy.decide = () => ({ kind: 'pass' });
    await service.close();
    await proxy.close();
    await connector.close();
  });

  it('a request gives up after COSMOS_REQUEST_TIMEOUT_MS (1 s here, 4 s by default)', async () => {
    const db = await freshDatabase();
    const short = await openCosmos({ endpoint: proxy.url, key: db.settings.key, auth: 'key', databaseId: db.settings.databaseId, requestTimeoutMs: 1000 });
    proxy.decide = () => ({ kind: 'hang' });
    const started = Date.now();
    const error = await short.cases.item('ABC234', 'ABC234').read().then(() => undefined, (e: unknown) => e as Error);
    const took = Date.now() - started;
    proxy.decide = () => ({ kind: 'pass' });
    assert.equal(error?.name, 'TimeoutError');
    assert.ok(took >= 900 && took < 3000, `gave up after ${took} ms`);
  });

  it('a turn whose activity was looked up before the database hung answers in time too', async () => {
    // Every request hangs except the first to the processed-activity record (the look-up).
    let claimed = false;
    proxy.decide = (req) => {
      if (!claimed && (req.url ?? '').includes('/colls/conversations/docs/')) {
        claimed = true;
        return { kind: 'pass' };
      }
      return { kind: 'hang' };
    };
    const user = aRatepayer('Hang After Claim');
    const started = Date.now();
    // A card's submission: after the look-up (whose read serves the turn's own read of the
    // conversation) it still needs the database, to queue the case.
    const submission = { verb: 'intake.submit', category: 'billing', draftId: 'draft-hang-after-look-up', accountNumber: '501234571', accountHolder: 'Hang After Claim', mobile: '0731234567', description: 'My bill doubled.' };
    const status = await postActivity(service.url, messageFrom(user, connector.serviceUrl, { value: submission }));
    const took = Date.now() - started;
    proxy.decide = () => ({ kind: 'pass' });
    assert.ok(claimed, 'the activity was looked up');
    assert.equal(status, 200);
    assert.ok(took < WITHIN_MS, `the turn took ${took} ms`);
    assert.ok(connector.sent.some((s) => s.conversationId === user.conversationId && /something went wrong on our side/.test(s.body.text ?? '')));
  });

  for (const [what, fields] of [
    ['"status"', { text: 'status' }],
    ['a category ("billing")', { text: 'billing' }],
    ['free text', { text: 'My bill doubled in March.' }],
  ] as const) {
    it(`a turn for ${what} answers over HTTP within ${WITHIN_MS / 1000} s and tells the ratepayer something went wrong`, async () => {
      proxy.decide = () => ({ kind: 'hang' });
      const user = aRatepayer('Hang Test');
      const started = Date.now();
      const status = await postActivity(service.url, messageFrom(user, connector.serviceUrl, fields));
      const took = Date.now() - started;
      proxy.decide = () => ({ kind: 'pass' });
      assert.ok(took < WITHIN_MS, `the turn took ${took} ms`);
      assert.equal(status, 200, 'the turn is answered (its failure is told in the chat)');
      const said = connector.sent.filter((s) => s.conversationId === user.conversationId && typeof s.body.text === 'string').map((s) => s.body.text as string);
      assert.ok(said.some((text) => /something went wrong on our side/.test(text)), `told: ${JSON.stringify(said)}`);
      assert.ok((proxy.stats.injected.hang ?? 0) > 0, 'the database was asked and hung');
    });
  }
});
