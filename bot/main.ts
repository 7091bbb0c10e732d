/**
 * Starts the service alone (`npm run serve`): the entry point in Azure. `npm start` runs
 * scripts/start.ts instead, which adds the Agents Playground for local use.
 */
import { DefinitionError } from './platform/config/definition.js';
import { loadSettings, SettingsError } from './platform/config/settings.js';
import { startService } from './service.js';
import { stopOnSignals } from './platform/shutdown.js';
import { log } from './platform/log.js';

try {
  const settings = loadSettings();
  const service = await startService(settings);
  log.info(`Ratepayer Desk (${settings.mode} mode) listening on ${service.url}; programme: ${service.definition.programme.name}`);
  stopOnSignals(service);
} catch (error) {
  if (error instanceof SettingsError || error instanceof DefinitionError) {
    log.fatal({ problems: error instanceof SettingsError ? error.problems : undefined }, error.message);
    process.exit(2);
  }
  throw error;
}
