/** Test support: the embedded Cosmos DB-compatible server, one per test run, a fresh database per suite. */
import { randomUUID } from 'node:crypto';
import type { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { openCosmos, type CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../bot/platform/cosmos/embeddedServer.js';
import type { StoredCase } from '../../bot/platform/ports/caseStore.js';

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

/** What the store holds open for a conversation (waiting or with an expert), oldest in the queue first, read by query. */
export async function openCasesIn(store: CosmosCaseStore, conversationId: string): Promise<StoredCase[]> {
  const all = await store.listForConversation(conversationId, 100);
  return all.filter((c) => c.state === 'waiting' || c.state === 'in_progress').sort((a, b) => a.queueKey.localeCompare(b.queueKey));
}
