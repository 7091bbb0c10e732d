import assert from 'node:assert/strict';
import type { StaffIdentity } from '../../bot/domain/access.js';
import type { QueueEvent } from '../../bot/platform/ports/queueEvents.js';
import { applyEvent, emptyQueue, steadyRows, type ShownRow } from '../../tab/src/queueState.js';

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

  it('remembers why a case left the waiting list (a transfer out, a cancellation), and nothing for a case that never waited there', () => {
    let s = applyEvent(emptyQueue, event({ kind: 'case.queued', reference: 'AAAAAA', version: '2022-08-01T15:01:00.000Z', queued: item('AAAAAA', '2022-08-01T15:01:00.000Z') }), thandi, ['billing']);
    s = applyEvent(s, event({ kind: 'case.queued', reference: 'BBBBBB', version: '2022-08-01T15:02:00.000Z', queued: item('BBBBBB', '2022-08-01T15:02:00.000Z') }), thandi, ['billing']);
    s = applyEvent(s, event({ kind: 'case.transferred', reference: 'AAAAAA', version: '2022-08-01T15:03:00.000Z', category: 'rates', queued: item('AAAAAA', '2022-08-01T15:01:00.000Z', 'rates') }), thandi, ['billing']);
    s = applyEvent(s, event({ kind: 'case.cancelled', reference: 'BBBBBB', version: '2022-08-01T15:04:00.000Z', by: { kind: 'ratepayer', id: 'r', name: 'Lerato' } }), thandi, ['billing']);
    s = applyEvent(s, event({ kind: 'case.cancelled', reference: 'CCCCCC', version: '2022-08-01T15:05:00.000Z' }), thandi, ['billing']);
    assert.deepEqual(s.left, { AAAAAA: 'case.transferred', BBBBBB: 'case.cancelled' });
  });
});

describe('the waiting list held still under the pointer (tester 11, finding 3)', () => {
  const a = item('AAAAAA', '2022-08-01T15:01:00.000Z');
  const b = item('BBBBBB', '2022-08-01T15:02:00.000Z');
  const c = item('CCCCCC', '2022-08-01T15:03:00.000Z');
  const shown = (rows: ShownRow[]) => rows.map((r) => `${r.item.reference}${r.gone ? ' gone' : ''}`);

  it('held: a case that leaves keeps its place as a gone row, one that comes back is live in the same place, new arrivals go at the bottom', () => {
    const before = steadyRows([], [a, b, c], false);
    let rows = steadyRows(before, [c], true);
    assert.deepEqual(shown(rows), ['AAAAAA gone', 'BBBBBB gone', 'CCCCCC']);
    // A released case with the oldest wait would go first; held, it goes last.
    const released = item('ZZZZZZ', '2022-08-01T15:00:00.000Z');
    rows = steadyRows(rows, [released, b, c], true);
    assert.deepEqual(shown(rows), ['AAAAAA gone', 'BBBBBB', 'CCCCCC', 'ZZZZZZ']);
    assert.equal(steadyRows(rows, [released, b, c], true).length, 4, 'the same again changes nothing');
  });

  it('not held: the waiting cases as they are, oldest first, gone rows dropped', () => {
    const held = steadyRows(steadyRows([], [a, b, c], false), [c], true);
    assert.deepEqual(shown(steadyRows(held, [b, c], false)), ['BBBBBB', 'CCCCCC']);
  });
});
