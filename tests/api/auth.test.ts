import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import {
  AuthError,
  createLocalSigningKey,
  entraTokenRules,
  mintLocalToken,
  verifyStaffToken,
  type LocalSigningKey,
} from '../../bot/platform/auth/tokens.js';
import type { RunningService } from '../../bot/service.js';
import { StaffIdentifier } from '../../bot/platform/auth/staffBinding.js';
import { CosmosStaffBindings } from '../../bot/platform/cosmos/staffBindingStore.js';
import { freshDatabase } from '../support/cosmos.js';
import { ApiClient, definitionWithAgents, EventReader, startTestService } from '../support/tabApi.js';

const definition = definitionWithAgents();
const thandi = definition.staff.find((s) => s.id === 'thandi')!;

describe('tab API: who gets in (401)', () => {
  let service: RunningService;
  let key: LocalSigningKey;

  before(async () => {
    key = await createLocalSigningKey();
    service = await startTestService(await freshDatabase(), definition, { key });
  });
  after(() => service.close());

  const as = (token: string | undefined) => new ApiClient(service.url, token);

  it('lets in a token minted by the local sign-in', async () => {
    const { token } = await mintLocalToken(key, thandi, new Date());
    const res = await as(token).get('/api/me');
    assert.equal(res.status, 200);
    assert.equal(res.body.staff.id, 'thandi');
    assert.equal(res.body.staff.role, 'agent');
    assert.deepEqual(res.body.staff.skills, ['billing', 'credit-control']);
  });

  const refused: [string, () => Promise<string | undefined>, RegExp][] = [
    ['no token', async () => undefined, /no_token/],
    ['a token signed with another key', async () => (await mintLocalToken(await createLocalSigningKey(), thandi, new Date())).token, /bad_signature/],
    ['an expired token', async () => (await mintLocalToken(key, thandi, new Date(Date.now() - 3 * 3600_000), { expiresInSeconds: 3600 })).token, /token_expired/],
    ['a token for another audience', async () => (await mintLocalToken(key, thandi, new Date(), { audience: 'api://someone-else' })).token, /invalid_aud/],
    ['a token from another issuer', async () => (await mintLocalToken(key, thandi, new Date(), { issuer: 'https://evil.example' })).token, /invalid_iss/],
    ['a token without the tab scope', async () => (await mintLocalToken(key, thandi, new Date(), { scope: 'User.Read' })).token, /invalid_scope/],
    ['a token with its signature cut off', async () => (await mintLocalToken(key, thandi, new Date())).token.split('.').slice(0, 2).join('.') + '.', /no_token/],
  ];

  for (const [what, token, code] of refused) {
    it(`refuses ${what} with 401 on every route`, async () => {
      const client = as(await token());
      for (const [method, path] of [
        ['GET', '/api/me'],
        ['GET', '/api/queue'],
        ['POST', '/api/queue/claim-next'],
        ['GET', '/api/cases/K7M3PQ'],
        ['POST', '/api/cases/K7M3PQ/claim'],
        ['POST', '/api/cases/K7M3PQ/resolve'],
        ['POST', '/api/cases/K7M3PQ/notes'],
        ['POST', '/api/cases/K7M3PQ/release'],
        ['POST', '/api/cases/K7M3PQ/transfer'],
        ['POST', '/api/cases/K7M3PQ/messages'],
        ['POST', '/api/cases/K7M3PQ/no-show'],
        ['POST', '/api/search'],
        ['GET', '/api/supervisor/overview'],
        ['GET', '/api/supervisor/cases.csv'],
        ['POST', '/api/supervisor/cases/K7M3PQ/assign'],
      ] as const) {
        const res = await client.call(method, path, method === 'POST' ? {} : undefined);
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.match(res.body.error, code, `${method} ${path}`);
      }
      const stream = await EventReader.open(client);
      assert.equal(stream.status, 401, 'the live stream too');
    });
  }

  it('does not mint tokens for people the definition does not list', async () => {
    const res = await fetch(`${service.url}/api/local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ staffId: 'mallory' }),
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as any).problems[0].message, /not in the service definition/);
  });

  it('tells the tab, before sign-in, which sign-in to use', async () => {
    const res = await as(undefined).get('/api/config');
    assert.equal(res.status, 200);
    assert.equal(res.body.signIn, 'local');
    assert.equal(res.body.programme.timeZone, definition.timeZone, 'the zone the tab shows times in');
    const staff = await as(undefined).get('/api/local/staff');
    assert.deepEqual(
      staff.body.staff.map((s: any) => s.id),
      definition.staff.map((s) => s.id),
    );
  });
});

describe('Teams SSO tokens (Entra ID v2) through the same verification', () => {
  const tenantId = '0f2b3c4d-1111-4222-8333-944455566677';
  const clientId = '5a6b7c8d-1234-4abc-9def-0123456789ab';
  let jwksServer: http.Server;
  let authorityHost: string;
  let signingKey: CryptoKey;

  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    signingKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'entra-1', alg: 'RS256', use: 'sig' };
    // A stand-in for login.microsoftonline.com serving the tenant's keys.
    jwksServer = http.createServer((req, res) => {
      if (req.url === `/${tenantId}/discovery/v2.0/keys`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    authorityHost = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

  const rules = () => entraTokenRules({ clientId, tenantId, authorityHost, tabEndpoint: 'https://desk.example.org' });
  // Who a token is: decided by its object id, bound in the real store (bot/platform/auth/staffBinding.ts).
  let identifier: StaffIdentifier;
  before(async () => {
    const db = await freshDatabase();
    identifier = new StaffIdentifier(definition, { bindings: new CosmosStaffBindings(db.staffBindings), now: () => new Date() });
  });
  const identify = (claims: Awaited<ReturnType<typeof verifyStaffToken>>) => identifier.identify(claims);

  async function entraToken(claims: Record<string, unknown>, audience = clientId, issuer = `${authorityHost}/${tenantId}/v2.0`) {
    return new SignJWT({ scp: 'access_as_user', tid: tenantId, ver: '2.0', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'entra-1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(signingKey);
  }

  it('accepts an Entra token for the app and maps its role and the definition\'s skills', async () => {
    const claims = await verifyStaffToken(await entraToken({ preferred_username: 'Thandi.Mokoena@joburg.example', roles: ['Agent'], name: 'Thandi M', oid: '11111111-2222-4333-8444-555555555555' }), rules(), new Date());
    const staff = await identify(claims);
    assert.equal(staff.id, 'thandi');
    assert.equal(staff.role, 'agent');
    assert.deepEqual(staff.skills, ['billing', 'credit-control']);
  });

  it('accepts the app id URI forms Teams uses as the audience', async () => {
    for (const aud of [`api://desk.example.org/${clientId}`, `api://desk.example.org/botid-${clientId}`])
      await verifyStaffToken(await entraToken({ roles: ['Agent'] }, aud), rules(), new Date());
  });

  it('refuses another app\'s token, another tenant\'s, and one without a role', async () => {
    await assert.rejects(verifyStaffToken(await entraToken({}, 'some-other-app'), rules(), new Date()), (e: AuthError) => e.status === 401 && e.code === 'invalid_aud');
    await assert.rejects(
      verifyStaffToken(await entraToken({ tid: 'aaaaaaaa-0000-0000-0000-000000000000' }), rules(), new Date()),
      (e: AuthError) => e.status === 401 && e.code === 'invalid_tid',
    );
    await assert.rejects(
      verifyStaffToken(await entraToken({}, clientId, `https://login.microsoftonline.com/${tenantId}/v2.0`), rules(), new Date()),
      (e: AuthError) => e.code === 'invalid_iss',
    );
    const claims = await verifyStaffToken(await entraToken({ preferred_username: 'thandi.mokoena@joburg.example' }), rules(), new Date());
    await assert.rejects(identify(claims), (e: AuthError) => e.status === 403 && e.code === 'no_role');
  });

  it('lets in a supervisor the definition does not list, but not such an agent', async () => {
    const sup = await identify(await verifyStaffToken(await entraToken({ preferred_username: 'boss@joburg.example', roles: ['Supervisor'], oid: 'o-1' }), rules(), new Date()));
    assert.equal(sup.role, 'supervisor');
    const claims = await verifyStaffToken(await entraToken({ preferred_username: 'new@joburg.example', roles: ['Agent'], oid: '66666666-2222-4333-8444-555555555555' }), rules(), new Date());
    await assert.rejects(identify(claims), (e: AuthError) => e.status === 403 && e.code === 'not_listed');
  });
});
