/** Test support: a service with the tab API over real HTTP, signed-in staff, seeded cases and an SSE reader. */
import { randomUUID } from 'node:crypto';
import { createLocalSigningKey, type LocalSigningKey } from '../../bot/platform/auth/tokens.js';
import type { Settings } from '../../bot/platform/config/settings.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { openCase, type Case } from '../../bot/domain/case.js';
import { referenceFromSeed } from '../../bot/domain/reference.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import { startService, type RunningService, type ServiceOptions } from '../../bot/service.js';

/** Local mode settings for a test service on a free port. */
export const localSettings: Settings = {
  mode: 'local',
  port: 0,
  host: '127.0.0.1',
  definitionPath: 'unused',
  bot: { kind: 'none' },
  store: { kind: 'embedded', port: 0 },
  tabAuth: { kind: 'local' },
};

/** The local definition (open around the clock) with `extraAgents` more billing agents (agent01…). */
export function definitionWithAgents(extraAgents = 0): ServiceDefinition {
  const def = loadDefinition(LOCAL_DEFINITION);
  const extra = Array.from({ length: extraAgents }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return { id: `agent${n}`, name: `Agent ${n}`, email: `agent${n}@joburg.example`, role: 'agent' as const, skills: ['billing'], regions: ['B'] };
  });
  return { ...def, staff: [...def.staff, ...extra] };
}

/** Starts a service on the given database. */
export function startTestService(
  containers: CosmosContainers,
  definition: ServiceDefinition,
  options: Omit<ServiceOptions, 'containers' | 'definition'> & { key?: LocalSigningKey } = {},
): Promise<RunningService> {
  const { key, ...rest } = options;
  return startService(localSettings, {
    containers,
    definition,
    liveEvents: { pollIntervalMs: 150 },
    ...(key ? { localSigningKey: key } : {}),
    ...rest,
  });
}

export { createLocalSigningKey };

/** Signs in through the local sign-in and returns a client that sends the token. */
export async function signIn(service: RunningService, staffId: string): Promise<ApiClient> {
  const res = await fetch(`${service.url}/api/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ staffId }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${staffId} failed: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return new ApiClient(service.url, token);
}

/** A JSON response. */
export interface ApiResponse {
  status: number;
  body: any;
}

/** Calls the tab API as one signed-in person. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string | undefined,
  ) {}

  /** The same person on another instance. */
  on(service: RunningService): ApiClient {
    return new ApiClient(service.url, this.token);
  }

  async call(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    // JSON answers are parsed; others (the CSV export) are returned as text.
    const json = (res.headers.get('content-type') ?? '').includes('json');
    return { status: res.status, body: text ? (json ? JSON.parse(text) : text) : undefined };
  }

  get(path: string): Promise<ApiResponse> {
    return this.call('GET', path);
  }

  post(path: string, body: unknown = {}): Promise<ApiResponse> {
    return this.call('POST', path, body);
  }
}

const INTAKE_BY_CATEGORY: Record<string, Record<string, string | number>> = {
  billing: { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '+27821234567', description: 'My bill doubled in March.' },
  'credit-control': { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '+27821234567', proposedMonthlyPayment: 500, description: 'I want an arrangement.' },
  metering: { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '+27821234567', meterType: 'water', meterNumber: 'W123456', description: 'Meter reads wrong.' },
  indigent: {
    accountNumber: '501234567',
    accountHolder: 'Lerato Molefe',
    mobile: '+27821234567',
    idNumber: '8001015009087',
    householdSize: 4,
    monthlyHouseholdIncome: 3500,
    description: 'I want to register for ESP.',
  },
  rates: { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '+27821234567', erfNumber: '1234', description: 'Valuation is wrong.' },
};

/** Puts a waiting case straight into the store (as intake would), `minutesAgo` in the past. */
export async function seedCase(
  containers: CosmosContainers,
  definition: ServiceDefinition,
  category: string,
  options: { minutesAgo?: number; intake?: Record<string, string | number> } = {},
): Promise<Case> {
  const store = new CosmosCaseStore(containers.cases);
  const draftId = randomUUID();
  const c = openCase({
    reference: referenceFromSeed(draftId, 0),
    programmeId: definition.programme.id,
    category,
    region: 'B',
    sessionId: 'always',
    draftId,
    ratepayer: { userId: `29:${draftId}`, displayName: 'Lerato M', conversationId: `a:${draftId}`, channelId: 'msteams' },
    intake: options.intake ?? INTAKE_BY_CATEGORY[category] ?? {},
    now: new Date(Date.now() - (options.minutesAgo ?? 0) * 60_000),
  });
  const result = await store.create(c);
  if (!result.created) throw new Error('reference clash while seeding');
  return result.case;
}

/** One Server-Sent Event. */
export interface StreamEvent {
  id?: string;
  event: string;
  data: any;
}

/** Reads /api/events as a tab would (fetch with the bearer token and Last-Event-ID). */
export class EventReader {
  readonly events: StreamEvent[] = [];
  private readonly controller = new AbortController();
  private waiters = new Set<() => void>();
  status = 0;

  private constructor() {}

  /** Opens the stream and resolves once the service says it is ready. */
  static async open(client: ApiClient, lastEventId?: string): Promise<EventReader> {
    const reader = new EventReader();
    const res = await fetch(`${client.baseUrl}/api/events`, {
      headers: {
        ...(client.token ? { authorization: `Bearer ${client.token}` } : {}),
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      signal: reader.controller.signal,
    });
    reader.status = res.status;
    if (res.status !== 200 || !res.body) {
      await res.text();
      return reader;
    }
    void reader.pump(res.body);
    await reader.waitFor((e) => e.event === 'ready', 5000);
    return reader;
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: StreamEvent = { event: 'message', data: undefined };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'id') event.id = value;
            else if (field === 'event') event.event = value;
            else if (field === 'data') data.push(value);
          }
          if (data.length === 0) continue;
          event.data = JSON.parse(data.join('\n'));
          this.events.push(event);
          this.waiters.forEach((w) => w());
        }
      }
    } catch {
      // aborted
    }
  }

  /** Queue events received so far. */
  get queueEvents(): any[] {
    return this.events.filter((e) => e.event === 'queue').map((e) => e.data);
  }

  /** Resolves with the first event (from the start) that matches, or rejects after the timeout. */
  waitFor(match: (e: StreamEvent) => boolean, timeoutMs = 3000): Promise<StreamEvent> {
    const found = this.events.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.events.find(match);
        if (hit) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching event within ${timeoutMs} ms; got ${this.events.map((e) => `${e.event}:${e.data?.kind ?? ''}:${e.data?.reference ?? ''}`).join(', ')}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  close(): void {
    this.controller.abort();
  }
}

/** Signs in several people at once, in order. */
export async function signInAll<const T extends readonly string[]>(service: RunningService, ids: T): Promise<{ [K in keyof T]: ApiClient }> {
  return (await Promise.all(ids.map((id) => signIn(service, id)))) as { [K in keyof T]: ApiClient };
}
