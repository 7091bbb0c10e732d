/**
 * The tab shows every time in the programme's zone (GET /api/config's programme.timeZone), not
 * the browser's: a fresh tester with a browser in UTC read "04:05" for a ratepayer who wrote at
 * 06:05 in Johannesburg.
 */
import assert from 'node:assert/strict';
import { formatTime, handledBy, handlerInWords, showTimesIn, standingInWords } from '../../tab/src/format.js';

describe('the tab\'s times', () => {
  it('are shown in the programme\'s zone once it is known, whatever the machine\'s zone', () => {
    const at = '2022-08-01T15:05:00Z'; // 17:05 in Johannesburg (UTC+2)
    showTimesIn('Africa/Johannesburg');
    assert.match(formatTime(at), /17:05/);
    showTimesIn('UTC');
    assert.match(formatTime(at), /15:05/);
  });
});

describe("the tab's words for where a case stands (tester 8: 'Resolved · Resolved · Sipho Dlamini')", () => {
  it('says a closed case\'s outcome once, a referral with its team and the back office\'s own outcome apart, and every expert', () => {
    assert.equal(standingInWords({ state: 'resolved', outcome: 'resolved' }), 'Resolved');
    assert.equal(standingInWords({ state: 'waiting' }), 'Waiting');
    assert.equal(
      standingInWords({ state: 'resolved', outcome: 'referred_back_office', referredTo: { team: 'Revenue back office' } }),
      'Referred to the back office (Revenue back office) · Back office: still open',
    );
    assert.equal(
      standingInWords({ state: 'resolved', outcome: 'not_resolved', referredTo: { team: 'Revenue back office', outcome: 'not_resolved' } }),
      'Referred to the back office (Revenue back office) · Back office: Not resolved',
    );
    assert.equal(handledBy({ experts: ['Thandi Mokoena', 'Sipho Dlamini'], assignedTo: 'Sipho Dlamini' }), 'Thandi Mokoena, Sipho Dlamini');
    assert.equal(handledBy({ assignedTo: { name: 'Sipho Dlamini' } }), 'Sipho Dlamini');
    assert.equal(handledBy({}), undefined);
  });

  it('says a moved or released case waiting in a queue is waiting, naming who had it before (tester 10, finding 14)', () => {
    assert.equal(handlerInWords({ state: 'waiting', experts: ['Sipho Dlamini'] }), 'Waiting for an expert, earlier with Sipho Dlamini');
    assert.equal(handlerInWords({ state: 'resolved', experts: ['Thandi Mokoena', 'Sipho Dlamini'] }), 'Handled by Thandi Mokoena, Sipho Dlamini');
    assert.equal(handlerInWords({ state: 'waiting', experts: [] }), undefined);
  });
});
