/**
 * Claims: 50 agents (billing agents added to the local definition) each pressing "claim next"
 * (POST /api/queue/claim-next) as fast as the service answers, on one queue of 1,000 waiting
 * cases, until it is empty. Claims per second, each claim's time, and afterwards, from the
 * store: every case claimed exactly once, by the agent the service told.
 *
 * The cases' conversations point at a local connector, so each claim also sends the ratepayer
 * "you are now connected" and updates the places of those still waiting, as in production.
 */
import { performance } from 'node:perf_hooks';
import { startLocalConnector } from '../tests/support/connector.js';
import { definitionWithAgents } from '../tests/support/tabApi.js';
import {
  benchCase,
  benchConversation,
  bulkCreate,
  freshBenchDatabase,
  keepAliveAgent,
  localToken,
  percentiles,
  postJson,
  quantile,
  sleep,
  startServiceProcess,
  type Result,
  type Size,
} from './lib.js';

export async function benchClaims(cosmos: { endpoint: string; key: string }, size: Size, options: { profile?: boolean } = {}): Promise<Result> {
  const agents = size === 'tiny' ? 5 : 50;
  const caseCount = size === 'tiny' ? 30 : 1000;
  const definition = definitionWithAgents(agents);
  const db = await freshBenchDatabase(cosmos, 'claims');
  const connector = await startLocalConnector();
  const now = Date.now();
  const cases = Array.from({ length: caseCount }, (_, i) =>
    benchCase(definition.programme.id, 'billing', new Date(now - (caseCount - i) * 1000), String(500000000 + i)),
  );
  await bulkCreate(db.cases, cases);
  await bulkCreate(db.conversations, cases.map((c) => benchConversation(c, connector.serviceUrl)));
  const service = await startServiceProcess(
    { kind: 'service', endpoint: cosmos.endpoint, key: cosmos.key, databaseId: db.databaseId, agents },
    options.profile,
  );
  const http = keepAliveAgent(agents);
  const claimedBy = new Map<string, string[]>();
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let wallMs = 0;
  try {
    const staff = Array.from({ length: agents }, (_, i) => `agent${String(i + 1).padStart(2, '0')}`);
    const tokens = await Promise.all(staff.map((id) => localToken(service.message.url, id)));
    const t0 = performance.now();
    await Promise.all(
      staff.map(async (staffId, i) => {
        for (;;) {
          const started = performance.now();
          const res = await postJson(http, `${service.message.url}/api/queue/claim-next`, {}, { authorization: `Bearer ${tokens[i]}` });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 404) return;
          if (res.status !== 200) throw new Error(`claim-next answered ${res.status}: ${res.text.slice(0, 200)}`);
          latencies.push(performance.now() - started);
          const { reference } = JSON.parse(res.text) as { reference: string };
          claimedBy.set(reference, [...(claimedBy.get(reference) ?? []), staffId]);
        }
      }),
    );
    wallMs = performance.now() - t0;
    // Let the ratepayers' "connected" messages go out before the service stops.
    await sleep(size === 'tiny' ? 200 : 1000);
  } finally {
    http.destroy();
    await service.stop();
    await connector.close();
  }

  // From the store: each case claimed once, by the agent the service answered.
  const { resources } = await db.cases.items
    .query<{ id: string; state: string; staffId?: string; claims: number }>(
      "SELECT c.id, c.state, c.assignedTo.staffId AS staffId, ARRAY_LENGTH(ARRAY(SELECT VALUE a FROM a IN c.audit WHERE a.action = 'claimed')) AS claims FROM c",
    )
    .fetchAll();
  db.client.dispose();
  const doubleInStore = resources.filter((r) => r.claims !== 1).length;
  const answeredTwice = [...claimedBy.values()].filter((who) => who.length !== 1).length;
  const mismatched = resources.filter((r) => claimedBy.get(r.id)?.[0] !== r.staffId).length;
  const unclaimed = resources.filter((r) => r.state !== 'in_progress').length;
  const perSecond = (claimedBy.size / wallMs) * 1000;
  const doubles = doubleInStore + answeredTwice + mismatched;
  return {
    title: `Claims: ${agents} agents, one queue of ${caseCount} cases`,
    rows: [
      { measurement: 'claims per second (claim-next until the queue is empty)', figure: `${perSecond.toFixed(0)} claims/s (${claimedBy.size} in ${(wallMs / 1000).toFixed(1)} s)` },
      { measurement: 'time of one claim-next (200 answers)', figure: percentiles(latencies), target: 'report p95', met: Number.isFinite(quantile(latencies, 0.95)) },
      {
        measurement: 'double claims (store: audit "claimed" ≠ 1, or holder ≠ the agent answered; answers: a case given twice)',
        figure: `${doubles} (cases left unclaimed: ${unclaimed})`,
        target: '0',
        met: doubles === 0 && unclaimed === 0,
      },
    ],
    notes: [`HTTP answers: ${[...statuses].map(([s, n]) => `${n} × ${s}`).join(', ')} (404 = queue empty, each agent's last call).`],
  };
}
