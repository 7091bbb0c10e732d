/**
 * Follow-through measures (issue 19), pure: first-contact resolution, reopened, referred, overdue
 * (open past due, or done late) and the median days to done, per category and per expert.
 */
import assert from 'node:assert/strict';
import { followMeasures, type FollowCase } from '../../bot/domain/followThroughMeasures.js';

const thandi = { staffId: 'thandi', name: 'Thandi' };
const sipho = { staffId: 'sipho', name: 'Sipho' };
const categories = [{ code: 'billing', name: 'Billing' }, { code: 'rates', name: 'Rates' }];
const now = new Date('2022-08-20T10:00:00Z');

const cases: FollowCase[] = [
  { id: 'A', category: 'billing', state: 'resolved', outcome: 'resolved', expert: thandi },
  { id: 'B', category: 'billing', state: 'resolved', outcome: 'arrangement_made', expert: thandi },
  { id: 'C', category: 'billing', state: 'waiting', expert: thandi, reopenedCount: 1 },
  // Referred on the 1st, done on the 5th (4 days), due the 10th: on time.
  { id: 'D', category: 'billing', state: 'resolved', outcome: 'resolved', expert: sipho, referredAt: '2022-08-01T10:00:00Z', dueAt: '2022-08-10T22:00:00Z', referralDoneAt: '2022-08-05T10:00:00Z' },
  // Referred on the 1st, done on the 12th (11 days), due the 10th: done late, so overdue.
  { id: 'E', category: 'rates', state: 'resolved', outcome: 'not_resolved', expert: sipho, referredAt: '2022-08-01T10:00:00Z', dueAt: '2022-08-10T22:00:00Z', referralDoneAt: '2022-08-12T10:00:00Z' },
  // Still open, past due.
  { id: 'F', category: 'rates', state: 'resolved', outcome: 'referred_back_office', expert: sipho, referredAt: '2022-08-02T10:00:00Z', dueAt: '2022-08-16T22:00:00Z' },
  // Still open, not yet due.
  { id: 'G', category: 'rates', state: 'resolved', outcome: 'referred_back_office', expert: sipho, referredAt: '2022-08-19T10:00:00Z', dueAt: '2022-09-02T22:00:00Z' },
  // Cancelled: never finished by an expert.
  { id: 'H', category: 'billing', state: 'cancelled' },
];

describe('follow-through measures', () => {
  it('counts per category and per expert', () => {
    const m = followMeasures(cases, categories, now);
    const line = (x: (typeof m.byCategory)[number]) => [x.key, x.finished, x.firstContact, x.reopened, x.referred, x.overdue, x.medianDaysToDone];
    assert.deepEqual(m.byCategory.map(line), [
      ['billing', 4, 2, 1, 1, 0, 4],
      ['rates', 3, 0, 0, 3, 2, 11],
    ]);
    assert.deepEqual(m.byExpert.map(line), [
      ['sipho', 4, 0, 0, 4, 2, 7.5],
      ['thandi', 3, 2, 1, 0, 0, undefined],
    ]);
    assert.deepEqual(line({ key: 'all', name: 'All', ...m.totals }), ['all', 7, 2, 1, 4, 2, 7.5]);
  });

  it('counts an open referral overdue from the instant its due date passes', () => {
    const open: FollowCase[] = [{ id: 'X', category: 'billing', state: 'resolved', outcome: 'referred_back_office', referredAt: '2022-08-01T10:00:00Z', dueAt: '2022-08-10T22:00:00Z' }];
    assert.equal(followMeasures(open, categories, new Date('2022-08-10T21:59:59.999Z')).totals.overdue, 0);
    assert.equal(followMeasures(open, categories, new Date('2022-08-10T22:00:00Z')).totals.overdue, 1);
  });
});
