/**
 * The one seam to Cosmos DB: one CosmosClient per process (the SDK pools connections and caches
 * routing), the database and its containers created if missing, the same code path locally
 * against the embedded server and in production against Azure.
 */
import { CosmosClient, type Container, type ContainerDefinition, type Database } from '@azure/cosmos';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';

/** How to reach Cosmos DB. */
export type CosmosSettings = {
  endpoint: string;
  databaseId: string;
  /** One request's limit in ms (default 4000) and all retries of a throttled one in s (default 5): see connectionPolicyOf. */
  requestTimeoutMs?: number;
  throttleWaitSeconds?: number;
} & ({ auth: 'key'; key: string } | { auth: 'identity'; managedIdentityClientId?: string });

/** The containers the service uses, by role. */
export interface CosmosContainers {
  database: Database;
  cases: Container;
  conversations: Container;
  /** The shared log of queue events that carries live updates between instances. */
  events: Container;
  /** Who has the agents' tab open, for the wait estimate. */
  presence: Container;
  /** The scheduler's lease (one instance does the session work) and what it has done. */
  leases: Container;
  /** Supervisors' channels, the summary card of each session, wait alerts. */
  supervision: Container;
  /** The audit trail of searches: who searched for what, when. */
  searches: Container;
  /** Staff addresses bound to the Entra identity that first signed in with them, and refused sign-ins. */
  staffBindings: Container;
  /** Photos ratepayers send on WhatsApp (issue 18), kept for the expert within the case's retention. */
  media: Container;
  client: CosmosClient;
}

/**
 * The containers, their partition keys and indexes. infra/azure.bicep declares the same set;
 * a test keeps the two in step.
 */
export const CONTAINER_DEFINITIONS = {
  cases: {
    id: 'cases',
    partitionKey: { paths: ['/id'] },
    // -1: TTL is on but nothing expires unless the item sets its own ttl (closed cases do).
    defaultTtl: -1,
    indexingPolicy: {
      indexingMode: 'consistent',
      includedPaths: [{ path: '/*' }],
      // Free-text answers and the audit trail are never filtered on: keep them out of the index.
      excludedPaths: [{ path: '/intake/*' }, { path: '/audit/*' }, { path: '/"_etag"/?' }],
      compositeIndexes: [
        [
          { path: '/programmeId', order: 'ascending' },
          { path: '/state', order: 'ascending' },
          { path: '/queueKey', order: 'ascending' },
        ],
        [
          { path: '/accountNumber', order: 'ascending' },
          { path: '/createdAt', order: 'descending' },
        ],
      ],
    },
  },
  conversations: {
    id: 'conversations',
    partitionKey: { paths: ['/id'] },
    // -1: TTL on, set per item: a ratepayer's chat expires with the retention period after its
    // last write; supervisors' channels stay.
    defaultTtl: -1,
  },
  events: {
    id: 'events',
    // One stream per programme: every poll is a single-partition query.
    partitionKey: { paths: ['/stream'] },
    // A tab that was away longer than a day reloads its queue instead of replaying events.
    defaultTtl: 24 * 60 * 60,
    indexingPolicy: {
      indexingMode: 'consistent',
      includedPaths: [{ path: '/stream/?' }, { path: '/id/?' }],
      excludedPaths: [{ path: '/*' }],
    },
  },
  presence: {
    id: 'presence',
    partitionKey: { paths: ['/id'] },
    // Reports are refreshed every 30 s while a tab is open; a stale one simply expires.
    defaultTtl: 10 * 60,
  },
  leases: {
    id: 'leases',
    // One small document per lease, read and written by id with its ETag.
    partitionKey: { paths: ['/id'] },
  },
  supervision: {
    id: 'supervision',
    // Channel registrations, one summary card per channel and session, one alert per case: all point operations.
    partitionKey: { paths: ['/id'] },
    // -1: nothing expires unless the item says (session cards and alerts keep 30 days).
    defaultTtl: -1,
  },
  searches: {
    id: 'searches',
    // One document per search, written once; read when someone asks who searched for what.
    partitionKey: { paths: ['/id'] },
    // No TTL: an audit trail is kept as long as the cases it concerns may be asked about.
  },
  staffBindings: {
    id: 'staffBindings',
    // Point reads by address; a query by identity (oid, tid) on a sign-in not yet cached.
    partitionKey: { paths: ['/id'] },
  },
  media: {
    id: 'media',
    // One document per photo, read by id when its case page is shown.
    partitionKey: { paths: ['/id'] },
    // -1: TTL on, set per photo (the programme's retention, counted from when it was sent).
    defaultTtl: -1,
    indexingPolicy: { indexingMode: 'consistent', includedPaths: [], excludedPaths: [{ path: '/*' }] },
  },
} satisfies Record<string, ContainerDefinition>;

/**
 * How long the client waits for the database, set well inside the ~15 s after which Teams resends
 * an activity it has no answer to (DESIGN §6): the SDK's defaults (60 s per request, up to 30 s
 * of throttling retries) made one chat turn last a minute when the database hung.
 * - `requestTimeout` (ms): one HTTP request to Cosmos DB; past it the SDK throws a TimeoutError
 *   (code 408), which the turn answers with "something went wrong on our side". With endpoint
 *   discovery off (local, one endpoint) a timed-out request is not retried; in Azure (discovery on)
 *   the SDK's timeout-failover policy may try a timed-out read again on another region's endpoint.
 * - `retryOptions`: 429 (throttled) requests are retried as the service asks (x-ms-retry-after-ms),
 *   at most `maxRetryAttemptCount` times and `maxWaitTimeInSeconds` in all.
 * Both are settings (COSMOS_REQUEST_TIMEOUT_MS, COSMOS_THROTTLE_WAIT_SECONDS; bot/platform/config/settings.ts).
 * Source: @azure/cosmos 4.10 ConnectionPolicy and RetryOptions.
 */
function connectionPolicyOf(settings: CosmosSettings) {
  return {
    requestTimeout: settings.requestTimeoutMs ?? 4_000,
    retryOptions: { maxRetryAttemptCount: 9, maxWaitTimeInSeconds: settings.throttleWaitSeconds ?? 5 },
  };
}

/** Connects, creates the database and containers when missing, and returns them. */
export async function openCosmos(settings: CosmosSettings): Promise<CosmosContainers> {
  const client =
    settings.auth === 'key'
      ? new CosmosClient({
          endpoint: settings.endpoint,
          key: settings.key,
          // The embedded server advertises https:// locations it does not serve; plain-HTTP
          // endpoints (loopback only) must not follow the discovery.
          connectionPolicy: {
            ...connectionPolicyOf(settings),
            ...(settings.endpoint.startsWith('http://') ? { enableEndpointDiscovery: false } : {}),
          },
        })
      : new CosmosClient({
          endpoint: settings.endpoint,
          connectionPolicy: connectionPolicyOf(settings),
          aadCredentials: settings.managedIdentityClientId
            ? new ManagedIdentityCredential({ clientId: settings.managedIdentityClientId })
            : new DefaultAzureCredential(),
        });
  const { database } = await client.databases.createIfNotExists({ id: settings.databaseId });
  const created = await Promise.all(
    Object.values(CONTAINER_DEFINITIONS).map((definition) => database.containers.createIfNotExists(definition)),
  );
  const [cases, conversations, events, presence, leases, supervision, searches, staffBindings, media] = created.map((r) => r.container) as [
    Container, Container, Container, Container, Container, Container, Container, Container, Container,
  ];
  return { client, database, cases, conversations, events, presence, leases, supervision, searches, staffBindings, media };
}
