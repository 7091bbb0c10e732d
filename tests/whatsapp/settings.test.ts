/** The WhatsApp and SMS settings (issue 18): off unless asked for, and every mistake named at once. */
import assert from 'node:assert/strict';
import { loadSettings, SettingsError } from '../../bot/platform/config/settings.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadSettings(env);
    return [];
  } catch (error) {
    assert.ok(error instanceof SettingsError);
    return error.problems;
  }
};

describe('WhatsApp and SMS settings', () => {
  const secret = 'x'.repeat(40);
  const channel = '0f0eb78e-a576-1dfc-b414-0f0756de3338';

  it('are off unless a channel is set', () => {
    assert.equal(loadSettings({}).acs, undefined);
  });

  it('use the managed identity with ACS_ENDPOINT, or the access key of a connection string', () => {
    const identity = loadSettings({ ACS_ENDPOINT: 'https://desk-acs.africa.communication.azure.com', ACS_MANAGED_IDENTITY_CLIENT_ID: 'id-1', WHATSAPP_CHANNEL_ID: channel, WHATSAPP_EVENTS_SECRET: secret }).acs;
    assert.deepEqual(identity?.auth, { kind: 'identity', managedIdentityClientId: 'id-1' });
    const key = loadSettings({ ACS_CONNECTION_STRING: 'endpoint=http://127.0.0.1:4000/;accesskey=a2V5', SMS_FROM: '+27110000000', WHATSAPP_EVENTS_SECRET: secret }).acs;
    assert.deepEqual([key?.endpoint, key?.auth, key?.whatsappChannelId, key?.smsFrom], ['http://127.0.0.1:4000/', { kind: 'key', accessKey: 'a2V5' }, undefined, '+27110000000']);
  });

  it('name every missing or wrong setting', () => {
    const problems = problemsOf({ WHATSAPP_CHANNEL_ID: 'not-a-guid', WHATSAPP_EVENTS_SECRET: 'short' });
    assert.ok(problems.some((p) => /ACS_ENDPOINT \(or ACS_CONNECTION_STRING\) is required/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /WHATSAPP_CHANNEL_ID must be the channel registration id/.test(p)));
    assert.ok(problems.some((p) => /WHATSAPP_EVENTS_SECRET must be a random secret of at least 32 characters/.test(p)));
    assert.ok(problemsOf({ ACS_ENDPOINT: 'https://x.communication.azure.com' }).some((p) => /ACS_ENDPOINT is set but neither WHATSAPP_CHANNEL_ID nor SMS_FROM is/.test(p)));
    assert.ok(problemsOf({ ACS_ENDPOINT: 'http://x.communication.azure.com', WHATSAPP_CHANNEL_ID: channel, WHATSAPP_EVENTS_SECRET: secret }).some((p) => /must use https/.test(p)));
  });
});
