/**
 * Tester 10, finding 13: a whole manual run logged nothing, so operations had no trace. Every
 * request now logs one JSON line (bot/platform/http/requestLog.ts): the route's pattern, the
 * status and the duration, and for the bot endpoint the activity's type and channel; 5xx at
 * `error`. Over real HTTP with the embedded Cosmos DB: nothing in those lines is what a client
 * sent in a path, a query or a body (the case reference, an account number, the words typed).
 */
import assert from 'node:assert/strict';
import { captureLog } from '../../bot/platform/log.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, messageFrom, postActivity } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, signIn, startTestService } from '../support/tabApi.js';

describe('operations: one PII-free log line per request (tester 10, finding 13)', function () {
  this.timeout(60_000);
  let connector: LocalConnector;
  let service: RunningService;
  let capture: ReturnType<typeof captureLog> | undefined;

  before(async () => {
    connector = await startLocalConnector();
  });
  after(async () => {
    capture?.restore();
    await service?.close();
    await connector?.close();
  });

  it('logs the route pattern, status, duration, activity type and channel, and nothing the client sent', async () => {
    const db = await freshDatabase();
    service = await startTestService(db, definitionWithAgents(0), { scheduler: { start: false } });
    const seeded = await seedCase(db, service.definition, 'billing');
    const thandi = await signIn(service, 'thandi');
    capture = captureLog();

    const user = aRatepayer('Nomvula Zungu');
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { text: 'hello marula 501234567' })), 200);
    assert.equal((await thandi.get(`/api/cases/${seeded.id}`)).status, 200);
    assert.equal((await thandi.get('/api/no-such-route/501234567?idNumber=8001015009087')).status, 404);
    assert.equal((await fetch(`${service.url}/health`)).status, 200);

    const lines = capture.lines.filter((l) => l.includes('"component":"http"'));
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const bot = records.find((r) => r.route === '/api/messages');
    assert.ok(bot, `a line for the bot endpoint in ${lines.join('\n')}`);
    assert.deepEqual(
      { level: bot.level, method: bot.method, status: bot.status, activityType: bot.activityType, channel: bot.channel, ms: typeof bot.durationMs },
      { level: 'info', method: 'POST', status: 200, activityType: 'message', channel: 'msteams', ms: 'number' },
    );
    const page = records.find((r) => typeof r.route === 'string' && (r.route as string).startsWith('/api/cases/'));
    assert.deepEqual({ route: page?.route, status: page?.status, level: page?.level }, { route: '/api/cases/:reference', status: 200, level: 'info' });
    assert.ok(records.some((r) => r.route === '(no route)' && r.status === 404), 'an unknown route is logged without its path');
    assert.ok(!records.some((r) => r.route === '/health'), 'the health check only at debug');
    for (const personal of [seeded.id, '501234567', '8001015009087', 'marula', 'Nomvula', user.conversationId]) {
      assert.ok(!lines.some((l) => l.includes(personal)), `"${personal}" is in no request line`);
    }
  });
});
