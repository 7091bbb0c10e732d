/**
 * The composition root: builds the service from its settings (stores, services, bot, HTTP) and
 * starts it. Everything here is wiring; behaviour lives in the folders it wires together.
 */
import type { AddressInfo } from 'node:net';
import type { Settings } from './config/settings.js';
import { loadDefinition } from './config/definition.js';
import { CosmosCaseStore } from './cosmos/caseStore.js';
import { CosmosConversationStore } from './cosmos/conversationStore.js';
import { openCosmos, type CosmosContainers } from './cosmos/database.js';
import type { EmbeddedCosmos } from './cosmos/embeddedServer.js';
import type { ServiceDefinition } from './domain/serviceDefinition.js';
import { createHttpServer } from './http/server.js';
import { systemClock, type Clock } from './ports/clock.js';
import { DefinitionDutyRoster } from './services/dutyRoster.js';
import { IntakeService } from './services/intake.js';
import { QueueService } from './services/queue.js';
import { createAdapter } from './teams/adapter.js';
import { createBotApplication } from './teams/application.js';

/** A running service. */
export interface RunningService {
  url: string;
  settings: Settings;
  definition: ServiceDefinition;
  /** Where the data is: the embedded server's endpoint in local mode. */
  cosmosEndpoint: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** Overrides for tests: a clock, or an already open database. */
export interface ServiceOptions {
  clock?: Clock;
  containers?: CosmosContainers;
  definition?: ServiceDefinition;
}

async function openStore(settings: Settings): Promise<{ containers: CosmosContainers; endpoint: string; embedded?: EmbeddedCosmos }> {
  if (settings.store.kind === 'embedded') {
    const { startEmbeddedCosmos } = await import('./cosmos/embeddedServer.js');
    const embedded = await startEmbeddedCosmos(settings.store.port);
    const containers = await openCosmos({ endpoint: embedded.endpoint, key: embedded.key, auth: 'key', databaseId: 'ratepayer-desk' });
    return { containers, endpoint: embedded.endpoint, embedded };
  }
  const s = settings.store;
  const containers = await openCosmos(
    s.key
      ? { endpoint: s.endpoint, databaseId: s.databaseId, auth: 'key', key: s.key }
      : { endpoint: s.endpoint, databaseId: s.databaseId, auth: 'identity', ...(s.managedIdentityClientId ? { managedIdentityClientId: s.managedIdentityClientId } : {}) },
  );
  return { containers, endpoint: s.endpoint };
}

/** Builds and starts the service on its port. */
export async function startService(settings: Settings, options: ServiceOptions = {}): Promise<RunningService> {
  const definition = options.definition ?? loadDefinition(settings.definitionPath);
  const clock = options.clock ?? systemClock;
  const store = options.containers
    ? { containers: options.containers, endpoint: 'provided' }
    : await openStore(settings);
  const { containers } = store;

  const cases = new CosmosCaseStore(containers.cases);
  const conversations = new CosmosConversationStore(containers.conversations);
  const queue = new QueueService(definition, cases, new DefinitionDutyRoster(definition));
  const intake = new IntakeService(definition, cases, queue, clock);

  const adapter = createAdapter(settings.bot);
  const bot = createBotApplication({ adapter, intake, conversations, clock });

  const server = createHttpServer({
    mode: settings.mode,
    processActivity: (req, res) => adapter.process(req, res, (context) => bot.run(context).then(() => undefined)),
    health: async () => {
      await containers.database.read();
      return { ok: true };
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${settings.host === '0.0.0.0' ? 'localhost' : settings.host}:${address.port}`,
    settings,
    definition,
    cosmosEndpoint: store.endpoint,
    embedded: 'embedded' in store && !!store.embedded,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      containers.client.dispose();
      if ('embedded' in store && store.embedded) await store.embedded.close();
    },
  };
}
