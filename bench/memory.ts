/**
 * Memory: the resident set size of a service instance (its own process, read from
 * /proc/<pid>/status) with 10,000 cases waiting and 200 tab streams open (50 agents with four
 * tabs each; every tab loads its queue as the tab does when its stream is ready), then while
 * 50 new cases are queued through the bot and their events fan out to every stream.
 *
 * Measured twice on the same cases: the service compiled to JavaScript (`npm run build:service`,
 * started with `node bot/main.js` as App Service starts it, its settings from the environment),
 * then the TypeScript sources under tsx (as `npm start` runs them, which compiles in memory).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildService } from '../scripts/build-service.js';
import { aRatepayer, cardOf, messageFrom } from '../tests/support/activities.js';
import { startLocalConnector } from '../tests/support/connector.js';
import { definitionWithAgents } from '../tests/support/tabApi.js';
import {
  benchCase,
  bulkCreate,
  freshBenchDatabase,
  keepAliveAgent,
  limited,
  localToken,
  mib,
  openTimedStream,
  postJson,
  REPO,
  rssOf,
  sleep,
  startServiceProcess,
  type Result,
  type Row,
  type Size,
  type TimedStream,
} from './lib.js';

const CATEGORIES = ['billing', 'credit-control', 'rates', 'metering', 'indigent'];

interface RunningInstance {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The compiled service in `dir`, started as App Service starts it; resolves once it says where it listens. */
function startCompiled(dir: string, env: Record<string, string>): Promise<RunningInstance> {
  const child = spawn(process.execPath, [path.join(dir, 'bot/main.js')], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the compiled service did not start: ${errors.slice(0, 300)}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`the compiled service exited with ${code}: ${errors.slice(0, 300)}`)));
    let out = '';
    const listening = (chunk: string) => {
      out += chunk;
      const url = /listening on (http:\/\/\S+?);/.exec(out)?.[1];
      if (!url) return;
      // Once: left attached, every later line (its "SIGTERM: stopping…") matched the kept output
      // again and removed the 'exit' listener stop() waits on, so the bench waited for ever.
      child.stdout!.off('data', listening);
      child.stdout!.resume();
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        url,
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      });
    };
    child.stdout!.setEncoding('utf8').on('data', listening);
  });
}

/** RSS of one instance: idle, with the streams open and their queues loaded, after the submissions. */
async function measure(instance: RunningInstance, agents: number, tabsEach: number, submissions: number) {
  const { url, pid } = instance;
  const connector = await startLocalConnector();
  const streams: TimedStream[] = [];
  const http = keepAliveAgent(8);
  try {
    await sleep(1000);
    const idle = rssOf(pid);
    const staff = Array.from({ length: agents }, (_, i) => `agent${String(i + 1).padStart(2, '0')}`);
    const tokens = await Promise.all(staff.map((id) => localToken(url, id)));
    await limited(
      20,
      Array.from({ length: agents * tabsEach }, (_, i) => async () => {
        const token = tokens[i % agents]!;
        streams.push(await openTimedStream(url, token));
        const res = await fetch(`${url}/api/queue`, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
      }),
    );
    await sleep(1000);
    const open = rssOf(pid);
    for (let i = 0; i < submissions; i++) {
      const user = aRatepayer('Bench Ratepayer');
      await postJson(http, `${url}/api/messages`, messageFrom(user, connector.serviceUrl, { text: 'billing' }));
      const draftId = cardOf(connector.sent.findLast((s) => s.conversationId === user.conversationId)!.body)?.actions?.[0]?.data?.draftId;
      await postJson(
        http,
        `${url}/api/messages`,
        messageFrom(user, connector.serviceUrl, {
          value: { verb: 'intake.submit', category: 'billing', draftId, accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '0821234567', email: '', description: 'My bill doubled.' },
        }),
      );
    }
    await sleep(1000);
    const after = rssOf(pid);
    const delivered = streams.reduce((n, s) => n + s.events.filter((e) => e.event === 'queue').length, 0);
    return { idle, open, after, delivered, streams: streams.length };
  } finally {
    streams.forEach((s) => s.close());
    http.destroy();
    await instance.stop();
    await connector.close();
  }
}

export async function benchMemory(cosmos: { endpoint: string; key: string }, size: Size): Promise<Result> {
  const waitingCount = size === 'tiny' ? 100 : 10_000;
  const agents = size === 'tiny' ? 4 : 50;
  const tabsEach = size === 'tiny' ? 2 : 4;
  const submissions = size === 'tiny' ? 3 : 50;
  const definition = definitionWithAgents(agents);
  const db = await freshBenchDatabase(cosmos, 'memory');
  const work = mkdtempSync(path.join(os.tmpdir(), 'bench-memory-'));
  try {
    const now = Date.now();
    await bulkCreate(
      db.cases,
      Array.from({ length: waitingCount }, (_, i) => benchCase(definition.programme.id, CATEGORIES[i % 5]!, new Date(now - (waitingCount - i) * 1000), String(500000000 + i))),
    );
    // Inside the repository, so the compiled service finds its packages in its node_modules (in
    // Azure, `npm ci --omit=dev` installs them beside it).
    const compiledDir = buildService({ outDir: path.join(REPO, 'dist', 'bench-memory-service'), log: () => undefined });
    const definitionPath = path.join(work, 'definition.json');
    writeFileSync(definitionPath, JSON.stringify(definition));
    const compiled = await measure(
      await startCompiled(compiledDir, { PORT: '0', COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: cosmos.key, COSMOS_DATABASE: db.databaseId, SERVICE_DEFINITION: definitionPath }),
      agents,
      tabsEach,
      submissions,
    );
    const underTsx = await measure(
      await startServiceProcess({ kind: 'service', endpoint: cosmos.endpoint, key: cosmos.key, databaseId: db.databaseId, agents }).then((child) => ({
        url: child.message.url,
        pid: child.message.pid,
        stop: child.stop,
      })),
      agents,
      tabsEach,
      submissions,
    );
    const rows = (label: string, m: Awaited<ReturnType<typeof measure>>): Row[] => [
      { measurement: `${label}: RSS after start (no tab open)`, figure: mib(m.idle.rss) },
      {
        measurement: `${label}: RSS with ${m.streams} streams open, each tab's queue loaded (200 rows)`,
        figure: `${mib(m.open.rss)} (+${mib(m.open.rss - m.idle.rss)}, ≈ ${((m.open.rss - m.idle.rss) / m.streams / 1024).toFixed(0)} KiB a tab)`,
      },
      {
        measurement: `${label}: RSS after ${submissions} cases queued through the bot (${m.delivered.toLocaleString('en-US')} events delivered to the streams)`,
        figure: `${mib(m.after.rss)} · peak ${mib(m.after.peak)}`,
      },
    ];
    return {
      title: `Memory: one service instance, ${waitingCount.toLocaleString('en-US')} waiting cases, ${agents * tabsEach} tab streams`,
      rows: [...rows('compiled (node bot/main.js, as App Service runs it)', compiled), ...rows('under tsx (as npm start runs it)', underTsx)],
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(path.join(REPO, 'dist', 'bench-memory-service'), { recursive: true, force: true });
    await db.database.delete().catch(() => undefined);
    db.client.dispose();
  }
}
