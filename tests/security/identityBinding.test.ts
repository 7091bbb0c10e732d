/**
 * Staff are who their Entra object id says, not whichever address a token carries: tokens are
 * minted locally with a key the service trusts as Entra's (a stand-in for the tenant's key set),
 * everything else is the service's real path over HTTP, the bindings in the real Cosmos store,
 * the supervisors' alert at a local connector.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import type { Settings } from '../../bot/platform/config/settings.js';
import { startService, type RunningService } from '../../bot/service.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { ApiClient, definitionWithAgents } from '../support/tabApi.js';

const TENANT = '0f2b3c4d-1111-4222-8333-944455566677';
const CLIENT = '5a6b7c8d-1234-4abc-9def-0123456789ab';
const CHANNEL = '19:supervisors@thread.tacv2';
const oid = () => randomUUID();

describe('security: staff bound to their Entra object id', function () {
  this.timeout(30_000);
  let keys: http.Server;
  let signingKey: CryptoKey;
  let connector: LocalConnector;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let definition: ServiceDefinition;
  let settings: Settings;
  let service: RunningService;
  const PRIYA_OID = '7d0e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
  const people = { thandi: oid(), anele: oid(), johan: oid() };

  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    signingKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'entra-1', alg: 'RS256', use: 'sig' };
    keys = http.createServer((req, res) => {
      res.writeHead(req.url === `/${TENANT}/discovery/v2.0/keys` ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => keys.listen(0, '127.0.0.1', resolve));
    connector = await startLocalConnector();
    db = await freshDatabase();
    const base = definitionWithAgents(0);
    // Priya's entry lists her object id; the others are listed by address only.
    definition = { ...base, staff: base.staff.map((s) => (s.id === 'priya' ? { ...s, oid: PRIYA_OID } : s.id === 'johan' ? { ...s, oid: people.johan } : s)) };
    settings = {
      mode: 'local',
      port: 0,
      host: '127.0.0.1',
      definitionPath: 'unused',
      bot: { kind: 'none' },
      store: { kind: 'embedded', port: 0 },
      tabAuth: { kind: 'entra', clientId: CLIENT, tenantId: TENANT, authorityHost: `http://127.0.0.1:${(keys.address() as AddressInfo).port}`, tabEndpoint: 'https://desk.example.org' },
    };
    service = await startService(settings, { containers: db, definition, scheduler: { start: false } });
    // Johan makes a channel the supervisors' channel ("monitor"); the member API knows him.
    connector.members.set('29:johan', { name: 'Johan van der Merwe', email: 'johan.vdmerwe@joburg.example', userPrincipalName: 'johan.vdmerwe@joburg.example', aadObjectId: people.johan });
    // Someone whose directory entry carries Johan's address but who is not Johan's account.
    connector.members.set('29:mallory', { name: 'Mallory', email: 'johan.vdmerwe@joburg.example', userPrincipalName: 'johan.vdmerwe@joburg.example', aadObjectId: oid() });
    const say = (from: string, aad: string, text: string) =>
      fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: randomUUID(),
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        from: { id: from, aadObjectId: aad, name: 'Johan van der Merwe' },
        recipient: { id: '28:ratepayer-desk-bot', name: 'Ratepayer Desk' },
        conversation: { id: `${CHANNEL};messageid=1`, conversationType: 'channel', isGroup: true, tenantId: TENANT },
        channelData: { team: { id: '19:team@thread.tacv2', name: 'Finance supervisors' }, channel: { id: CHANNEL, name: 'Queue watch' }, tenant: { id: TENANT } },
        text: `<at>Ratepayer Desk</at> ${text}`,
        entities: [{ type: 'mention', text: '<at>Ratepayer Desk</at>', mentioned: { id: '28:ratepayer-desk-bot', name: 'Ratepayer Desk' } }],
      }),
    });
    assert.equal((await say('29:johan', people.johan, 'monitor')).status, 200);
    // Johan's entry lists his object id: an account with his address but another id is not him in Teams either.
    assert.equal((await say('29:mallory', oid(), 'stop monitoring')).status, 200);
  });
  after(async () => {
    await service?.close();
    await connector?.close();
    keys?.close();
  });

  /** A correctly signed Teams SSO token with these claims. */
  async function as(claims: Record<string, unknown>): Promise<ApiClient> {
    const token = await new SignJWT({ scp: 'access_as_user', tid: TENANT, ver: '2.0', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'entra-1' })
      .setIssuer(`${settings.tabAuth!.kind === 'entra' ? (settings.tabAuth as { authorityHost: string }).authorityHost : ''}/${TENANT}/v2.0`)
      .setAudience(CLIENT)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(signingKey);
    return new ApiClient(service.url, token);
  }

  const alerts = () => connector.sent.filter((s) => s.conversationId === CHANNEL && /Sign-in refused/.test(String(s.body.text ?? '')));

  it('binds an address to the object id of its first verified sign-in, in the store', async () => {
    const thandi = await as({ oid: people.thandi, preferred_username: 'thandi.mokoena@joburg.example', roles: ['Agent'], name: 'Thandi Mokoena' });
    const me = await thandi.get('/api/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.staff.id, 'thandi');
    const anele = await as({ oid: people.anele, preferred_username: 'anele.khumalo@joburg.example', roles: ['Agent'] });
    assert.equal((await anele.get('/api/me')).body.staff.id, 'anele');
    const { resource } = await db.staffBindings.item('thandi.mokoena@joburg.example', 'thandi.mokoena@joburg.example').read();
    assert.equal(resource?.oid, people.thandi);
    assert.equal(resource?.tid, TENANT);
    assert.equal(resource?.staffId, 'thandi');
    assert.ok(Date.parse(resource?.boundAt) > 0);
  });

  it("a token for one agent that also carries another agent's email is the first agent (their skills, their name in the audit)", async () => {
    // Anele (metering only) with Thandi's address in the email claim, listed first in the definition.
    const anele = await as({ oid: people.anele, preferred_username: 'anele.khumalo@joburg.example', email: 'thandi.mokoena@joburg.example', roles: ['Agent'] });
    const me = await anele.get('/api/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.staff.id, 'anele');
    assert.deepEqual(me.body.staff.skills, ['metering']);
    const queue = await anele.get('/api/queue');
    assert.deepEqual(queue.body.categories.map((c: any) => c.code ?? c), ['metering']);
  });

  it('refuses a later token with the same address and another object id, clearly, and alerts supervisors once', async () => {
    const impostor = oid();
    const before = alerts().length;
    for (const claims of [
      { preferred_username: 'thandi.mokoena@joburg.example' },
      { email: 'Thandi.Mokoena@joburg.example' },
      { upn: 'thandi.mokoena@joburg.example' },
    ]) {
      const res = await (await as({ oid: impostor, roles: ['Agent'], ...claims })).get('/api/me');
      assert.equal(res.status, 403, JSON.stringify(claims));
      assert.equal(res.body.error, 'identity_mismatch');
      assert.match(res.body.message, /not the one registered as Thandi Mokoena on this desk/);
      assert.match(res.body.message, /supervisors have been told/);
    }
    for (let waited = 0; alerts().length === before && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    const sent = alerts();
    assert.equal(alerts().length, before + 1, 'one alert for this identity, however often it tries');
    const text = String(sent.at(-1)!.body.text);
    assert.match(text, /Thandi Mokoena \(staff id thandi\)/);
    assert.doesNotMatch(text, new RegExp(impostor), 'no object ids in the channel');
    // The rightful Thandi still gets in.
    assert.equal((await (await as({ oid: people.thandi, preferred_username: 'thandi.mokoena@joburg.example', roles: ['Agent'] })).get('/api/me')).body.staff.id, 'thandi');
  });

  it('a supervisor role does not help: the bound address is refused for another identity', async () => {
    const res = await (await as({ oid: oid(), preferred_username: 'anele.khumalo@joburg.example', roles: ['Supervisor'] })).get('/api/queue');
    assert.equal(res.status, 403);
    assert.equal(res.body.error, 'identity_mismatch');
  });

  it('an entry that lists its object id matches on it alone, and refuses its address from any other identity', async () => {
    const priya = await as({ oid: PRIYA_OID, preferred_username: 'p.naidoo@renamed.example', roles: ['Agent'] });
    assert.equal((await priya.get('/api/me')).body.staff.id, 'priya');
    const other = await (await as({ oid: oid(), preferred_username: 'priya.naidoo@joburg.example', roles: ['Agent'] })).get('/api/me');
    assert.equal(other.status, 403);
    assert.equal(other.body.error, 'identity_mismatch');
  });

  it('the binding holds across instances (it is in Cosmos DB, not in memory)', async () => {
    const second = await startService(settings, { containers: db, definition, scheduler: { start: false } });
    try {
      const impostor = await as({ oid: oid(), preferred_username: 'thandi.mokoena@joburg.example', roles: ['Agent'] });
      const res = await impostor.on(second).get('/api/me');
      assert.equal(res.status, 403);
      assert.equal(res.body.error, 'identity_mismatch');
    } finally {
      await second.close();
    }
  });
});
