/** The Translator settings (issue 16): each mistake refused with a message naming the setting. */
import assert from 'node:assert/strict';
import { loadSettings } from '../../bot/platform/config/settings.js';
import { settingsProblems as problems } from '../support/settings.js';

const subdomain = 'https://desk-translator.cognitiveservices.azure.com/translator/text/v3.0';

describe('settings: the Translator (issue 16)', () => {
  it('has no translator without TRANSLATOR_ENDPOINT, and refuses its other settings alone, naming each', () => {
    assert.equal(loadSettings({}).translator, undefined);
    const found = problems({ TRANSLATOR_KEY: 'k', TRANSLATOR_REGION: 'southafricanorth', TRANSLATOR_MANAGED_IDENTITY_CLIENT_ID: 'x', TRANSLATOR_TIMEOUT_MS: '3000' });
    for (const name of ['TRANSLATOR_KEY', 'TRANSLATOR_REGION', 'TRANSLATOR_MANAGED_IDENTITY_CLIENT_ID', 'TRANSLATOR_TIMEOUT_MS'])
      assert.ok(found.some((p) => p.startsWith(`${name} is set but TRANSLATOR_ENDPOINT is not`)), name);
  });

  it('takes a key with the resource region, anywhere', () => {
    const s = loadSettings({ TRANSLATOR_ENDPOINT: 'https://api.cognitive.microsofttranslator.com/', TRANSLATOR_KEY: 'k', TRANSLATOR_REGION: 'southafricanorth' });
    assert.deepEqual(s.translator, { endpoint: 'https://api.cognitive.microsofttranslator.com', auth: { kind: 'key', key: 'k', region: 'southafricanorth' }, timeoutMs: 3000 });
    assert.ok(problems({ TRANSLATOR_ENDPOINT: 'https://api.cognitive.microsofttranslator.com', TRANSLATOR_KEY: 'k' }).some((p) => p.startsWith('TRANSLATOR_REGION is required with TRANSLATOR_KEY')));
    assert.ok(problems({ TRANSLATOR_ENDPOINT: 'https://api.cognitive.microsofttranslator.com', TRANSLATOR_KEY: 'k', TRANSLATOR_REGION: 'South Africa North' }).some((p) => p.startsWith('TRANSLATOR_REGION must be an Azure region name')));
  });

  it('uses the managed identity only at a custom subdomain endpoint', () => {
    const s = loadSettings({ TRANSLATOR_ENDPOINT: subdomain, TRANSLATOR_MANAGED_IDENTITY_CLIENT_ID: '6f3c2a1e-8b4d-4c2e-9a7f-1d2e3f4a5b6c' });
    assert.deepEqual(s.translator?.auth, { kind: 'identity', managedIdentityClientId: '6f3c2a1e-8b4d-4c2e-9a7f-1d2e3f4a5b6c' });
    assert.ok(problems({ TRANSLATOR_ENDPOINT: 'https://api.cognitive.microsofttranslator.com' }).some((p) => p.startsWith("TRANSLATOR_ENDPOINT must be the Translator resource's custom subdomain")));
    assert.ok(problems({ TRANSLATOR_ENDPOINT: subdomain, TRANSLATOR_KEY: 'k', TRANSLATOR_REGION: 'southafricanorth', TRANSLATOR_MANAGED_IDENTITY_CLIENT_ID: 'x' }).some((p) => p.startsWith('set either TRANSLATOR_KEY or TRANSLATOR_MANAGED_IDENTITY_CLIENT_ID')));
  });

  it('refuses a malformed or plain-http remote endpoint, a stand-in without a key, and a timeout out of range', () => {
    assert.ok(problems({ TRANSLATOR_ENDPOINT: 'translator', TRANSLATOR_KEY: 'k', TRANSLATOR_REGION: 'x' }).some((p) => p.startsWith('TRANSLATOR_ENDPOINT must be a URL')));
    assert.ok(problems({ TRANSLATOR_ENDPOINT: 'http://translator.example.org', TRANSLATOR_KEY: 'k', TRANSLATOR_REGION: 'x' }).some((p) => p.startsWith('TRANSLATOR_ENDPOINT must use https://')));
    assert.ok(problems({ TRANSLATOR_ENDPOINT: 'http://127.0.0.1:5000' }).some((p) => p.startsWith('TRANSLATOR_KEY is required for a Translator stand-in')));
    assert.ok(problems({ TRANSLATOR_ENDPOINT: 'http://127.0.0.1:5000', TRANSLATOR_KEY: 'k', TRANSLATOR_REGION: 'local', TRANSLATOR_TIMEOUT_MS: '60000' }).some((p) => p.startsWith('TRANSLATOR_TIMEOUT_MS must be a whole number')));
    assert.equal(loadSettings({ TRANSLATOR_ENDPOINT: 'http://127.0.0.1:5000', TRANSLATOR_KEY: 'k', TRANSLATOR_REGION: 'local', TRANSLATOR_TIMEOUT_MS: '800' }).translator?.timeoutMs, 800);
  });
});
