import assert from 'node:assert/strict';
import type { StaffIdentity } from '../../bot/domain/access.js';
import { describeWait } from '../../bot/messages/time.js';
import {
  abandonmentRate,
  forecastInput,
  forecastWaits,
  handlingModel,
  liveForecast,
  overloadLateWeight,
  promisePoint,
  remainingMinutes,
  type AgentAtDesk,
  type ForecastInput,
  type WaitingCase,
} from '../../bot/domain/waitEstimate.js';

const NOW = new Date('2022-08-01T16:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const key = (minutesBefore: number, id: string) => `${minutesAgo(minutesBefore).toISOString()}~${id}`;

function agent(id: string, skills: string[], working: { category: string; minutesIn: number }[] = [], regions: string[] = []): AgentAtDesk {
  const staff: StaffIdentity = { id, name: id, email: `${id}@example`, role: 'agent', skills, regions };
  return { staff, working: working.map((w) => ({ category: w.category, since: minutesAgo(w.minutesIn) })) };
}
function waiting(id: string, category: string, minutesBefore: number, region?: string): WaitingCase {
  return { id, category, queueKey: key(minutesBefore, id), ...(region ? { region } : {}) };
}
/** Asserts that `actual` lies within `tolerance` of `expected`. */
function near(actual: number, expected: number, tolerance: number, message = ''): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${message} ${actual} is not within ${tolerance} of ${expected}`.trim());
}
/** Handling of `mean` minutes on average in every category, with history (σ of the log 0.2, the least handlingModel allows). */
const fixed = (mean: number) => handlingModel([mean, mean, mean, mean, mean, mean, mean, mean, mean, mean], mean);
function input(over: Partial<ForecastInput>): ForecastInput {
  const model = fixed(12);
  return {
    now: NOW,
    waiting: [],
    agents: [],
    handling: new Map(['billing', 'credit-control', 'rates'].map((c) => [c, model])),
    fallbackHandling: model,
    abandonmentPerMinute: 0,
    ...over,
  };
}

describe('wait estimate', () => {
  describe('forecastWaits', () => {
    it('tells a case an idle agent can take that it is next, and one behind it about one handling time', () => {
      const f = forecastWaits(input({ waiting: [waiting('A', 'billing', 5), waiting('B', 'billing', 2)], agents: [agent('thandi', ['billing'])] }));
      assert.equal(f.get('A')!.minutes, 0);
      near(f.get('B')!.minutes, 12, 2, 'one handling time of about 12 minutes');
      assert.deepEqual([f.get('A')!.position, f.get('B')!.position], [1, 2]);
    });

    it('gives the same forecast for the same desk (seeded: the ratepayer is not told a different wait on a re-read)', () => {
      const args = input({
        waiting: Array.from({ length: 8 }, (_, i) => waiting(`B${i}`, 'billing', 30 - i)),
        agents: [agent('thandi', ['billing'], [{ category: 'billing', minutesIn: 4 }]), agent('sipho', ['billing'], [{ category: 'billing', minutesIn: 9 }])],
        abandonmentPerMinute: 1 / 40,
      });
      assert.deepEqual([...forecastWaits(args)], [...forecastWaits(args)]);
    });

    it('does not count an agent who works two categories in full for both: older cases of the other category come first', () => {
      // Thandi works billing and credit control, Priya only credit control. Two credit-control
      // cases are older than the billing case: Priya takes one, Thandi the other, so the billing
      // case waits for Thandi to finish it (one handling time), not zero.
      const f = forecastWaits(
        input({
          // Listed in any order: the forecast orders by queue key, as claim-next does.
          waiting: [waiting('B1', 'billing', 3), waiting('C2', 'credit-control', 8), waiting('C1', 'credit-control', 9)],
          agents: [agent('thandi', ['billing', 'credit-control']), agent('priya', ['credit-control'])],
        }),
      );
      near(f.get('B1')!.minutes, 12, 2);
      assert.equal(f.get('B1')!.position, 1, 'still first in its own queue');
      assert.equal(f.get('B1')!.agentsOnDuty, 1);
    });

    it('sees the work ahead in another category that the same agents take first (oldest first across their skills)', () => {
      // Only Sipho (rates and billing) is on duty, 6 minutes into a rates case; a rates case older
      // than the billing case waits. The billing case waits for both.
      const f = forecastWaits(
        input({
          waiting: [waiting('B1', 'billing', 10), waiting('R1', 'rates', 20)],
          agents: [agent('sipho', ['rates', 'billing'], [{ category: 'rates', minutesIn: 6 }])],
        }),
      );
      near(f.get('R1')!.minutes, remainingMinutes(fixed(12), 6), 2, 'the rest of the case in progress');
      near(f.get('B1')!.minutes - f.get('R1')!.minutes, 12, 3, 'then the older rates case');
      // A younger rates case does not get ahead.
      const g = forecastWaits(
        input({ waiting: [waiting('B1', 'billing', 10), waiting('R2', 'rates', 5)], agents: [agent('sipho', ['rates', 'billing'])] }),
      );
      assert.equal(g.get('B1')!.minutes, 0);
      near(g.get('R2')!.minutes, 12, 2);
    });

    it('expects some of the people ahead to leave: a long queue is forecast shorter, the more so the more people leave', () => {
      const queue = Array.from({ length: 12 }, (_, i) => waiting(`B${i}`, 'billing', 60 - i));
      const agents = [agent('thandi', ['billing'], [{ category: 'billing', minutesIn: 0 }])];
      const staying = forecastWaits(input({ waiting: queue, agents }));
      const leaving = forecastWaits(input({ waiting: queue, agents, abandonmentPerMinute: 1 / 30 }));
      near(staying.get('B11')!.minutes, 12 * 12, 12 * 12 * 0.15, 'nobody leaves: twelve handling times');
      assert.ok(leaving.get('B11')!.minutes < 100, `forecast with leaving ${leaving.get('B11')!.minutes}`);
      // The more leave, the shorter.
      const more = forecastWaits(input({ waiting: queue, agents, abandonmentPerMinute: 1 / 10 }));
      assert.ok(more.get('B11')!.minutes < leaving.get('B11')!.minutes);
      // The first in line has nobody ahead to leave: their wait is the case in progress either way.
      near(leaving.get('B0')!.minutes, staying.get('B0')!.minutes, 1);
    });

    it('draws the rate of leaving from what it rests on: much evidence tells what the rate itself tells, a handful of leaves tells otherwise', () => {
      const queue = Array.from({ length: 12 }, (_, i) => waiting(`B${i}`, 'billing', 60 - i));
      const agents = [agent('thandi', ['billing'], [{ category: 'billing', minutesIn: 0 }])];
      const exact = forecastWaits(input({ waiting: queue, agents, abandonmentPerMinute: 1 / 30 })).get('B11')!.minutes;
      const known = forecastWaits(input({ waiting: queue, agents, abandonmentPerMinute: 1 / 30, abandonmentEvidence: { leaves: 20_000, minutes: 600_000 } })).get('B11')!.minutes;
      near(known, exact, 2, 'twenty thousand leaves: the rate is as good as known');
      const guessed = forecastWaits(input({ waiting: queue, agents, abandonmentPerMinute: 1 / 30, abandonmentEvidence: { leaves: 1, minutes: 30 } })).get('B11')!.minutes;
      assert.notEqual(guessed, exact, 'one leave: the rate could be much lower or higher, and the forecast shows it');
    });

    it('uses how long the agent has been on the case: a long-running case is expected to run on', () => {
      // The default model: mean 12, σ 0.5 of the log (a realistic spread).
      const model = handlingModel([], 12);
      const after = (minutesIn: number) =>
        forecastWaits(
          input({ waiting: [waiting('B1', 'billing', 1)], agents: [agent('thandi', ['billing'], [{ category: 'billing', minutesIn }])], handling: new Map([['billing', model]]) }),
        ).get('B1')!.minutes;
      near(after(0), 12, 2);
      assert.ok(after(6) < after(0) && after(6) > 3, `6 minutes in: ${after(6)}`);
      // 30 minutes into a 12-minute-average case: not "already late, so zero", but some minutes yet.
      assert.ok(after(30) >= 3, `30 minutes in: ${after(30)}`);
    });

    it('adds up the agents who share a queue: two agents halve the rounds, and the first in line waits for the first of them to finish', () => {
      const queue = Array.from({ length: 4 }, (_, i) => waiting(`B${i}`, 'billing', 10 - i));
      const busy = [{ category: 'billing', minutesIn: 0 }];
      const one = forecastWaits(input({ waiting: queue, agents: [agent('a', ['billing'], busy)] }));
      const two = forecastWaits(input({ waiting: queue, agents: [agent('a', ['billing'], busy), agent('b', ['billing'], busy)] }));
      [12, 24, 36, 48].forEach((m, i) => near(one.get(`B${i}`)!.minutes, m, m * 0.15));
      near(two.get('B3')!.minutes, one.get('B3')!.minutes / 2, 4, 'half the rounds');
      // The first of two equally busy agents finishes sooner than either on average (the minimum
      // of their remaining times); the second in line waits for the later of the two.
      assert.ok(two.get('B0')!.minutes < one.get('B0')!.minutes, `${two.get('B0')!.minutes} vs ${one.get('B0')!.minutes}`);
      assert.ok(two.get('B1')!.minutes > two.get('B0')!.minutes);
    });

    it('tells the first in line behind several busy agents the wait for the first of them, not one whole handling time', () => {
      // Three agents who have each just started a 12-minute-average case (σ 0.5 of the log): the
      // first to finish does so after about 7 minutes on average; adding up means says 12.
      const model = handlingModel([], 12);
      const busy = [{ category: 'billing', minutesIn: 0 }];
      const f = forecastWaits(
        input({ waiting: [waiting('B0', 'billing', 3)], handling: new Map([['billing', model]]), agents: ['a', 'b', 'c'].map((id) => agent(id, ['billing'], busy)) }),
      );
      assert.ok(f.get('B0')!.minutes <= 10, `told ${f.get('B0')!.minutes}`);
      assert.ok(f.get('B0')!.minutes >= 5, `told ${f.get('B0')!.minutes}`);
    });

    it('keeps agents to their regions, and forecasts a queue nobody on duty works as if one agent were starting on it', () => {
      const f = forecastWaits(
        input({ waiting: [waiting('X', 'billing', 9, 'C'), waiting('Y', 'billing', 5, 'B'), waiting('Z', 'indigent', 4)], agents: [agent('thandi', ['billing'], [], ['B'])] }),
      );
      assert.equal(f.get('Y')!.minutes, 0, 'region B: Thandi takes it at once');
      assert.equal(f.get('X')!.minutes, 12, 'region C: nobody on duty; one handling time');
      assert.equal(f.get('X')!.agentsOnDuty, 0);
      assert.equal(f.get('Y')!.position, 2, 'places count within the category, whatever the region');
      assert.equal(f.get('Z')!.minutes, 12, 'a category without a model gets the fallback');
    });

    it('forecasts newcomers behind the queue without simulating again, as a new simulation with them added would (liveForecast)', () => {
      // A desk where shared agents matter: Thandi billing and credit control, Sipho rates and
      // billing, Anele rates only and idle; cases in progress, people leaving.
      const model = handlingModel([], 12);
      const handling = new Map(['billing', 'credit-control', 'rates'].map((c) => [c, model]));
      const agents = [
        agent('thandi', ['billing', 'credit-control'], [{ category: 'credit-control', minutesIn: 4 }]),
        agent('sipho', ['rates', 'billing'], [{ category: 'billing', minutesIn: 9 }]),
        agent('anele', ['rates']),
      ];
      const queue = [waiting('C1', 'credit-control', 20), waiting('B1', 'billing', 15), waiting('R1', 'rates', 12), waiting('B2', 'billing', 8), waiting('C2', 'credit-control', 6)];
      const base = { waiting: queue, agents, handling, abandonmentPerMinute: 1 / 60 };
      const live = liveForecast(input(base));
      assert.deepEqual([...live.forecasts], [...forecastWaits(input(base))], 'the queue itself: exactly forecastWaits');
      const newcomers = [waiting('B3', 'billing', 1), waiting('R2', 'rates', 0.5), waiting('B4', 'billing', 0.2), waiting('I1', 'indigent', 0.1)];
      for (let i = 0; i < newcomers.length; i++) {
        const c = newcomers[i]!;
        const told = live.arrival(c)!;
        const full = forecastWaits(input({ ...base, waiting: [...queue, ...newcomers.slice(0, i + 1)] })).get(c.id)!;
        assert.equal(told.position, full.position, `${c.id}: its place`);
        assert.equal(told.agentsOnDuty, full.agentsOnDuty);
        near(told.minutes, full.minutes, Math.max(2, full.minutes * 0.1), `${c.id}: the wait`);
        assert.deepEqual(live.join(c), told, 'joining tells what arrival told');
        assert.deepEqual(live.forecasts.get(c.id), told);
      }
      assert.ok(live.forecasts.get('B4')!.minutes > live.forecasts.get('B3')!.minutes, 'a later newcomer waits behind an earlier one');
      assert.equal(live.forecasts.get('I1')!.agentsOnDuty, 0);
      assert.equal(live.arrival(waiting('B0', 'billing', 10)), undefined, 'a case not behind the whole queue needs a new simulation');
      assert.equal(live.join(waiting('B0', 'billing', 10)), undefined);
      assert.equal(live.forecasts.has('B0'), false);
    });

    it('counts newcomers that joined out of order, per category and per region, as a new simulation would (liveForecast)', () => {
      // Nobody works indigent queries: each wait is the places in its queue (category and region)
      // times a handling time, so a miscounted place shows in the minutes too.
      const handling = new Map([['indigent', fixed(10)]]);
      const queue = [waiting('I1', 'indigent', 30, 'B'), waiting('I2', 'indigent', 25, 'C'), waiting('I3', 'indigent', 20, 'B')];
      const base = { waiting: queue, agents: [agent('thandi', ['billing'])], handling };
      const live = liveForecast(input(base));
      // Joined out of order: N2 is ahead of N3, who joined before it, and N0 ahead of all three.
      const newcomers = [waiting('N1', 'indigent', 3, 'B'), waiting('N3', 'indigent', 1, 'B'), waiting('N2', 'indigent', 2, 'C'), waiting('N0', 'indigent', 4)];
      for (let i = 0; i < newcomers.length; i++) {
        const c = newcomers[i]!;
        const full = forecastWaits(input({ ...base, waiting: [...queue, ...newcomers.slice(0, i + 1)] })).get(c.id)!;
        const told = live.join(c)!;
        assert.equal(told.position, full.position, `${c.id}: its place in the category`);
        assert.equal(told.minutes, full.minutes, `${c.id}: its wait, from its place in its region's queue`);
      }
      assert.deepEqual(
        newcomers.map((c) => live.forecasts.get(c.id)!.position),
        [4, 5, 5, 4],
        'N1 behind the three queued; N3 behind N1 too; N2 ahead of N3, behind N1; N0 ahead of every newcomer',
      );
      assert.deepEqual(
        newcomers.map((c) => live.forecasts.get(c.id)!.minutes),
        [30, 40, 20, 10],
        'region B: I1, I3, N1, N3; region C: I2, N2; no region: N0 alone',
      );
    });

    it('forecasts 500 waiting cases and 50 agents in a few milliseconds', () => {
      const categories = ['billing', 'credit-control', 'rates'];
      const queue = Array.from({ length: 500 }, (_, i) => waiting(`W${i}`, categories[i % 3]!, 500 - i));
      const agents = Array.from({ length: 50 }, (_, i) => agent(`a${i}`, categories.filter((_, k) => (i + k) % 3 !== 0), [{ category: 'billing', minutesIn: i % 15 }]));
      const args = input({ waiting: queue, agents, abandonmentPerMinute: 0.01 });
      forecastWaits(args);
      const started = performance.now();
      for (let r = 0; r < 10; r++) assert.equal(forecastWaits(args).size, 500);
      assert.ok((performance.now() - started) / 10 < 25, 'well within a turn even on a loaded machine (the bench measures the 5 ms target)');
    });
  });

  describe('promisePoint (the wait to tell, from simulated waits)', () => {
    const even = (n: number) => new Float64Array(n).fill(1);
    it('tells the point whose ±25 % (or 5 minutes) window holds every simulated wait, when one does', () => {
      // Waits 10 to 20: only 15 has them all within 5 minutes (and none more than 5 minutes late).
      const waits = Float64Array.from({ length: 11 }, (_, i) => 10 + i);
      assert.equal(promisePoint(waits, even(11)), 15);
      assert.equal(promisePoint(new Float64Array(5), even(5)), 0, 'an agent free now: no wait');
    });

    it('is not the mean of a right-skewed wait: most wait 5 minutes, a few 40', () => {
      const waits = Float64Array.from([5, 5, 5, 5, 5, 5, 5, 5, 40, 40]);
      // The mean (11.5) would keep the promise for nobody; a point near 5 keeps it for 8 in 10.
      assert.ok(promisePoint(waits, even(10)) <= 5, `told ${promisePoint(waits, even(10))}`);
    });

    it('weighs a broken promise: the dearer it is, the longer the wait told; and follows the weights', () => {
      const waits = Float64Array.from({ length: 41 }, (_, i) => 20 + i);
      const free = promisePoint(waits, even(41), undefined, 0);
      const dear = promisePoint(waits, even(41), undefined, 1);
      assert.ok(dear > free, `${dear} vs ${free}`);
      assert.equal(promisePoint(waits, even(41)), dear, 'LATE_WEIGHT is the default');
      // Weighted towards the short waits (those who stay to be served): a shorter point.
      assert.ok(promisePoint(waits, Float64Array.from(waits, (w) => Math.exp(-w / 20))) < dear);
    });
  });

  describe('handlingModel', () => {
    it('uses the configured default below 3 valid recent cases, and the recent mean (weighted with the default) from 3', () => {
      assert.deepEqual(handlingModel([5, 6], 15).mean, 15);
      assert.equal(handlingModel([5, 6], 15).basis, 'default');
      const m = handlingModel([20, 20, 20, 20, 20, 20, 20, 20], 10);
      assert.equal(m.basis, 'history');
      assert.equal(m.mean, (8 * 20 + 2 * 10) / 10);
      assert.equal(handlingModel([Number.NaN, -5, Number.POSITIVE_INFINITY, 12, 7], 15).basis, 'default', 'invalid samples do not count');
    });

    it('reads only the 20 newest cases', () => {
      const newest = Array(20).fill(10);
      const old = Array(20).fill(100);
      assert.ok(handlingModel([...newest, ...old], 10).mean < 11);
    });
  });

  describe('abandonmentRate', () => {
    it('is the leaves per minute waited, counting the waits of those served or still waiting, after 120 minutes without a leave', () => {
      assert.equal(abandonmentRate([]), 0);
      const rate = abandonmentRate([
        { minutes: 30, left: true },
        { minutes: 10, left: true },
        { minutes: 40, left: false },
        { minutes: 20, left: false },
      ]);
      assert.equal(rate, 2 / (120 + 100));
      assert.equal(abandonmentRate([{ minutes: Number.NaN, left: true }]), 0);
    });
  });

  describe('forecastInput (from what the store holds)', () => {
    it('counts no-shows as expert time, cancellations as leaves, and each agent\'s cases in progress', () => {
      const thandi: StaffIdentity = { id: 'thandi', name: 'Thandi', email: 't@example', role: 'agent', skills: ['billing'], regions: [] };
      const closed = (state: 'resolved' | 'no_show' | 'cancelled', queuedAgo: number, takenAgo: number | undefined, closedAgo: number, handlingMinutes?: number) => ({
        category: 'billing',
        state,
        queueKey: key(queuedAgo, `K${queuedAgo}`),
        createdAt: minutesAgo(queuedAgo).toISOString(),
        closedAt: minutesAgo(closedAgo).toISOString(),
        ...(takenAgo !== undefined ? { assignedTo: { staffId: 'thandi', name: 'Thandi', since: minutesAgo(takenAgo).toISOString() } } : {}),
        ...(handlingMinutes !== undefined ? { handlingMinutes } : {}),
      });
      const built = forecastInput({
        now: NOW,
        open: [
          { id: 'W1', category: 'billing', queueKey: key(10, 'W1'), state: 'waiting' },
          { id: 'P1', category: 'billing', queueKey: key(50, 'P1'), state: 'in_progress', assignedTo: { staffId: 'thandi', name: 'Thandi', since: minutesAgo(4).toISOString() } },
        ],
        recent: [closed('resolved', 100, 90, 70, 20), closed('no_show', 80, 60, 55), closed('resolved', 70, 55, 35, 20), closed('cancelled', 60, undefined, 30)],
        agents: [{ staff: thandi, present: true }],
        defaultHandlingMinutes: new Map([['billing', 12]]),
      });
      // Samples 20, 5 (the no-show), 20: mean 15 weighted with the default 12 (weight 2).
      assert.equal(built.handling.get('billing')!.mean, (3 * 15 + 2 * 12) / 5);
      // Waits: served 10 + 20 + 15, in progress 46, still waiting 10; one leave after 30.
      assert.equal(built.abandonmentPerMinute, 1 / (120 + 10 + 20 + 15 + 30 + 46 + 10));
      assert.deepEqual(built.abandonmentEvidence, { leaves: 1, minutes: 120 + 10 + 20 + 15 + 30 + 46 + 10 });
      assert.deepEqual(built.agents[0]!.working.map((w) => [w.category, w.since.toISOString()]), [['billing', minutesAgo(4).toISOString()]]);
      assert.deepEqual(built.waiting.map((w) => w.id), ['W1']);
    });

    it('takes a stand-in (listed, not signed in) to be starting a case now, and a present agent without one to be free', () => {
      const staff = (id: string): StaffIdentity => ({ id, name: id, email: `${id}@example`, role: 'agent', skills: ['rates', 'billing'], regions: [] });
      const built = forecastInput({
        now: NOW,
        open: [{ id: 'W1', category: 'billing', queueKey: key(10, 'W1'), state: 'waiting' }],
        recent: [],
        agents: [{ staff: staff('here'), present: true }, { staff: staff('listed'), present: false }],
        defaultHandlingMinutes: new Map([['billing', 12], ['rates', 12]]),
      });
      assert.deepEqual(built.agents.map((a) => a.working.map((w) => `${w.category}@${w.since.toISOString()}`)), [[], [`rates@${NOW.toISOString()}`]]);
      const alone = forecastWaits({ ...built, agents: built.agents.slice(1) });
      near(alone.get('W1')!.minutes, 12, 2, 'nobody signed in: about one handling time, not "less than 5 minutes"');
    });
  });

  describe('an overloaded desk (issue 21: told less than the real wait at most a quarter of the time)', () => {
    const thandi: StaffIdentity = { id: 'thandi', name: 'Thandi', email: 't@example', role: 'agent', skills: ['billing'], regions: [] };
    /** A desk where `left` of 24 ratepayers who stopped waiting today left, and ten wait now behind Thandi's case. */
    function desk(left: number) {
      const recent = Array.from({ length: 24 }, (_, i) => {
        const queued = minutesAgo(170 - i * 6);
        return i < left
          ? { category: 'billing', state: 'cancelled' as const, queueKey: key(170 - i * 6, `C${i}`), createdAt: queued.toISOString(), closedAt: minutesAgo(150 - i * 6).toISOString() }
          : {
              category: 'billing', state: 'resolved' as const, queueKey: key(170 - i * 6, `C${i}`), createdAt: queued.toISOString(), closedAt: minutesAgo(140 - i * 6).toISOString(),
              assignedTo: { staffId: 'thandi', name: 'Thandi', since: minutesAgo(152 - i * 6).toISOString() }, handlingMinutes: 12,
            };
      });
      return forecastInput({
        now: NOW,
        open: [
          ...Array.from({ length: 10 }, (_, i) => ({ id: `W${i}`, category: 'billing', queueKey: key(40 - i * 3, `W${i}`), state: 'waiting' as const })),
          { id: 'P1', category: 'billing', queueKey: key(50, 'P1'), state: 'in_progress' as const, assignedTo: { staffId: 'thandi', name: 'Thandi', since: minutesAgo(4).toISOString() } },
        ],
        recent,
        agents: [{ staff: thandi, present: true }],
        defaultHandlingMinutes: new Map([['billing', 12]]),
      });
    }

    it('weighs a broken promise more once a fifth to a third of those who stopped waiting left, not below', () => {
      assert.equal(overloadLateWeight(3, 21), 1, 'an eighth left (a busy desk): as ever');
      assert.equal(overloadLateWeight(5, 20), 1, 'a fifth (a flood, an agent gone)');
      assert.ok(overloadLateWeight(6, 18) > 1 && overloadLateWeight(6, 18) < 4, 'a quarter: on the way');
      assert.equal(overloadLateWeight(8, 16), 4, 'a third (overloaded): in full');
      assert.equal(overloadLateWeight(4, 4), 1, 'too few to say');
      assert.equal(desk(3).lateWeight, 1);
      assert.equal(desk(8).lateWeight, 4);
    });

    it('tells the ratepayers of an overloaded desk a longer wait than the same queue where few leave would be told', () => {
      const few = forecastWaits({ ...desk(8), lateWeight: 1 });
      const overloaded = forecastWaits(desk(8));
      const longer = [...overloaded].filter(([id, f]) => f.minutes > few.get(id)!.minutes).length;
      assert.ok(longer >= 5, `${longer} of 10 told longer`);
      assert.ok([...overloaded].every(([id, f]) => f.minutes >= few.get(id)!.minutes));
    });
  });

  describe('describeWait', () => {
    const cases: [number, string][] = [
      [0, 'less than 5 minutes'],
      [4.9, 'less than 5 minutes'],
      [5, 'about 5 minutes'],
      [7, 'about 5 minutes'],
      [8, 'about 10 minutes'],
      [15, 'about 15 minutes'],
      [57, 'about 55 minutes'],
      [58, 'about 1 hour'],
      [60, 'about 1 hour'],
      [70, 'about 1 hour 10 minutes'],
      [118, 'about 2 hours'],
      [125, 'about 2 hours 5 minutes'],
      [180, 'about 3 hours'],
      [182, 'about 3 hours'],
      [183, 'more than 3 hours'],
      [600, 'more than 3 hours'],
      [Number.POSITIVE_INFINITY, 'more than 3 hours'],
      [-3, 'less than 5 minutes'],
      [Number.NaN, 'less than 5 minutes'],
    ];
    for (const [minutes, words] of cases) {
      it(`describes ${minutes} minutes as "${words}"`, () => assert.equal(describeWait(minutes), words));
    }
  });
});
