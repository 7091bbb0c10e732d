import assert from 'node:assert/strict';
import { loadSettings, LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { AZURE_SETTINGS as azure, settingsProblems as problems } from '../support/settings.js';

describe('settings', () => {
  it('runs locally with nothing set: embedded store, no bot auth, bound to 127.0.0.1, local definition', () => {
    const s = loadSettings({});
    assert.equal(s.mode, 'local');
    assert.equal(s.host, '127.0.0.1');
    assert.equal(s.port, 3978);
    assert.equal(s.store.kind, 'embedded');
    assert.equal(s.bot.kind, 'none');
    assert.equal(s.definitionPath, LOCAL_DEFINITION);
  });

  it('treats a Cosmos DB emulator on this machine as local mode', () => {
    const s = loadSettings({ COSMOS_ENDPOINT: 'http://127.0.0.1:8081', COSMOS_KEY: 'k' });
    assert.equal(s.mode, 'local');
    assert.equal(s.store.kind === 'cosmos' && s.store.local, true);
  });

  it('runs in Azure with a managed identity and no keys', () => {
    const s = loadSettings(azure);
    assert.equal(s.mode, 'azure');
    assert.equal(s.host, '0.0.0.0');
    assert.deepEqual(s.bot, { kind: 'UserAssignedMsi', appId: azure.BOT_ID, tenantId: azure.BOT_TENANT_ID });
    assert.equal(s.store.kind === 'cosmos' && s.store.managedIdentityClientId, azure.BOT_ID);
  });

  it('never falls back to the embedded store when Azure bot settings are present', () => {
    const { COSMOS_ENDPOINT: _e, COSMOS_MANAGED_IDENTITY_CLIENT_ID: _m, ...botOnly } = azure;
    assert.ok(problems(botOnly).some((p) => /COSMOS_ENDPOINT is not/.test(p)));
  });

  it('names every missing or contradictory setting at once', () => {
    const found = problems({ BOT_PASSWORD: 'secret', COSMOS_KEY: 'key', PORT: 'eighty' });
    assert.ok(found.some((p) => p.startsWith('BOT_PASSWORD is set but BOT_ID is not')));
    assert.ok(found.some((p) => p.startsWith('COSMOS_KEY is set but COSMOS_ENDPOINT is not')));
    assert.ok(found.some((p) => p.startsWith('PORT must be a port number')));
  });

  it('waits for Cosmos DB 4 s a request and 5 s of throttling by default, and checks the two settings stay inside Teams\' 15 s', () => {
    assert.deepEqual(loadSettings({}).cosmosTimeouts, { requestTimeoutMs: 4000, throttleWaitSeconds: 5 });
    assert.deepEqual(loadSettings({ COSMOS_REQUEST_TIMEOUT_MS: '2500', COSMOS_THROTTLE_WAIT_SECONDS: '0' }).cosmosTimeouts, { requestTimeoutMs: 2500, throttleWaitSeconds: 0 });
    const found = problems({ COSMOS_REQUEST_TIMEOUT_MS: '60000', COSMOS_THROTTLE_WAIT_SECONDS: 'five' });
    assert.ok(found.some((p) => p.startsWith('COSMOS_REQUEST_TIMEOUT_MS must be a whole number of milliseconds from 1000 to 10000 (it is "60000")')), found.join('\n'));
    assert.ok(found.some((p) => p.startsWith('COSMOS_THROTTLE_WAIT_SECONDS must be a whole number of seconds from 0 to 10')), found.join('\n'));
  });

  it('checks each bot type for what it needs', () => {
    assert.ok(problems({ ...azure, BOT_TENANT_ID: '' }).some((p) => p.startsWith('BOT_TENANT_ID is required when BOT_TYPE is UserAssignedMsi')));
    assert.ok(problems({ ...azure, BOT_PASSWORD: 'x' }).some((p) => p.startsWith('BOT_PASSWORD must not be set')));
    assert.ok(problems({ ...azure, BOT_TYPE: 'SingleTenant' }).some((p) => p.startsWith('BOT_PASSWORD is required when BOT_TYPE is SingleTenant')));
    assert.ok(problems({ ...azure, BOT_TYPE: 'Anonymous' }).some((p) => p.startsWith('BOT_TYPE must be')));
    assert.ok(problems({ ...azure, SERVICE_DEFINITION: '' }).some((p) => p.startsWith('SERVICE_DEFINITION is required in Azure mode')));
    assert.ok(problems({ ...azure, COSMOS_ENDPOINT: 'http://cosmos.example.com' }).some((p) => p.includes('https://')));
  });

  it('uses the local sign-in in local mode and refuses Entra settings there', () => {
    assert.deepEqual(loadSettings({}).tabAuth, { kind: 'local' });
    assert.ok(problems({ M365_CLIENT_ID: azure.M365_CLIENT_ID }).some((p) => p.startsWith('M365_CLIENT_ID is set but the service is in local mode')));
  });

  it('requires the Teams SSO settings in Azure mode, naming each', () => {
    const s = loadSettings(azure);
    assert.deepEqual(s.tabAuth, {
      kind: 'entra',
      clientId: azure.M365_CLIENT_ID,
      tenantId: azure.M365_TENANT_ID,
      authorityHost: 'https://login.microsoftonline.com',
      tabEndpoint: 'https://desk.example.org',
    });
    const { M365_CLIENT_ID: _c, M365_TENANT_ID: _t, TAB_ENDPOINT: _e, ...withoutSso } = azure;
    const found = problems(withoutSso);
    for (const name of ['M365_CLIENT_ID', 'M365_TENANT_ID', 'TAB_ENDPOINT'])
      assert.ok(found.some((p) => p.startsWith(`${name} is required in Azure mode`)), name);
    assert.ok(problems({ ...azure, TAB_ENDPOINT: 'http://desk.example.org' }).some((p) => p.startsWith('TAB_ENDPOINT must be')));
    assert.ok(problems({ ...azure, M365_CLIENT_ID: 'my-app' }).some((p) => p.startsWith('M365_CLIENT_ID must be')));
  });
});
