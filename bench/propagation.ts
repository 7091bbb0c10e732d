/**
 * Queue propagation: from a ratepayer's acknowledged submission (the HTTP response to the
 * intake card's POST, the queued card already sent) to the `case.queued` event arriving in a
 * connected tab (GET /api/events, local sign-in). One instance: the bot and the tab on the same
 * service. Two instances sharing one database: the ratepayer on one, the tab on the other, so
 * the event crosses through the `events` container (read every 400 ms, the service's default).
 */
import { performance } from 'node:perf_hooks';
import { aRatepayer, cardOf, messageFrom } from '../tests/support/activities.js';
import { startLocalConnector } from '../tests/support/connector.js';
import {
  freshBenchDatabase,
  keepAliveAgent,
  localToken,
  openTimedStream,
  percentiles,
  postJson,
  quantile,
  sleep,
  startServiceProcess,
  type Result,
  type Row,
  type Size,
} from './lib.js';

const REFERENCE = /\b([2-9A-HJKMNP-Z]{3})-([2-9A-HJKMNP-Z]{3})\b/;

async function measure(cosmos: { endpoint: string; key: string }, instances: 1 | 2, samples: number): Promise<{ latencies: number[]; missing: number }> {
  const db = await freshBenchDatabase(cosmos, `propagation${instances}`);
  const config = { kind: 'service' as const, endpoint: cosmos.endpoint, key: cosmos.key, databaseId: db.databaseId, agents: 0 };
  const bot = await startServiceProcess(config);
  const tab = instances === 2 ? await startServiceProcess(config) : bot;
  const connector = await startLocalConnector();
  const agent = keepAliveAgent(4);
  const stream = await openTimedStream(tab.message.url, await localToken(tab.message.url, 'thandi'));
  const arrivals = new Map<string, number>();
  stream.onEvent = (e) => {
    if (e.event === 'queue' && e.data?.kind === 'case.queued') arrivals.set(e.data.reference, e.at);
  };
  const acknowledged = new Map<string, number>();
  try {
    for (let i = 0; i < samples; i++) {
      const user = aRatepayer('Bench Ratepayer');
      await postJson(agent, `${bot.message.url}/api/messages`, messageFrom(user, connector.serviceUrl, { text: 'billing' }));
      const draftId = cardOf(connector.sent.findLast((s) => s.conversationId === user.conversationId)!.body)?.actions?.[0]?.data?.draftId;
      const submitted = await postJson(
        agent,
        `${bot.message.url}/api/messages`,
        messageFrom(user, connector.serviceUrl, {
          value: { verb: 'intake.submit', category: 'billing', draftId, accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '0821234567', email: '', description: 'My bill doubled.' },
        }),
      );
      const at = performance.now();
      const reply = JSON.stringify(connector.sent.findLast((s) => s.conversationId === user.conversationId)?.body ?? {});
      const ref = REFERENCE.exec(reply);
      if (submitted.status !== 200 || !ref) throw new Error(`submission ${i} was not acknowledged with a reference (${submitted.status})`);
      acknowledged.set(ref[1]! + ref[2]!, at);
      // Ratepayers arrive at irregular moments (so the samples fall anywhere in the polling cycle).
      await sleep(50 + Math.random() * 250);
    }
    await sleep(instances === 2 ? 3000 : 500);
  } finally {
    stream.close();
    agent.destroy();
    await connector.close();
    await bot.stop();
    if (tab !== bot) await tab.stop();
    db.client.dispose();
  }
  const latencies: number[] = [];
  let missing = 0;
  for (const [reference, at] of acknowledged) {
    const arrived = arrivals.get(reference);
    if (arrived === undefined) missing++;
    // On one instance the event is delivered during the turn, before the HTTP response: 0.
    else latencies.push(Math.max(0, arrived - at));
  }
  return { latencies, missing };
}

export async function benchPropagation(cosmos: { endpoint: string; key: string }, size: Size): Promise<Result> {
  const samples = size === 'tiny' ? 3 : 100;
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const instances of [1, 2] as const) {
    const { latencies, missing } = await measure(cosmos, instances, samples);
    const p95 = quantile(latencies, 0.95);
    const limit = instances === 1 ? 250 : 2000;
    rows.push({
      measurement: instances === 1 ? `submission acknowledged → event in a tab, one instance (${latencies.length} cases)` : `… across two instances sharing one database (${latencies.length} cases)`,
      figure: `${percentiles(latencies, [50, 95])} · max ${latencies.length ? Math.max(...latencies).toFixed(0) : '–'} ms`,
      target: `p95 < ${limit >= 1000 ? `${limit / 1000} s` : `${limit} ms`}`,
      met: missing === 0 && p95 < limit,
    });
    if (missing) notes.push(`${missing} of ${samples} events never reached the tab (${instances} instance${instances > 1 ? 's' : ''}).`);
  }
  return { title: 'Queue propagation to a connected tab', rows, notes };
}
