/**
 * 1,000 claim races: each race seeds one waiting case and has 20 agents claim it at the same
 * instant. Exactly one may win; the other nineteen must be told who has it; the case must say the
 * winner and carry one "claimed" line in its audit trail. The 1,000 run through the agents' desk
 * service against the embedded Cosmos DB server over its real protocol (where the race is
 * decided, by ETag); a further 20 run end to end over HTTP with 20 signed-in agents. Races run a
 * few at a time so the run stays within bounds on 2 cores.
 */
import assert from 'node:assert/strict';
import type { RunningService } from '../../bot/service.js';
import type { StaffIdentity } from '../../bot/domain/access.js';
import { AgentDesk } from '../../bot/agents/agentDesk.js';
import { DeskError } from '../../bot/platform/flow/errors.js';
import { noQueueEvents } from '../../bot/platform/ports/queueEvents.js';
import { CaseEvents } from '../../bot/platform/flow/caseEvents.js';
import { systemClock } from '../../bot/platform/ports/clock.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { freshDatabase } from '../support/cosmos.js';
import { recordFigures } from '../support/figures.js';
import { definitionWithAgents, seedCase, signIn, startTestService, type ApiClient } from '../support/tabApi.js';

const RACES = Number(process.env.CLAIM_RACES ?? 1000);
const HTTP_RACES = Number(process.env.HTTP_CLAIM_RACES ?? 20);
const AGENTS = 20;
const AT_ONCE = 4;
/** Cases without an account number: the winner's case page then has no account history to query, so the embedded server's work stays the race itself. */
const NO_HISTORY = { intake: { accountHolder: 'Lerato Molefe', mobile: '+27821234567', description: 'My bill doubled in March.' } };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

