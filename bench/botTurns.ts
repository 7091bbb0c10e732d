/**
 * Bot turn latency and throughput for the intake conversation — a greeting naming the query
 * (answered with the intake card) and the card's submission (answered with the queued card) —
 * against a bare Teams AI echo bot on the same adapter and HTTP path, in the same run.
 *
 * Each bot runs in a child process of its own (the service on a fresh database of the embedded
 * server, which runs in a third process); this process plays the ratepayers over keep-alive HTTP
 * and is the Bot Framework connector the replies go to (the bot sends its reply within the turn,
 * so the time from POST to HTTP response includes it). Two phases per bot and population:
 *
 * - saturated: N ratepayers at once, each sending its two turns back to back and followed at once
 *   by a new ratepayer (a closed loop with N requests in flight, at least 1,000 conversations in
 *   all): the throughput, and latency that is mostly waiting in line;
 * - paced: the N ratepayers greet the bot over `arrivalMs`, then fill in the card for 5–10 s
 *   (so all N are in the conversation at once), then submit: the latency a ratepayer feels.
 *
 * Each turn is timed twice: until the HTTP answer (the turn has finished, its records written),
 * and until its first reply reached the connector (what the ratepayer waits for: Teams shows the
 * reply when the connector has it, whatever the bot still does before it answers the POST).
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { aRatepayer, cardOf, messageFrom, type TestUser } from '../tests/support/activities.js';
import { startLocalConnector, type LocalConnector } from '../tests/support/connector.js';
import { measureCosmosCallCost } from './cosmosCallCost.js';
import {
  cpuMsOf,
  databaseRequests,
  freshBenchDatabase,
  keepAliveAgent,
  limited,
  load,
  percentiles,
  postJson,
  quantile,
  sleep,
  startServiceProcess,
  type CosmosProcess,
  type Result,
  type Row,
  type Size,
} from './lib.js';

const SUBMISSION = {
  verb: 'intake.submit',
  category: 'billing',
  accountNumber: '501234567',
  accountHolder: 'Lerato Molefe',
  mobile: '082 123 4567',
  email: '',
  description: 'My bill doubled in March and nobody has explained why.',
};

type Bot = 'echo' | 'service';

interface PhaseResult {
  /** POST until the HTTP answer, ms. */
  greeting: number[];
  submission: number[];
  /** POST until the turn's first new message reached the connector, ms. */
  greetingReply: number[];
  submissionReply: number[];
  wallMs: number;
  failures: number;
  firstFailure?: string;
}

/** Plays one ratepayer's intake: greeting, then (after `thinkMs`) the submission. */
async function converse(
  bot: Bot,
  url: string,
  connector: LocalConnector,
  agent: ReturnType<typeof keepAliveAgent>,
  result: PhaseResult,
  timing: { startAtMs?: number; thinkMs?: number; t0: number },
): Promise<void> {
  if (timing.startAtMs) await sleep(timing.startAtMs - (performance.now() - timing.t0));
  const user: TestUser = aRatepayer('Bench Ratepayer');
  const fail = (why: string) => {
    result.failures++;
    result.firstFailure ??= why;
  };
  let started = performance.now();
  const greeting = await postJson(agent, `${url}/api/messages`, messageFrom(user, connector.serviceUrl, { text: 'Hi, I have a billing query' }));
  result.greeting.push(performance.now() - started);
  if (greeting.status !== 200) return fail(`greeting answered ${greeting.status}`);
  const greetingReply = firstReplySince(connector, user.conversationId, started);
  if (greetingReply === undefined) return fail('no reply to the greeting');
  result.greetingReply.push(greetingReply - started);
  let draftId: string = randomUUID();
  if (bot === 'service') {
    const reply = connector.sent.findLast((s) => s.conversationId === user.conversationId);
    const card = reply && cardOf(reply.body);
    if (!card?.actions?.[0]?.data?.draftId) return fail('no intake card after the greeting');
    draftId = card.actions[0].data.draftId;
  }
  if (timing.thinkMs) await sleep(timing.thinkMs);
  started = performance.now();
  const submitted = await postJson(agent, `${url}/api/messages`, messageFrom(user, connector.serviceUrl, { value: { ...SUBMISSION, draftId } }));
  result.submission.push(performance.now() - started);
  if (submitted.status !== 200) return fail(`submission answered ${submitted.status}`);
  const submissionReply = firstReplySince(connector, user.conversationId, started);
  if (submissionReply === undefined) return fail('no reply to the submission');
  result.submissionReply.push(submissionReply - started);
  if (bot === 'service') {
    const reply = connector.sent.findLast((s) => s.conversationId === user.conversationId);
    if (!JSON.stringify(reply?.body ?? {}).includes('You are in the queue')) fail('no queued card after the submission');
  }
}

