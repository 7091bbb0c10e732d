/**
 * Writes infra/cosmos-containers.json from CONTAINER_DEFINITIONS (bot/platform/cosmos/database.ts): the
 * containers, partition keys, indexing policies and TTLs that infra/azure.bicep creates in Azure.
 * In Azure the service signs in to Cosmos DB with its managed identity, whose data-plane role
 * cannot create containers: every container the service opens must already exist, exactly as the
 * service defines it. tests/deploy/consistency.test.ts fails when this file is out of date.
 *
 *   npm run infra:containers          rewrite the file
 *   npm run infra:containers -- --check   exit 1 if it is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTAINER_DEFINITIONS } from '../bot/platform/cosmos/database.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CONTAINERS_FILE = path.join(root, 'infra/cosmos-containers.json');

/** Properties of an SDK ContainerDefinition that the ARM container resource accepts as they are. */
const PASSED_THROUGH = ['indexingPolicy', 'defaultTtl', 'uniqueKeyPolicy', 'conflictResolutionPolicy'] as const;

/** The ARM `resource` object of one container (Microsoft.DocumentDB/.../containers). */
export interface ArmContainer {
  id: string;
  partitionKey: { paths: string[]; kind: string; version: number };
  indexingPolicy?: unknown;
  defaultTtl?: number;
  uniqueKeyPolicy?: unknown;
  conflictResolutionPolicy?: unknown;
}

/** Converts the service's container definitions to the ARM shape, refusing what ARM would not get. */
export function armContainers(definitions: Record<string, object> = CONTAINER_DEFINITIONS): ArmContainer[] {
  return Object.entries(definitions).map(([role, raw]) => {
    const definition = raw as Record<string, unknown> & { id?: string; partitionKey?: { paths?: string[]; kind?: string; version?: number } };
    if (!definition.id) throw new Error(`CONTAINER_DEFINITIONS.${role} has no id`);
    const paths = definition.partitionKey?.paths;
    if (!paths?.length) throw new Error(`CONTAINER_DEFINITIONS.${role} has no partition key paths`);
    const unknown = Object.keys(definition).filter((k) => k !== 'id' && k !== 'partitionKey' && !(PASSED_THROUGH as readonly string[]).includes(k));
    if (unknown.length)
      throw new Error(`CONTAINER_DEFINITIONS.${role} uses ${unknown.join(', ')}, which scripts/infra-containers.ts does not carry to infra/azure.bicep yet`);
    const container: ArmContainer = {
      id: definition.id,
      // The SDK creates hash partition keys, version 2 (long keys hashed in full), unless told otherwise.
      partitionKey: { paths, kind: definition.partitionKey?.kind ?? 'Hash', version: definition.partitionKey?.version ?? 2 },
    };
    for (const key of PASSED_THROUGH) if (definition[key] !== undefined) (container as unknown as Record<string, unknown>)[key] = definition[key];
    return container;
  });
}

export function containersFileText(): string {
  return `${JSON.stringify(armContainers(), null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = containersFileText();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(CONTAINERS_FILE, 'utf8');
    } catch {
      /* missing: out of date */
    }
    if (current !== text) {
      console.error(`${path.relative(root, CONTAINERS_FILE)} is out of date with CONTAINER_DEFINITIONS: run npm run infra:containers and commit it`);
      process.exit(1);
    }
    console.log(`${path.relative(root, CONTAINERS_FILE)} is up to date.`);
  } else {
    writeFileSync(CONTAINERS_FILE, text);
    console.log(`Wrote ${path.relative(root, CONTAINERS_FILE)} (${armContainers().length} containers).`);
  }
}
