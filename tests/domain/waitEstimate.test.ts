import assert from 'node:assert/strict';
import { describeWait, estimateWait } from '../../bot/domain/waitEstimate.js';

const base = { position: 1, agentsOnDuty: 1, recentHandlingMinutes: [] as number[], defaultHandlingMinutes: 15 };

describe('wait estimate', () => {
  describe('estimateWait', () => {
    it('uses the default handling time with fewer than 3 recent cases', () => {
      assert.deepEqual(estimateWait({ ...base, position: 2 }), { minutes: 30, basis: 'default', handlingMinutes: 15 });
      assert.deepEqual(estimateWait({ ...base, position: 2, recentHandlingMinutes: [5, 6] }), {
        minutes: 30,
        basis: 'default',
        handlingMinutes: 15,
      });
    });

    it('uses the median of recent cases once there are 3', () => {
      assert.deepEqual(estimateWait({ ...base, position: 2, recentHandlingMinutes: [4, 60, 8] }), {
        minutes: 16,
        basis: 'history',
        handlingMinutes: 8,
      });
      // Even count: the mean of the middle two.
      assert.equal(estimateWait({ ...base, recentHandlingMinutes: [10, 2, 30, 20] }).handlingMinutes, 15);
    });

    it('uses only the last 20 valid cases', () => {
      const old = Array(20).fill(100);
      const recent = Array(20).fill(10);
      assert.equal(estimateWait({ ...base, recentHandlingMinutes: [...old, ...recent] }).handlingMinutes, 10);
      assert.equal(estimateWait({ ...base, recentHandlingMinutes: [...recent, ...old] }).handlingMinutes, 100);
    });

    it('ignores negative and non-finite samples, including for the count of 3', () => {
      const noisy = [Number.NaN, -5, Number.POSITIVE_INFINITY, 12, 7];
      assert.equal(estimateWait({ ...base, recentHandlingMinutes: noisy }).basis, 'default');
      const enough = estimateWait({ ...base, recentHandlingMinutes: [...noisy, 9] });
      assert.equal(enough.basis, 'history');
      assert.equal(enough.handlingMinutes, 9);
    });

    it('assumes every agent is busy: position 1 waits one handling time', () => {
      assert.equal(estimateWait({ ...base, position: 1 }).minutes, 15);
      assert.equal(estimateWait({ ...base, position: 0 }).minutes, 0);
    });

    it('scales with the agents on duty, in rounds of one case per agent', () => {
      const wait = (position: number, agentsOnDuty: number) => estimateWait({ ...base, position, agentsOnDuty }).minutes;
      assert.equal(wait(3, 3), 15);
      assert.equal(wait(4, 3), 30);
      assert.equal(wait(6, 3), 30);
      assert.equal(wait(7, 3), 45);
      assert.equal(wait(10, 1), 150);
      assert.equal(wait(10, 5), 30);
    });

    it('counts fewer than one agent on duty as one', () => {
      assert.equal(estimateWait({ ...base, position: 3, agentsOnDuty: 0 }).minutes, 45);
      assert.equal(estimateWait({ ...base, position: 3, agentsOnDuty: -2 }).minutes, 45);
      assert.equal(estimateWait({ ...base, position: 3, agentsOnDuty: Number.NaN }).minutes, 45);
    });

    it('rounds a fractional handling time up to whole minutes', () => {
      const e = estimateWait({ ...base, position: 3, recentHandlingMinutes: [7.5, 7.5, 7.5] });
      assert.equal(e.handlingMinutes, 7.5);
      assert.equal(e.minutes, 23);
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
