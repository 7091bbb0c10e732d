/**
 * A service for the tests of machine translation between ratepayer and expert (issue 16): the
 * local definition with Sipho (billing and rates) speaking isiZulu besides English (or another), the
 * Translator's local stand-in (real HTTP, its REST contract), a local connector, the embedded
 * Cosmos DB server, and Thandi (English only) signed in to the tab API.
 */
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { translatorFromSettings } from '../../bot/platform/translator/client.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import type { RunningService } from '../../bot/service.js';
import { startTranslatorStandIn, type TranslatorStandIn } from '../../devTools/translator/server.js';
import { startLocalConnector, type LocalConnector } from './connector.js';
import { freshDatabase } from './cosmos.js';
import { definitionWithAgents, signIn, startTestService, type ApiClient } from './tabApi.js';

/** The local definition, Sipho (billing and rates) speaking isiZulu besides English. */
function definitionWithSiphoInZulu(): ServiceDefinition {
  const def = definitionWithAgents(0);
  return { ...def, staff: def.staff.map((s) => (s.id === 'sipho' ? { ...s, languages: ['zu' as const] } : s)) };
}

export interface TranslatedDesk {
  connector: LocalConnector;
  standIn: TranslatorStandIn;
  service: RunningService;
  store: CosmosCaseStore;
  thandi: ApiClient;
  close(): Promise<void>;
}

/**
 * Registers the calling suite's `beforeEach` (a desk started afresh, with `options`) and
 * `afterEach` (it stopped). Call it in the `describe` body; the returned desk's fields are the
 * current test's once `beforeEach` has run.
 */
export function useTranslatedDesk(options: { definition?: ServiceDefinition } = {}): TranslatedDesk {
  const desk = {} as TranslatedDesk;
  beforeEach(async () => {
    Object.assign(desk, await startTranslatedDesk(options));
  });
  afterEach(() => desk.close());
  return desk;
}

/**
 * Starts it all on a fresh database, the service on `definition` (by default the local one with
 * Sipho reading isiZulu); `close` stops the service, the connector and the stand-in.
 */
async function startTranslatedDesk(options: { definition?: ServiceDefinition } = {}): Promise<TranslatedDesk> {
  const connector = await startLocalConnector();
  const standIn = await startTranslatorStandIn();
  const db = await freshDatabase();
  const store = new CosmosCaseStore(db.cases);
  const service = await startTestService(db, options.definition ?? definitionWithSiphoInZulu(), {
    pacing: { ...TEAMS_LIMITS, maxAttempts: 2, baseBackoffMs: 20, maxBackoffMs: 40 },
    translator: translatorFromSettings({ endpoint: standIn.url, auth: { kind: 'key', key: standIn.auth.key!, region: standIn.auth.region! }, timeoutMs: 1000 }),
  });
  const thandi = await signIn(service, 'thandi');
  return {
    connector,
    standIn,
    service,
    store,
    thandi,
    close: async () => {
      await service.close();
      await connector.close();
      await standIn.close();
    },
  };
}
