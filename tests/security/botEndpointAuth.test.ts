/**
 * The bot endpoint with an app id configured: only activities signed by the Bot Framework's
 * keys, for this bot, unexpired, get in. The keys are ours, served from a local OpenID metadata
 * document that the adapter is pointed at; everything else is the SDK's real validation.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Settings } from '../../bot/platform/config/settings.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { startService, type RunningService } from '../../bot/service.js';
import { aRatepayer, messageFrom } from '../support/activities.js';
import { freshDatabase, openCasesIn } from '../support/cosmos.js';
import { captureOutput, type CapturedOutput } from '../support/output.js';

const APP_ID = '6f3c2a1e-8b4d-4c2e-9a7f-1d2e3f4a5b6c';
const ISSUER = 'https://api.botframework.com';
const SERVICE_URL = 'https://smba.trafficmanager.net/za/';

describe('bot endpoint authentication (app id configured)', function () {
  this.timeout(20_000);
  let keys: http.Server;
  let service: RunningService;
  let store: CosmosCaseStore;
  let trusted: CryptoKey;
  let stranger: CryptoKey;

  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    trusted = pair.privateKey;
    stranger = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'local-key', use: 'sig', alg: 'RS256', endorsements: ['msteams'] };
    keys = http.createServer((req, res) => {
      const port = (keys.address() as AddressInfo).port;
      const body =
        req.url === '/keys'
          ? { keys: [jwk] }
          : { issuer: ISSUER, jwks_uri: `http://127.0.0.1:${port}/keys`, id_token_signing_alg_values_supported: ['RS256'] };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => keys.listen(0, '127.0.0.1', resolve));
    const db = await freshDatabase();
    store = new CosmosCaseStore(db.cases);
    const settings: Settings = {
      mode: 'azure',
      port: 0,
      host: '127.0.0.1',
      definitionPath: 'unused',
      bot: { kind: 'SingleTenant', appId: APP_ID, password: 'not-used-here', tenantId: 'b1c2d3e4-0000-0000-0000-000000000000' },
      store: { kind: 'embedded', port: 0 },
      tabAuth: {
        kind: 'entra',
        clientId: APP_ID,
        tenantId: 'b1c2d3e4-0000-0000-0000-000000000000',
        authorityHost: 'https://login.microsoftonline.com',
        tabEndpoint: 'https://desk.example.org',
      },
    } as Settings;
    const { loadDefinition } = await import('../../bot/platform/config/definition.js');
    const { LOCAL_DEFINITION } = await import('../../bot/platform/config/settings.js');
    service = await startService(settings, {
      containers: db,
      definition: loadDefinition(LOCAL_DEFINITION),
      // Naming one endpoint makes the SDK take all of them from here: the public cloud's values but the metadata URL.
      botEndpoints: {
        ToBotFromChannelOpenIdMetadataUrl: `http://127.0.0.1:${(keys.address() as AddressInfo).port}/.well-known/openid-configuration`,
        ToBotFromChannelTokenIssuer: ISSUER,
        ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration',
        ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
        ToChannelFromBotOAuthScope: 'https://api.botframework.com',
        OAuthUrl: 'https://api.botframework.com',
        CallerId: 'urn:botframework:azure',
        ValidateAuthority: true,
      },
    });
  });

  // Every refusal is logged; the assertions below say what matters.
  let quiet: CapturedOutput | undefined;
  beforeEach(() => (quiet = captureOutput()));
  afterEach(() => quiet?.restore());

  after(async () => {
    await service?.close();
    keys?.close();
  });

  function token(key: CryptoKey, claims: { aud?: string; iss?: string; exp?: number } = {}) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ serviceurl: SERVICE_URL })
      .setProtectedHeader({ alg: 'RS256', kid: 'local-key', typ: 'JWT' })
      .setIssuer(claims.iss ?? ISSUER)
      .setAudience(claims.aud ?? APP_ID)
      .setIssuedAt(now - 60)
      .setNotBefore(now - 60)
      .setExpirationTime(claims.exp ?? now + 3600)
      .sign(key);
  }

  async function post(activity: Record<string, unknown>, authorization?: string): Promise<number> {
    const response = await fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(activity),
    });
    await response.text();
    return response.status;
  }

  const submission = (user = aRatepayer()) =>
    messageFrom(user, SERVICE_URL, {
      value: {
        verb: 'intake.submit',
        category: 'billing',
        draftId: `draft-${user.aadObjectId}`,
        accountNumber: '501234567',
        accountHolder: 'Lerato Molefe',
        mobile: '0821234567',
        description: 'My bill doubled in March.',
      },
    });

  const refusals: [string, () => Promise<string | undefined>][] = [
    ['no Authorization header', async () => undefined],
    ['a token that is not a JWT', async () => 'Bearer not-a-token'],
    ['a token signed with a key the Bot Framework does not publish', async () => `Bearer ${await token(stranger)}`],
    ['an expired token', async () => `Bearer ${await token(trusted, { exp: Math.floor(Date.now() / 1000) - 3600 })}`],
    ['a token for another bot', async () => `Bearer ${await token(trusted, { aud: '00000000-1111-2222-3333-444444444444' })}`],
    ['a token from another issuer', async () => `Bearer ${await token(trusted, { iss: 'https://login.example.com' })}`],
  ];

  for (const [label, header] of refusals) {
    it(`refuses ${label} with 401 and processes nothing`, async () => {
      const user = aRatepayer();
      assert.equal(await post(submission(user), await header()), 401);
      assert.deepEqual(await openCasesIn(store, user.conversationId), []);
    });
  }

  it('lets in an activity signed by the published key, for this bot, in time', async () => {
    const user = aRatepayer();
    const status = await post(submission(user), `Bearer ${await token(trusted)}`);
    // The reply itself cannot leave this machine (no Azure here), but the activity was accepted and processed.
    assert.notEqual(status, 401);
    assert.equal((await openCasesIn(store, user.conversationId)).length, 1);
  });
});
