/** Test support: the service's settings as loadSettings reads them from the environment. */
import assert from 'node:assert/strict';
import { loadSettings, SettingsError } from '../../bot/platform/config/settings.js';

/** The problems loadSettings refuses `env` with (SettingsError's list); the test fails if it accepts it. */
export function settingsProblems(env: Record<string, string>): string[] {
  try {
    loadSettings(env);
  } catch (error) {
    assert.ok(error instanceof SettingsError);
    return error.problems;
  }
  assert.fail('expected the settings to be refused');
}

/**
 * The settings every Azure-mode service needs (the bot's managed identity, Cosmos DB by identity,
 * the pilot's definition, the tab's SSO), with example values: what a test adds a feature's
 * settings to, or takes one from.
 */
export const AZURE_SETTINGS = {
  BOT_ID: '6f3c2a1e-8b4d-4c2e-9a7f-1d2e3f4a5b6c',
  BOT_TYPE: 'UserAssignedMsi',
  BOT_TENANT_ID: 'b1c2d3e4-0000-0000-0000-000000000000',
  COSMOS_ENDPOINT: 'https://rpdesk.documents.azure.com:443/',
  COSMOS_MANAGED_IDENTITY_CLIENT_ID: '6f3c2a1e-8b4d-4c2e-9a7f-1d2e3f4a5b6c',
  SERVICE_DEFINITION: 'bot/definitions/joburg-region-b-pilot.json',
  M365_CLIENT_ID: '0b7c9d2e-1a2b-4c3d-8e9f-a0b1c2d3e4f5',
  M365_TENANT_ID: 'b1c2d3e4-0000-0000-0000-000000000000',
  TAB_ENDPOINT: 'https://desk.example.org',
};
