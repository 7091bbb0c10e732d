/**
 * The supervisor view's session report line (tab/src/reportWords.ts). Tester 8: with one wait it
 * read "waits: 1 case taken, average 2.3 min, longest 2.3 min", the same figure twice, and said
 * nothing of the case still waiting at that moment.
 */
import assert from 'node:assert/strict';
import { waitsInWords } from '../../tab/src/reportWords.js';

const nobodyWaiting = { waiting: 0, longestWaitMinutes: 0 };

describe('the supervisor view\'s report line: the waits in words', () => {
  it('says one wait once, and names the case still waiting and how long it has waited', () => {
    const one = { waitsMeasured: 1, averageWaitMinutes: 2.3, p90WaitMinutes: 2.3, longestWaitMinutes: 2.3 };
    assert.equal(waitsInWords(one, { waiting: 1, longestWaitMinutes: 6 }), 'waits: 1 case taken after 2.3 min, 1 still waiting (6 min so far)');
    assert.equal(waitsInWords(one, nobodyWaiting), 'waits: 1 case taken after 2.3 min');
  });

  it('with several waiting, names how many and the longest current wait', () => {
    const two = { waitsMeasured: 2, averageWaitMinutes: 6.5, p90WaitMinutes: 9, longestWaitMinutes: 9 };
    assert.equal(waitsInWords(two, { waiting: 3, longestWaitMinutes: 25 }), 'waits: 2 cases taken, average 6.5 min, longest 9 min, 3 still waiting (the longest 25 min so far)');
    assert.equal(waitsInWords({ waitsMeasured: 0 }, { waiting: 1, longestWaitMinutes: 0 }), 'waits: nobody taken yet, 1 still waiting (under 1 min so far)');
    assert.equal(waitsInWords({ waitsMeasured: 0 }, nobodyWaiting), 'waits: nobody taken yet');
  });

  it('from 10 waits, gives the 90th percentile as well', () => {
    const many = { waitsMeasured: 12, averageWaitMinutes: 4.1, p90WaitMinutes: 8, longestWaitMinutes: 11.5 };
    assert.equal(waitsInWords(many, nobodyWaiting), 'waits: 12 cases taken, average 4.1 min, 90 % of them under 8 min, longest 11.5 min');
  });
});