describe('resilience: 1,000 claim races, 20 agents at a time for the same case', function () {
  this.timeout(120_000);
  let service: RunningService;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let agents: ApiClient[];
  const definition = definitionWithAgents(AGENTS);

  before(async () => {
    db = await freshDatabase();
    service = await startTestService(db, definition, { scheduler: { start: false }, rateLimits: { api: { burst: 1_000_000, perSecond: 1_000_000 } } });
    agents = await Promise.all(Array.from({ length: AGENTS }, (_, i) => signIn(service, `agent${String(i + 1).padStart(2, '0')}`)));
  });
  after(() => service.close());

  it('1,000 races through the desk service: one winner each, the others told who has it', async () => {
    const started = Date.now();
    const store = new CosmosCaseStore(db.cases);
    const desk = new AgentDesk(definition, store, new CaseEvents(definition, noQueueEvents), systemClock);
    const staff: StaffIdentity[] = definition.staff
      .filter((s) => s.id.startsWith('agent'))
      .map((s) => ({ id: s.id, name: s.name, email: s.email, role: 'agent', skills: s.skills, regions: s.regions ?? [] }));
    let winners = 0;
    let doubleClaims = 0;
    let toldWhoHasIt = 0;
    let otherAnswers = 0;
    const latencies: number[] = [];
    const race = async () => {
      const c = await seedCase(db, definition, 'billing', NO_HISTORY);
      const answers = await Promise.all(
        staff.map(async (s) => {
          const t0 = performance.now();
          try {
            const page = await desk.claim(s, c.id);
            return { ok: true as const, holder: (page as any).assignedTo?.staffId as string };
          } catch (error) {
            return { ok: false as const, error };
          } finally {
            latencies.push(performance.now() - t0);
          }
        }),
      );
      const won = answers.filter((a) => a.ok);
      if (won.length === 1) winners++;
      if (won.length > 1) doubleClaims++;
      const winnerId = won[0]?.ok ? won[0].holder : undefined;
      for (const a of answers) {
        if (a.ok) continue;
        if (a.error instanceof DeskError && a.error.kind === 'conflict' && (a.error.detail as any).assignedTo?.staffId === winnerId) toldWhoHasIt++;
        else otherAnswers++;
      }
      const stored = await store.get(c.id);
      assert.equal(stored?.state, 'in_progress');
      assert.equal(stored?.audit.filter((e) => e.action === 'claimed').length, 1, `one claim on ${c.id}`);
      assert.equal(stored?.assignedTo?.staffId, winnerId);
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < RACES) {
          next++;
          await race();
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    recordFigures(
      'faults.claim-races',
      'Claim races (1,000, through the desk service)',
      {
        races: RACES,
        'agents per race': AGENTS,
        'races run at once': 8,
        'claims attempted': RACES * AGENTS,
        'races with exactly one winner': winners,
        'double claims': doubleClaims,
        'losers told who has the case': toldWhoHasIt,
        'other answers': otherAnswers,
        'claim latency p50 (ms)': Math.round(percentile(latencies, 50)),
        'claim latency p95 (ms)': Math.round(percentile(latencies, 95)),
        'duration (s)': Number(((Date.now() - started) / 1000).toFixed(1)),
      },
      'Each race seeds one waiting billing case and has 20 agents call `AgentDesk.claim` at the same instant against the embedded Cosmos DB server over its real protocol, where the race is decided by the ETag (`IfMatch`, 412 on a stale one). After each race the stored case is read back: in progress, assigned to the one winner, one "claimed" line in its audit trail.',
    );
    assert.equal(doubleClaims, 0);
    assert.equal(winners, RACES);
    assert.equal(toldWhoHasIt, RACES * (AGENTS - 1));
  });

  it('20 more races end to end over HTTP (20 signed-in agents each): one winner each', async () => {
    const started = Date.now();
    const store = new CosmosCaseStore(db.cases);
    let winners = 0;
    let doubleClaims = 0;
    let toldWhoHasIt = 0;
    let otherAnswers = 0;
    const latencies: number[] = [];

    const race = async () => {
      const c = await seedCase(db, definition, 'billing', NO_HISTORY);
      const answers = await Promise.all(
        agents.map(async (agent) => {
          const t0 = performance.now();
          const res = await agent.post(`/api/cases/${c.id}/claim`);
          latencies.push(performance.now() - t0);
          return { agent, res };
        }),
      );
      const won = answers.filter((a) => a.res.status === 200);
      if (won.length === 1) winners++;
      if (won.length > 1) doubleClaims++;
      const winnerId = won[0]?.res.body.case?.assignedTo?.staffId ?? won[0]?.res.body.assignedTo?.staffId;
      for (const a of answers) {
        if (a.res.status === 200) continue;
        if (a.res.status === 409 && a.res.body.assignedTo?.staffId === winnerId) toldWhoHasIt++;
        else otherAnswers++;
      }
      const stored = await store.get(c.id);
      assert.equal(stored?.state, 'in_progress');
      assert.equal(stored?.audit.filter((e) => e.action === 'claimed').length, 1, `one claim on ${c.id}`);
      assert.equal(stored?.assignedTo?.staffId, winnerId);
    };

    let next = 0;
    await Promise.all(
      Array.from({ length: AT_ONCE }, async () => {
        while (next < HTTP_RACES) {
          next++;
          await race();
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const seconds = (Date.now() - started) / 1000;
    recordFigures(
      'faults.claim-races-http',
      'Claim races over HTTP (tab API)',
      {
        races: HTTP_RACES,
        'agents per race': AGENTS,
        'races run at once': AT_ONCE,
        'claims attempted': HTTP_RACES * AGENTS,
        'races with exactly one winner': winners,
        'double claims': doubleClaims,
        'losers told who has the case (409)': toldWhoHasIt,
        'other answers': otherAnswers,
        'claim latency p50 (ms)': Math.round(percentile(latencies, 50)),
        'claim latency p95 (ms)': Math.round(percentile(latencies, 95)),
        'duration (s)': Number(seconds.toFixed(1)),
      },
      'Each race seeds one waiting billing case and has 20 signed-in agents POST `/api/cases/:ref/claim` at the same instant over real HTTP; the embedded Cosmos DB server decides with ETags (`IfMatch`). After each race the stored case is read back: it must be in progress, assigned to the one agent who got 200, with one "claimed" line in its audit trail.',
    );
    assert.equal(doubleClaims, 0);
    assert.equal(winners, HTTP_RACES);
    assert.equal(toldWhoHasIt, HTTP_RACES * (AGENTS - 1));
  });
});
