import assert from 'node:assert/strict';
import type { StaffIdentity } from '../../bot/domain/access.js';
import type { QueueEvent } from '../../bot/platform/ports/queueEvents.js';
import { applyEvent, emptyQueue } from '../../tab/src/queueState.js';

const thandi: StaffIdentity = { id: 'thandi', name: 'Thandi', email: 't@x', role: 'agent', skills: ['billing'], regions: [] };
const item = (reference: string, waitingSince: string, category = 'billing') => ({ reference, category, categoryName: category, waitingSince, waitLimitMinutes: 20 });
const event = (over: Partial<QueueEvent> & Pick<QueueEvent, 'reference' | 'kind' | 'version'>): QueueEvent => ({
  id: `${over.version}_i_0`,
  at: over.version,
  category: 'billing',
  by: { kind: 'staff', id: 'sipho', name: 'Sipho' },
  ...over,
});

describe('the tab applying live events to its queue', () => {
  it('adds, orders, moves and removes cases, and ignores an older event arriving late', () => {
    let s = applyEvent(emptyQueue, event({ kind: 'case.queued', reference: 'BBBBBB', version: '2022-08-01T15:02:00.000Z', queued: item('BBBBBB', '2022-08-01T15:02:00.000Z') }), thandi, ['billing']);
    s = applyEvent(s, event({ kind: 'case.queued', reference: 'AAAAAA', version: '2022-08-01T15:03:00.000Z', queued: item('AAAAAA', '2022-08-01T15:01:00.000Z') }), thandi, ['billing']);
    assert.deepEqual(s.waiting.map((i) => i.reference), ['AAAAAA', 'BBBBBB'], 'oldest wait first');
    const claimed = event({
      kind: 'case.claimed',
      reference: 'AAAAAA',
      version: '2022-08-01T15:05:00.000Z',
      working: { ...item('AAAAAA', '2022-08-01T15:01:00.000Z'), assignedTo: { staffId: 'thandi', name: 'Thandi', since: '2022-08-01T15:05:00.000Z' } },
    });
    s = applyEvent(s, claimed, thandi, ['billing']);
    assert.deepEqual(s.waiting.map((i) => i.reference), ['BBBBBB']);
    assert.deepEqual(s.mine.map((i) => i.reference), ['AAAAAA']);
    const late = applyEvent(s, event({ kind: 'case.queued', reference: 'AAAAAA', version: '2022-08-01T15:03:00.000Z', queued: item('AAAAAA', '2022-08-01T15:01:00.000Z') }), thandi, ['billing']);
    assert.equal(late, s, 'an older version changes nothing');
    s = applyEvent(s, event({ kind: 'case.transferred', reference: 'BBBBBB', version: '2022-08-01T15:06:00.000Z', category: 'rates', previousCategory: 'billing', queued: item('BBBBBB', '2022-08-01T15:02:00.000Z', 'rates') }), thandi, ['billing']);
    assert.deepEqual(s.waiting, [], 'transferred out of her categories');
  });
});
