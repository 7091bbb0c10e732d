/**
 * What every benchmark shares: percentiles, a concurrency limiter, the machine and its load,
 * keep-alive HTTP, child processes (the embedded Cosmos DB-compatible server and service
 * instances run in processes of their own, as they would in production) and bulk seeding.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { OperationInput } from '@azure/cosmos';
import { openCosmos, type CosmosContainers } from '../bot/platform/cosmos/database.js';
import { openCase, type Case } from '../bot/domain/case.js';
import { referenceFromSeed } from '../bot/domain/reference.js';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(BENCH_DIR, '..');

/** Sizes: `full` is what the issue asks for; `tiny` proves the scripts work in seconds. */
export type Size = 'full' | 'tiny';

/** One row of the results table. */
export interface Row {
  measurement: string;
  figure: string;
  target?: string;
  /** true met, false missed, undefined no target. */
  met?: boolean;
}

/** What a measurement returns: its rows and notes for the document. */
export interface Result {
  title: string;
  rows: Row[];
  notes?: string[];
  /** The 1-minute load average when it finished. */
  loadAfter?: number;
}

// ---------- statistics ----------

/** The q-quantile (0..1) of the values, nearest-rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export const ms = (n: number) => (n >= 100 ? `${n.toFixed(0)} ms` : `${n.toFixed(1)} ms`);

/** "p50 3.1 ms · p95 9.0 ms · p99 14 ms". */
export function percentiles(values: readonly number[], which: number[] = [50, 95, 99]): string {
  return which.map((p) => `p${p} ${ms(quantile(values, p / 100))}`).join(' · ');
}

/** Runs the tasks with at most `limit` in flight; resolves with their results in order. */
export async function limited<T>(limit: number, tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

export const sleep = (msToWait: number) => new Promise<void>((resolve) => setTimeout(resolve, msToWait));

// ---------- the machine ----------

export function machine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
}

