/**
 * The queue view at scale: 10,000 waiting cases and 100,000 closed ones (bulk-loaded through
 * the SDK's bulk API), then the service's own queries (CosmosCaseStore) timed against the
 * embedded server: the agents' queue (`listWaiting`, one category and all five), a ratepayer's
 * place (`countWaitingAhead`, from the back of the queue) and an account's history
 * (`listByAccount`); and GET /api/queue end to end on a service instance.
 *
 * The embedded server keeps everything in memory and answers every query by scanning every
 * document (it has no index) and charges 1 RU for everything, so the RU figures are estimates
 * for Azure Cosmos DB from the query shapes and the container's indexes (docs/performance.md).
 */
import { performance } from 'node:perf_hooks';
import { CosmosCaseStore } from '../bot/platform/cosmos/caseStore.js';
import type { Case } from '../bot/domain/case.js';
import { definitionWithAgents } from '../tests/support/tabApi.js';
import { benchCase, bulkCreate, freshBenchDatabase, localToken, ms, percentiles, quantile, startServiceProcess, type Result, type Size } from './lib.js';

const CATEGORIES = ['billing', 'credit-control', 'rates', 'metering', 'indigent'];

/** Times `runs` calls after one warm-up; stops at the first failure (reported in the row instead of a figure). */
async function time(runs: number, fn: () => Promise<unknown>): Promise<number[] | { failed: string }> {
  const out: number[] = [];
  for (let i = -1; i < runs; i++) {
    const t = performance.now();
    try {
      await fn();
    } catch (error) {
      return { failed: `did not finish: ${(error as Error).message.split('\n')[0]!.slice(0, 80)} after ${((performance.now() - t) / 1000).toFixed(0)} s` };
    }
    if (i >= 0) out.push(performance.now() - t);
  }
  return out;
}

function closed(c: Case, at: Date, i: number): Case {
  const closedAt = new Date(at.getTime() + 20 * 60_000).toISOString();
  return {
    ...c,
    state: 'resolved',
    assignedTo: { staffId: 'thandi', name: 'Thandi Mokoena', since: new Date(at.getTime() + 5 * 60_000).toISOString() },
    outcome: { kind: 'resolved', summary: 'Explained the bill; corrected the meter reading.' },
    handlingMinutes: 5 + (i % 30),
    closedAt,
    updatedAt: closedAt,
    ttl: 90 * 86_400,
  } as unknown as Case;
}

export async function benchQueueView(cosmos: { endpoint: string; key: string }, size: Size): Promise<Result> {
  const waitingCount = size === 'tiny' ? 100 : 10_000;
  const closedCount = size === 'tiny' ? 500 : 100_000;
  const runs = size === 'tiny' ? 3 : 5;
  const definition = definitionWithAgents(0);
  const programmeId = definition.programme.id;
  const db = await freshBenchDatabase(cosmos, 'queue');
  const now = Date.now();
  // Accounts: about two cases each; one account has a long history (12 cases).
  const accounts = Math.max(10, Math.floor((waitingCount + closedCount) / 2));
  const account = (i: number) => String(500000000 + (i % accounts));
  const HISTORY_ACCOUNT = '599999999';
  const waiting = Array.from({ length: waitingCount }, (_, i) =>
    benchCase(programmeId, CATEGORIES[i % CATEGORIES.length]!, new Date(now - (waitingCount - i) * 1000), account(i)),
  );
  const old = Array.from({ length: closedCount }, (_, i) => {
    const at = new Date(now - 86_400_000 - i * 60_000);
    return closed(benchCase(programmeId, CATEGORIES[i % CATEGORIES.length]!, at, i % 5000 === 0 || i < 11 ? HISTORY_ACCOUNT : account(i + waitingCount)), at, i);
  });
  const t0 = performance.now();
  const loaded = (await bulkCreate(db.cases, waiting)) + (await bulkCreate(db.cases, old));
  const loadSeconds = (performance.now() - t0) / 1000;

  const store = new CosmosCaseStore(db.cases);
  const billingWaiting = waiting.filter((c) => c.category === 'billing');
  const last = billingWaiting[billingWaiting.length - 1]!;
  const listOne = await time(runs, () => store.listWaiting(programmeId, ['billing'], 200));
  const listAll = await time(runs, () => store.listWaiting(programmeId, CATEGORIES, 200));
  const count = await time(runs, () => store.countWaitingAhead(programmeId, 'billing', last.queueKey));
  const history = await time(runs, () => store.listByAccount(HISTORY_ACCOUNT, 21));
  const ahead = await store.countWaitingAhead(programmeId, 'billing', last.queueKey).catch(() => NaN);
  const historyRows = await store.listByAccount(HISTORY_ACCOUNT, 21).then((r) => r.length, () => NaN);

  // End to end: the tab's queue call on a service instance over this database.
  const service = await startServiceProcess({ kind: 'service', endpoint: cosmos.endpoint, key: cosmos.key, databaseId: db.databaseId, agents: 0 });
  let queueApi: number[] | { failed: string } = [];
  try {
    const token = await localToken(service.message.url, 'thandi');
    queueApi = await time(Math.min(runs, 10), async () => {
      const res = await fetch(`${service.message.url}/api/queue`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`GET /api/queue answered ${res.status}`);
      await res.arrayBuffer();
    });
  } finally {
    await service.stop();
    // 110,000 documents held in the database process's memory would weigh on the measurements after this one.
    await db.database.delete().catch(() => undefined);
    db.client.dispose();
  }
  const stat = (v: number[] | { failed: string }) => (Array.isArray(v) ? `${percentiles(v, [50, 95])} (${runs} runs)` : v.failed);
  return {
    title: `Queue view: ${waitingCount.toLocaleString('en-US')} waiting, ${closedCount.toLocaleString('en-US')} closed cases`,
    rows: [
      { measurement: `bulk load (executeBulkOperations, ${loaded.toLocaleString('en-US')} cases)`, figure: `${loadSeconds.toFixed(1)} s (${(loaded / loadSeconds).toFixed(0)} cases/s)` },
      { measurement: 'listWaiting, one category, TOP 200 (an agent\'s queue)', figure: `${stat(listOne)} · est. Azure ~65 RU` },
      { measurement: 'listWaiting, all five categories, TOP 200 (a supervisor\'s queue)', figure: `${stat(listAll)} · est. Azure ~65 RU` },
      { measurement: `countWaitingAhead from the back of billing (${ahead.toLocaleString('en-US')} ahead)`, figure: `${stat(count)} · est. Azure ~3–6 RU` },
      { measurement: `listByAccount, TOP 21 (${historyRows} rows)`, figure: `${stat(history)} · est. Azure ~6 RU` },
      { measurement: 'GET /api/queue end to end (signed in as a billing agent)', figure: `${stat(queueApi)} · est. Azure ~75 RU` },
    ],
    notes: [
      `the embedded server scans all ${(waitingCount + closedCount).toLocaleString('en-US')} documents for every query (no index), so its times grow with the closed cases too; in Azure the composite indexes make the queue and history queries independent of the closed cases (RU reasoning below the table). p95 of listWaiting here: ${Array.isArray(listOne) ? ms(quantile(listOne, 0.95)) : 'none (it did not finish)'}.`,
    ],
  };
}
