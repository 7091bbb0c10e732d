/**
 * Local mode has no bot authentication, so what a web page in the developer's browser can make
 * the local service do matters: bodies it can send without a CORS preflight (forms, multipart,
 * text) are refused on every route, requests addressed by another name (DNS rebinding) are
 * refused, the bot sends nothing to a serviceUrl off this machine, and the embedded database
 * answers only requests signed with its own key.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { CosmosClient } from '@azure/cosmos';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, messageFrom, personalConversation, postActivity } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { embeddedCosmos, freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, signIn, startTestService } from '../support/tabApi.js';

/** A raw request, so the Host header can be anything (fetch always sends the URL's). */
function rawRequest(url: string, options: { method?: string; host?: string; headers?: Record<string, string>; body?: string }) {
  const target = new URL(url);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: options.method ?? 'GET',
        headers: { ...(options.host ? { host: options.host } : {}), ...options.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('security: local mode exposure', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let service: RunningService;
  let port: string;
  let db: Awaited<ReturnType<typeof freshDatabase>>;

  before(async () => {
    connector = await startLocalConnector();
    db = await freshDatabase();
    service = await startTestService(db, definitionWithAgents(0), { scheduler: { start: false } });
    port = new URL(service.url).port;
  });
  after(async () => {
    await service?.close();
    await connector?.close();
  });

  // What a web page can POST without a preflight (HTML forms and fetch "simple requests").
  const SIMPLE_BODIES: [string, Record<string, string>, string][] = [
    ['a form', { 'content-type': 'application/x-www-form-urlencoded' }, 'staffId=johan&type=message&text=my+data'],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }, '--x\r\nContent-Disposition: form-data; name="staffId"\r\n\r\njohan\r\n--x--\r\n'],
    ['text/plain', { 'content-type': 'text/plain' }, JSON.stringify({ staffId: 'johan' })],
    ['no type', {}, JSON.stringify({ staffId: 'johan' })],
  ];

  for (const [label, headers, body] of SIMPLE_BODIES) {
    it(`refuses ${label} with 415 on the bot endpoint, the local sign-in and the tab and supervisor APIs`, async () => {
      const agent = await signIn(service, 'johan');
      const routes: [string, Record<string, string>][] = [
        ['/api/messages', {}],
        ['/api/local/token', {}],
        ['/api/cases/ABC234/notes', { authorization: `Bearer ${agent.token}` }],
        ['/api/supervisor/cases/ABC234/assign', { authorization: `Bearer ${agent.token}` }],
      ];
      for (const [path, auth] of routes) {
        const res = await rawRequest(`${service.url}${path}`, { method: 'POST', headers: { ...headers, ...auth }, body });
        assert.equal(res.status, 415, `${path}: ${res.status} ${res.body}`);
        assert.equal(JSON.parse(res.body).error, 'unsupported_media_type');
        assert.doesNotMatch(res.body, /"token"/);
      }
    });
  }

  it('a form-encoded activity reaches no chat and stores nothing', async () => {
    const user = aRatepayer();
    const activity = messageFrom(user, connector.serviceUrl, { text: 'my data' }) as Record<string, any>;
    const form = new URLSearchParams({
      type: 'message',
      text: 'my data',
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      'conversation[id]': user.conversationId,
      'from[id]': user.id,
    });
    const res = await rawRequest(`${service.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    assert.equal(res.status, 415);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(connector.sent.filter((s) => s.conversationId === activity.conversation.id).length, 0);
  });

  const REBOUND_HOSTS = ['evil.example', 'attacker.test:80', 'localhost.evil.example', '127.0.0.1.nip.io', 'localhost:1', '[::ffff:127.0.0.1]'];

  it('answers only requests addressed to a loopback name on its own port (no DNS rebinding)', async () => {
    for (const name of REBOUND_HOSTS) {
      const host = name.includes(':') && !name.startsWith('[') ? name : `${name}:${port}`;
      const token = await rawRequest(`${service.url}/api/local/token`, {
        method: 'POST',
        host,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ staffId: 'johan' }),
      });
      assert.equal(token.status, 421, `${host}: ${token.status} ${token.body}`);
      assert.doesNotMatch(token.body, /"token"/);
      for (const path of ['/api/local/staff', '/api/config', '/tab/', '/health']) {
        const res = await rawRequest(`${service.url}${path}`, { host });
        assert.equal(res.status, 421, `${host} ${path}`);
      }
      const bot = await rawRequest(`${service.url}/api/messages`, {
        method: 'POST',
        host,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageFrom(aRatepayer(), connector.serviceUrl, { text: 'hi' })),
      });
      assert.equal(bot.status, 421, `${host} /api/messages`);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `127.8.9.10:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      const res = await rawRequest(`${service.url}/api/local/token`, {
        method: 'POST',
        host,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ staffId: 'johan' }),
      });
      assert.equal(res.status, 200, `${host}: ${res.body}`);
    }
  });

  it('sends nothing to a serviceUrl off this machine, and does not re-point a chat there', async () => {
    const user = aRatepayer();
    // The same local connector, named by an address that is not a loopback name: what an outside server would be.
    const outside = connector.serviceUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]');
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { text: 'hi' })), 200);
    await connector.waitFor(user.conversationId, 1);
    const before = connector.sent.length;
    for (const text of ['my data', 'status', 'hi']) {
      const status = await postActivity(service.url, messageFrom(user, outside, { text }));
      assert.equal(status, 400, text);
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(connector.sent.length, before, 'nothing sent anywhere');
    const stored = await new CosmosConversationStore(db.conversations).get(user.conversationId);
    if (stored) assert.equal(stored.reference.serviceUrl, connector.serviceUrl);
  });

  it('sends nothing proactively to a stored serviceUrl off this machine (a reference kept from before)', async () => {
    const outside = connector.serviceUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]');
    const c = await seedCase(db, definitionWithAgents(0), 'billing');
    await new CosmosConversationStore(db.conversations).save(personalConversation(c.ratepayer.conversationId, outside));
    const thandi = await signIn(service, 'thandi');
    assert.equal((await thandi.post(`/api/cases/${c.id}/claim`)).status, 200);
    assert.equal((await thandi.post(`/api/cases/${c.id}/messages`, { text: 'Hello, this is Thandi.' })).status, 200);
    // Refused at once, before any connection is tried, and shown to the expert as a failed delivery.
    let delivery: { status: string; reason?: string } | undefined;
    for (let waited = 0; !delivery && waited < 3000; waited += 50) {
      const page = await thandi.get(`/api/cases/${c.id}`);
      delivery = page.body.transcript.find((e: any) => e.from === 'expert')?.delivery;
      if (!delivery) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(delivery?.status, 'failed');
    assert.match(String(delivery?.reason), /after 0 attempt/, 'no connection was tried');
    assert.equal(connector.sent.filter((s) => s.conversationId === c.ratepayer.conversationId).length, 0, 'nothing reached the outside address');
  });

  it('the embedded database answers only requests signed with its own key', async () => {
    const server = await embeddedCosmos();
    assert.notEqual(server.key, 'local-embedded-cosmos-key');
    const unsigned = await fetch(`${server.endpoint}/dbs`);
    assert.equal(unsigned.status, 401);
    const stranger = new CosmosClient({
      endpoint: server.endpoint,
      key: Buffer.from('another key entirely').toString('base64'),
      connectionPolicy: { enableEndpointDiscovery: false, retryOptions: { maxRetryAttemptCount: 0, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 1 } },
    });
    await assert.rejects(stranger.database(db.settings.databaseId).container('cases').items.readAll().fetchAll(), (e: { code?: number }) => e.code === 401);
    stranger.dispose();
    const owner = new CosmosClient({ endpoint: server.endpoint, key: server.key, connectionPolicy: { enableEndpointDiscovery: false } });
    const { resources } = await owner.database(db.settings.databaseId).container('cases').items.readAll().fetchAll();
    assert.ok(Array.isArray(resources));
    owner.dispose();
  });
});
