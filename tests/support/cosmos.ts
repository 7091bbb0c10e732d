/** Test support: the embedded Cosmos DB-compatible server, one per test run, a fresh database per suite. */
import { randomUUID } from 'node:crypto';
import { openCosmos, type CosmosContainers } from '../../bot/cosmos/database.js';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../bot/cosmos/embeddedServer.js';

let shared: Promise<EmbeddedCosmos> | undefined;

/** The embedded server for this test run (started on first use, stopped when mocha exits). */
export function embeddedCosmos(): Promise<EmbeddedCosmos> {
  shared ??= startEmbeddedCosmos();
  return shared;
}

/** A fresh database on the embedded server, with the service's containers. */
export async function freshDatabase(): Promise<CosmosContainers & { settings: { endpoint: string; key: string; databaseId: string } }> {
  const server = await embeddedCosmos();
  const databaseId = `test-${randomUUID()}`;
  const containers = await openCosmos({ endpoint: server.endpoint, key: server.key, auth: 'key', databaseId });
  return { ...containers, settings: { endpoint: server.endpoint, key: server.key, databaseId } };
}
