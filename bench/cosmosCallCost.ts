/**
 * The framework's floor under every database call: the CPU @azure/cosmos spends in the calling
 * process per call (building and signing the request, the HTTP round trip's handling, parsing the
 * answer, diagnostics), measured in this process against the embedded server in its own process.
 * A query costs two requests: the SDK asks for a query plan before every query, in parallel with
 * the query itself.
 */
import { performance } from 'node:perf_hooks';
import { freshBenchDatabase, type CosmosProcess } from './lib.js';

/** CPU ms per call and wall ms per call, by kind of call. */
export type CallCosts = Record<'point read' | 'create' | 'patch' | 'query', { cpuMs: number; wallMs: number }>;

export async function measureCosmosCallCost(cosmos: CosmosProcess, calls = 500): Promise<CallCosts> {
  const db = await freshBenchDatabase(cosmos, 'sdk');
  try {
    for (let i = 0; i < 200; i++) await db.cases.items.create({ id: `seed-${i}`, programmeId: 'p', state: 'waiting', category: 'billing', queueKey: String(i).padStart(4, '0') });
    const time = async (fn: (i: number) => Promise<unknown>) => {
      for (let i = 0; i < 50; i++) await fn(i);
      const cpu = process.cpuUsage();
      const t = performance.now();
      for (let i = 0; i < calls; i++) await fn(i);
      const used = process.cpuUsage(cpu);
      return { cpuMs: (used.user + used.system) / 1000 / calls, wallMs: (performance.now() - t) / calls };
    };
    const seed = (i: number) => `seed-${i % 200}`;
    return {
      'point read': await time((i) => db.cases.item(seed(i), seed(i)).read()),
      create: await time((i) => db.conversations.items.create({ id: `c-${i}-${Math.random()}` })),
      patch: await time((i) => db.cases.item(seed(i), seed(i)).patch([{ op: 'set', path: '/n', value: i }])),
      query: await time(() =>
        db.cases.items
          .query({
            query: "SELECT VALUE COUNT(1) FROM c WHERE c.programmeId = @p AND c.state = 'waiting' AND c.category = @c AND c.queueKey < @k",
            parameters: [{ name: '@p', value: 'p' }, { name: '@c', value: 'billing' }, { name: '@k', value: '0100' }],
          })
          .fetchAll(),
      ),
    };
  } finally {
    await db.database.delete().catch(() => undefined);
    db.client.dispose();
  }
}
