/**
 * The email receipts settings (issue 19): the access key (the local stand-in) or the managed
 * identity (Azure, no secret in settings); each mistake refused at start-up with a message naming
 * the setting.
 */
import assert from 'node:assert/strict';
import { loadSettings } from '../../bot/platform/config/settings.js';
import { settingsProblems as problems } from '../support/settings.js';

const endpoint = 'https://rpdesk-acs.africa.communication.azure.com';
const sender = 'DoNotReply@0a1b2c3d.azurecomm.net';
const clientId = '6f3c2a1e-8b4d-4c2e-9a7f-1d2e3f4a5b6c';

describe('settings: email receipts through ACS Email (issue 19)', () => {
  it('uses the managed identity when no key is given: the user-assigned one named, else DefaultAzureCredential', () => {
    assert.deepEqual(loadSettings({ ACS_EMAIL_ENDPOINT: endpoint, ACS_EMAIL_SENDER: sender, ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID: clientId }).email, {
      endpoint,
      auth: { kind: 'identity', managedIdentityClientId: clientId },
      senderAddress: sender,
    });
    assert.deepEqual(loadSettings({ ACS_EMAIL_ENDPOINT: endpoint, ACS_EMAIL_SENDER: sender }).email?.auth, { kind: 'identity' });
  });

  it('takes an access key (the local stand-in, or a deployment without identity)', () => {
    const key = Buffer.from('a key').toString('base64');
    assert.deepEqual(loadSettings({ ACS_EMAIL_ENDPOINT: 'http://127.0.0.1:4010/', ACS_EMAIL_SENDER: sender, ACS_EMAIL_KEY: key }).email?.auth, { kind: 'key', accessKey: key });
  });

  it('has no email without its settings, and refuses each mistake naming the setting', () => {
    assert.equal(loadSettings({}).email, undefined);
    const alone = problems({ ACS_EMAIL_KEY: 'a2V5', ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID: clientId });
    for (const name of ['ACS_EMAIL_KEY', 'ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID'])
      assert.ok(alone.some((p) => p.startsWith(`${name} is set but ACS_EMAIL_ENDPOINT and ACS_EMAIL_SENDER are not`)), name);
    assert.ok(problems({ ACS_EMAIL_ENDPOINT: endpoint }).some((p) => /ACS_EMAIL_ENDPOINT and ACS_EMAIL_SENDER together: set ACS_EMAIL_SENDER/.test(p)));
    assert.ok(problems({ ACS_EMAIL_ENDPOINT: endpoint, ACS_EMAIL_SENDER: sender, ACS_EMAIL_KEY: 'a2V5', ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID: clientId }).some((p) => p.startsWith('set either ACS_EMAIL_KEY or ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID')));
    assert.ok(problems({ ACS_EMAIL_ENDPOINT: endpoint, ACS_EMAIL_SENDER: sender, ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID: 'my-identity' }).some((p) => p.startsWith('ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID must be the managed identity\'s client id, a GUID')));
    assert.ok(problems({ ACS_EMAIL_ENDPOINT: endpoint, ACS_EMAIL_SENDER: sender, ACS_EMAIL_KEY: 'endpoint=https://x;accesskey=abc' }).some((p) => p.startsWith('ACS_EMAIL_KEY must be the resource\'s access key')));
    assert.ok(problems({ ACS_EMAIL_ENDPOINT: 'http://127.0.0.1:4010/', ACS_EMAIL_SENDER: sender }).some((p) => p.startsWith('ACS_EMAIL_KEY is required for an email stand-in on this machine')));
    assert.ok(problems({ ACS_EMAIL_ENDPOINT: 'http://rpdesk-acs.communication.azure.com', ACS_EMAIL_SENDER: sender }).some((p) => p.startsWith('ACS_EMAIL_ENDPOINT must be an https URL')));
    assert.ok(problems({ ACS_EMAIL_ENDPOINT: endpoint, ACS_EMAIL_SENDER: 'DoNotReply' }).some((p) => p.startsWith('ACS_EMAIL_SENDER must be an email address')));
  });
});