/**
 * When the first new message (a POST: not the update of a card already shown) sent to the
 * conversation at or after `since` reached the connector (performance.now()), if one has. Scans
 * from the newest: the phase's own turns are at the end of a long list.
 */
function firstReplySince(connector: LocalConnector, conversationId: string, since: number): number | undefined {
  let first: number | undefined;
  for (let i = connector.sent.length - 1; i >= 0; i--) {
    const s = connector.sent[i]!;
    if (s.arrivedMs < since) break;
    if (s.conversationId === conversationId && s.method === 'POST') first = s.arrivedMs;
  }
  return first;
}

/**
 * `ratepayers` in the conversation at once; `conversations` in all (a closed loop: each one that
 * finishes is followed by the next), so a saturated phase lasts long enough to measure.
 */
async function phase(
  bot: Bot,
  url: string,
  connector: LocalConnector,
  ratepayers: number,
  paced?: { arrivalMs: number; thinkMs: [number, number] },
  conversations = ratepayers,
): Promise<PhaseResult> {
  const agent = keepAliveAgent(ratepayers);
  const result: PhaseResult = { greeting: [], submission: [], greetingReply: [], submissionReply: [], wallMs: 0, failures: 0 };
  const t0 = performance.now();
  await limited(
    ratepayers,
    Array.from({ length: conversations }, (_, i) => () =>
      converse(bot, url, connector, agent, result, {
        t0,
        ...(paced
          ? {
              startAtMs: (i * paced.arrivalMs) / ratepayers,
              thinkMs: paced.thinkMs[0] + Math.random() * (paced.thinkMs[1] - paced.thinkMs[0]),
            }
          : {}),
      }).catch((error: Error) => {
        result.failures++;
        result.firstFailure ??= error.message;
      }),
    ),
  );
  result.wallMs = performance.now() - t0;
  agent.destroy();
  return result;
}

interface BotRun {
  saturated: PhaseResult;
  paced: PhaseResult;
  /** CPU ms per turn in the saturated phase: the bot's process, and the embedded database's. */
  cpuPerTurn: { bot: number; database: number };
  /** Requests the database served per ratepayer (greeting and submission) in the saturated phase. */
  databaseRequestsPerRatepayer: number;
}

async function runBot(bot: Bot, cosmos: CosmosProcess, ratepayers: number, size: Size, profile: boolean): Promise<BotRun> {
  const db = bot === 'service' ? await freshBenchDatabase(cosmos, 'turns') : undefined;
  const child = await startServiceProcess(
    { kind: bot, endpoint: cosmos.endpoint, key: cosmos.key, databaseId: db?.databaseId ?? 'unused', agents: 0 },
    profile && bot === 'service',
  );
  const connector = await startLocalConnector();
  try {
    // Warm-up (not counted): compiles and optimises the hot paths, opens the store's connections.
    await phase(bot, child.message.url, connector, size === 'tiny' ? 2 : 50, undefined, size === 'tiny' ? 2 : 300);
    const cpuBefore = { bot: cpuMsOf(child.message.pid), database: cpuMsOf(cosmos.pid) };
    const requestsBefore = await databaseRequests(cosmos);
    const conversations = saturatedConversations(ratepayers, size);
    const saturated = await phase(bot, child.message.url, connector, ratepayers, undefined, conversations);
    const requests = (await databaseRequests(cosmos)) - requestsBefore;
    const turns = saturated.greeting.length + saturated.submission.length;
    const cpuPerTurn = { bot: (cpuMsOf(child.message.pid) - cpuBefore.bot) / turns, database: (cpuMsOf(cosmos.pid) - cpuBefore.database) / turns };
    const paced = await phase(
      bot,
      child.message.url,
      connector,
      ratepayers,
      size === 'tiny' ? { arrivalMs: 200, thinkMs: [100, 200] } : { arrivalMs: 5_000, thinkMs: [5_000, 10_000] },
    );
    return { saturated, paced, cpuPerTurn, databaseRequestsPerRatepayer: requests / conversations };
  } finally {
    await child.stop();
    await connector.close();
    db?.client.dispose();
  }
}

/** Conversations in a saturated phase: at least 1,000, so it lasts several seconds even for the echo bot. */
const saturatedConversations = (ratepayers: number, size: Size) => (size === 'tiny' ? ratepayers : Math.max(ratepayers, 1000));