/** The 1, 5 and 15 minute load averages, e.g. "1.92 / 1.40 / 1.10". */
export function load(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

// ---------- HTTP with keep-alive ----------

/** A keep-alive agent: one per client population, sockets reused across turns. */
export function keepAliveAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

/** POSTs JSON and resolves with the status and body once the response has ended. */
export function postJson(agent: http.Agent, url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const payload = Buffer.from(JSON.stringify(body));
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

// ---------- child processes ----------

/** A child process that told us where it listens. */
export interface Child<M> {
  process: ChildProcess;
  message: M;
  stop(): Promise<void>;
}

/**
 * Forks a TypeScript file (through tsx) with IPC and waits for its first message. With
 * BENCH_CPU_PROF=<dir> in the environment, service children write a V8 CPU profile there.
 */
export function forkChild<M>(file: string, args: string[] = [], options: { profile?: boolean; env?: Record<string, string> } = {}): Promise<Child<M>> {
  const profileDir = options.profile ? process.env.BENCH_CPU_PROF : undefined;
  const child = fork(path.join(BENCH_DIR, file), args, {
    execArgv: ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...options.env },
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${file} exited with ${code} before it was ready`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve({
        process: child,
        message: message as M,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            // SIGINT: the child closes what it opened and exits (and writes its profile).
            child.kill('SIGINT');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      });
    });
  });
}

/** The embedded Cosmos DB-compatible server in a process of its own (as the database is elsewhere in production). */
export async function startCosmosProcess(profile = false): Promise<Child<CosmosProcess>> {
  return forkChild<CosmosProcess>('cosmosChild.ts', [], { profile });
}

/** Where the database process listens, its pid, and where it tells how many requests it has served. */
export interface CosmosProcess {
  endpoint: string;
  key: string;
  pid: number;
  statsUrl: string;
}

/** How many requests the database process has served so far. */
export async function databaseRequests(cosmos: CosmosProcess): Promise<number> {
  const res = await fetch(cosmos.statsUrl);
  return ((await res.json()) as { requests: number }).requests;
}

/** What a service child is asked to run. */
export interface ServiceChildConfig {
  kind: 'service' | 'echo';
  endpoint: string;
  key: string;
  databaseId: string;
  /** Extra billing agents in the definition (agent01…). */
  agents: number;
  /** How often the instance reads the shared event log while tabs listen (default: the service's 400 ms). */
  pollIntervalMs?: number;
}

/** A service instance (or the echo bot) in a child process. */
export function startServiceProcess(config: ServiceChildConfig, profile = false): Promise<Child<{ url: string; pid: number }>> {
  return forkChild<{ url: string; pid: number }>('serviceChild.ts', [JSON.stringify(config)], { profile });
}

/** The resident set size and its peak of a process, from /proc (Linux). */
export function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux; 100 ticks a second). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

// ---------- data ----------

/** A fresh database with the service's containers on the embedded server. */
export async function freshBenchDatabase(cosmos: { endpoint: string; key: string }, name: string): Promise<CosmosContainers & { databaseId: string }> {
  const databaseId = `bench-${name}-${randomUUID().slice(0, 8)}`;
  const containers = await openCosmos({ endpoint: cosmos.endpoint, key: cosmos.key, auth: 'key', databaseId });
  return { ...containers, databaseId };
}

/** A case as intake makes it, waiting since `at`. */
export function benchCase(programmeId: string, category: string, at: Date, accountNumber: string, seed = randomUUID()): Case {
  return openCase({
    reference: referenceFromSeed(seed, 0),
    programmeId,
    category,
    region: 'B',
    sessionId: 'bench',
    draftId: seed,
    ratepayer: { userId: `29:${seed}`, displayName: 'Bench Ratepayer', conversationId: `a:bench-${seed}`, channelId: 'msteams' },
    intake: { accountNumber, accountHolder: 'Bench Ratepayer', mobile: '+27821234567', description: 'My bill doubled in March and nobody has explained why.' },
    now: at,
  });
}

/**
 * Loads documents through the SDK's bulk API (executeBulkOperations), `perCall` at a time,
 * `parallel` calls at once. Returns how many were created.
 */
export async function bulkCreate(container: CosmosContainers['cases'], docs: readonly object[], perCall = 1000, parallel = 8): Promise<number> {
  const chunks: object[][] = [];
  for (let i = 0; i < docs.length; i += perCall) chunks.push(docs.slice(i, i + perCall) as object[]);
  let created = 0;
  await limited(
    parallel,
    chunks.map((chunk) => async () => {
      const operations = chunk.map((resourceBody) => ({ operationType: 'Create', partitionKey: (resourceBody as { id: string }).id, resourceBody }) as unknown as OperationInput);
      const results = await container.items.executeBulkOperations(operations);
      for (const r of results) {
        const status = r.response?.statusCode ?? Number(r.error?.code ?? 0);
        if (status === 201) created++;
        else if (status !== 409) throw new Error(`bulk create failed with ${status}: ${JSON.stringify(r.error?.message ?? r.response)}`.slice(0, 300));
      }
    }),
  );
  return created;
}

// ---------- the tab's side ----------

/** Signs in locally on an instance as a member of staff; returns the bearer token. */
export async function localToken(serviceUrl: string, staffId: string): Promise<string> {
  const res = await fetch(`${serviceUrl}/api/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffId }) });
  if (res.status !== 200) throw new Error(`sign-in as ${staffId} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** A live event stream (GET /api/events) as the tab reads it, with each event's arrival time. */
export interface TimedStream {
  events: { at: number; event: string; data: any }[];
  /** Called on each event as it arrives. */
  onEvent?: (e: { at: number; event: string; data: any }) => void;
  close(): void;
}

/** Opens /api/events with the token and resolves once the service says it is ready. */
export async function openTimedStream(serviceUrl: string, token: string): Promise<TimedStream> {
  const controller = new AbortController();
  const res = await fetch(`${serviceUrl}/api/events`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`GET /api/events answered ${res.status}`);
  const stream: TimedStream = { events: [], close: () => controller.abort() };
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const at = performance.now();
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (!data.length) continue;
          const e = { at, event, data: JSON.parse(data.join('\n')) };
          stream.events.push(e);
          stream.onEvent?.(e);
          if (event === 'ready') readyResolve();
        }
      }
    } catch {
      // closed
    }
  })();
  await Promise.race([ready, sleep(10_000).then(() => Promise.reject(new Error('the event stream never said ready')))]);
  return stream;
}

/** The conversation reference intake would have saved for a seeded case, pointing at `serviceUrl`. */
export function benchConversation(c: Case, serviceUrl: string): object {
  return {
    id: c.ratepayer.conversationId,
    channelId: 'msteams',
    kind: 'personal',
    userId: c.ratepayer.userId,
    updatedAt: c.createdAt,
    reference: {
      user: { id: c.ratepayer.userId, name: c.ratepayer.displayName },
      bot: { id: '28:ratepayer-desk-bot', name: 'Ratepayer Desk' },
      conversation: { id: c.ratepayer.conversationId, conversationType: 'personal', tenantId: 'tenant-1' },
      channelId: 'msteams',
      locale: 'en-ZA',
      serviceUrl,
    },
  };
}
