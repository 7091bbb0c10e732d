import assert from 'node:assert/strict';
import { forecastEstimator, SCENARIOS, simulate } from '../../bench/eta.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { SLIP_CHECK_EVERY_MS } from '../../bot/ratepayers/ratepayerUpdates.js';

describe('npm run bench -- --only eta: what it counts (issue 21)', function () {
  this.timeout(60_000);
  const definition = loadDefinition(LOCAL_DEFINITION);
  const overloaded = SCENARIOS.find((s) => s.name === 'overloaded')!;
  const runs = [1, 2].map((seed) => simulate(definition, overloaded, seed, [forecastEstimator]));

  it('counts the wait an honest update tells among the estimates told, compared with the rest of the wait from then', () => {
    // The minute's look (checkSlips) runs at whole multiples of SLIP_CHECK_EVERY_MS, when no queue
    // moves: an estimate recorded at such an instant is the honest update's.
    const step = SLIP_CHECK_EVERY_MS / 60_000;
    let slips = 0;
    let counted = 0;
    for (const o of runs) {
      const looks = new Set(o.slips.map((s) => s.atMinute).filter((m) => Number.isInteger(m / step)));
      slips += o.slips.filter((s) => looks.has(s.atMinute)).length;
      const updates = o.atUpdates.get(forecastEstimator.name)!;
      counted += updates.filter((u) => looks.has(u.atMinute!)).length;
      for (const u of updates) assert.ok(u.real >= 0 && Number.isFinite(u.told));
    }
    assert.ok(slips >= 3, `the overloaded desk slips: ${slips} told at the minute's look`);
    // Those who left after their honest update are not counted (nobody took their case).
    assert.ok(counted > 0 && counted <= slips, `${counted} of ${slips} honest updates counted`);
  });

  it('keeps, per served ratepayer, the last wait told before an expert took the case', () => {
    for (const o of runs) {
      const queueing = o.atQueueing.get(forecastEstimator.name)!;
      const last = o.atLast.get(forecastEstimator.name)!;
      assert.equal(last.length, o.served);
      assert.equal(queueing.length, o.served);
      let later = 0;
      last.forEach((l, i) => {
        const q = queueing[i]!;
        // Told later than at queueing, the rest of the wait is shorter than the whole of it.
        assert.ok(l.atMinute! >= q.atMinute! && l.real <= q.real + 1e-9);
        if (l.atMinute! > q.atMinute!) later++;
        else assert.deepEqual(l, q, 'never updated: the wait told at queueing');
      });
      assert.ok(later > 0, 'some were told again before their turn');
    }
  });
});