const throughput = (p: PhaseResult) => ((p.greeting.length + p.submission.length) / p.wallMs) * 1000;
const all = (p: PhaseResult) => [...p.greeting, ...p.submission];
const allReplies = (p: PhaseResult) => [...p.greetingReply, ...p.submissionReply];

export async function benchBotTurns(cosmos: CosmosProcess, size: Size, options: { profile?: boolean } = {}): Promise<Result> {
  const populations = size === 'tiny' ? [4] : [100, 500];
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const n of populations) {
    const echo = await runBot('echo', cosmos, n, size, false);
    const service = await runBot('service', cosmos, n, size, !!options.profile);
    const ratio = throughput(service.saturated) / throughput(echo.saturated);
    const failures = echo.saturated.failures + echo.paced.failures + service.saturated.failures + service.paced.failures;
    const firstFailure = [echo.saturated, echo.paced, service.saturated, service.paced].find((p) => p.firstFailure)?.firstFailure;
    rows.push(
      {
        measurement: `${n} ratepayers at once, saturated (${saturatedConversations(n, size).toLocaleString('en-US')} conversations back to back): echo bot`,
        figure: `${throughput(echo.saturated).toFixed(0)} turns/s · ${percentiles(all(echo.saturated))}`,
      },
      {
        measurement: `${n} ratepayers at once, saturated: intake (greeting → card, submission → queued)`,
        figure: `${throughput(service.saturated).toFixed(0)} turns/s · ${percentiles(all(service.saturated))} (greeting p95 ${quantile(service.saturated.greeting, 0.95).toFixed(0)} ms, submission p95 ${quantile(service.saturated.submission, 0.95).toFixed(0)} ms)`,
      },
      {
        measurement: `${n} ratepayers, saturated: CPU per turn (bot process; embedded database process)`,
        figure: `echo ${echo.cpuPerTurn.bot.toFixed(2)} ms; intake ${service.cpuPerTurn.bot.toFixed(2)} ms + database ${service.cpuPerTurn.database.toFixed(2)} ms (echo ÷ intake bot CPU: ${(echo.cpuPerTurn.bot / service.cpuPerTurn.bot).toFixed(2)})`,
      },
      {
        measurement: `${n} ratepayers, saturated: database requests per ratepayer (greeting + submission)`,
        figure: `${service.databaseRequestsPerRatepayer.toFixed(1)} (echo bot: none)`,
      },
      {
        measurement: `${n} ratepayers: intake throughput ÷ echo throughput`,
        figure: ratio.toFixed(2),
        target: '≥ 0.6',
        met: ratio >= 0.6,
      },
      {
        measurement: `${n} ratepayers in the conversation at once, paced (${((2 * n) / (service.paced.wallMs / 1000)).toFixed(0)} turns/s offered): echo bot`,
        figure: percentiles(all(echo.paced)),
      },
      {
        measurement: `${n} ratepayers in the conversation at once, paced: intake`,
        figure: `${percentiles(all(service.paced))} (greeting p95 ${quantile(service.paced.greeting, 0.95).toFixed(1)} ms, submission p95 ${quantile(service.paced.submission, 0.95).toFixed(1)} ms)`,
        target: 'p95 < 50 ms',
        met: quantile(all(service.paced), 0.95) < 50,
      },
      {
        measurement: `${n} ratepayers, paced: until the reply reached the connector (what the ratepayer waits for)`,
        figure: `echo bot ${percentiles(allReplies(echo.paced))}; intake ${percentiles(allReplies(service.paced))} (greeting p95 ${quantile(service.paced.greetingReply, 0.95).toFixed(1)} ms, submission p95 ${quantile(service.paced.submissionReply, 0.95).toFixed(1)} ms)`,
      },
    );
    if (failures) notes.push(`${n} ratepayers: ${failures} turns failed (first: ${firstFailure}).`);
  }
  // The framework's floor under those requests, measured alone after the turns.
  const cost = await measureCosmosCallCost(cosmos, size === 'tiny' ? 50 : 500);
  rows.push({
    measurement: '@azure/cosmos client CPU per call, measured alone (the framework\'s floor under each database request)',
    figure: (Object.entries(cost) as [string, { cpuMs: number; wallMs: number }][])
      .map(([kind, c]) => `${kind} ${c.cpuMs.toFixed(2)} ms${kind === 'query' ? ' (query plan + query: two requests)' : ''}`)
      .join(' · '),
  });
  return { title: 'Bot turns: intake conversation vs a bare Teams AI echo bot', rows, notes, loadAfter: Number(load().split(' ')[0]) };
}
