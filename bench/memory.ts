/**
 * Memory: the resident set size of a service instance (its own process, read from
 * /proc/<pid>/status) with 10,000 cases waiting and 200 tab streams open (50 agents with four
 * tabs each; every tab loads its queue as the tab does when its stream is ready), then while
 * 50 new cases are queued through the bot and their events fan out to every stream.
 */
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
  rssOf,
  sleep,
  startServiceProcess,
  type Result,
  type Size,
  type TimedStream,
} from './lib.js';

const CATEGORIES = ['billing', 'credit-control', 'rates', 'metering', 'indigent'];

export async function benchMemory(cosmos: { endpoint: string; key: string }, size: Size): Promise<Result> {
  const waitingCount = size === 'tiny' ? 100 : 10_000;
  const agents = size === 'tiny' ? 4 : 50;
  const tabsEach = size === 'tiny' ? 2 : 4;
  const submissions = size === 'tiny' ? 3 : 50;
  const definition = definitionWithAgents(agents);
  const db = await freshBenchDatabase(cosmos, 'memory');
  const now = Date.now();
  await bulkCreate(
    db.cases,
    Array.from({ length: waitingCount }, (_, i) => benchCase(definition.programme.id, CATEGORIES[i % 5]!, new Date(now - (waitingCount - i) * 1000), String(500000000 + i))),
  );
  const service = await startServiceProcess({ kind: 'service', endpoint: cosmos.endpoint, key: cosmos.key, databaseId: db.databaseId, agents });
  const url = service.message.url;
  const pid = service.message.pid;
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
    const streamCount = streams.length;
    return {
      title: `Memory: one service instance, ${waitingCount.toLocaleString('en-US')} waiting cases, ${streamCount} tab streams`,
      rows: [
        { measurement: 'RSS after start (no tab open)', figure: mib(idle.rss) },
        { measurement: `RSS with ${streamCount} streams open, each tab's queue loaded (200 rows)`, figure: `${mib(open.rss)} (+${mib(open.rss - idle.rss)}, ≈ ${((open.rss - idle.rss) / streamCount / 1024).toFixed(0)} KiB a tab)` },
        { measurement: `RSS after ${submissions} cases queued through the bot (${delivered.toLocaleString('en-US')} events delivered to the streams)`, figure: `${mib(after.rss)} · peak ${mib(after.peak)}` },
      ],
    };
  } finally {
    streams.forEach((s) => s.close());
    http.destroy();
    await service.stop();
    await connector.close();
    db.client.dispose();
  }
}
