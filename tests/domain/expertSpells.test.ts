import assert from 'node:assert/strict';
import { assignCase } from '../../bot/domain/assignment.js';
import { claimCase, expertSpells, handlingMinutesOf, openCase, releaseCase, resolveCase, type Actor } from '../../bot/domain/case.js';
import type { StaffIdentity } from '../../bot/domain/access.js';

const MINUTE = 60_000;
const t0 = Date.parse('2026-11-30T08:00:00Z');
const at = (m: number) => new Date(t0 + m * MINUTE);
const johan: Actor = { kind: 'staff', id: 'johan', name: 'Johan van der Merwe' };
const agent = (id: string, name: string): StaffIdentity => ({ id, name, email: `${id}@joburg.example`, role: 'agent', skills: ['billing'], regions: ['B'] });

describe('expertSpells: every expert\'s turn with a case, from its audit trail (tester 7, finding 12)', () => {
  it('follows a claim, a release, a supervisor\'s assignment and reassignment, and counts only finished turns', () => {
    let c = openCase({
      reference: 'K7M3PQ', programmeId: 'p', category: 'billing', region: 'B', sessionId: 's', draftId: 'd',
      ratepayer: { userId: 'u', displayName: 'R', conversationId: 'c', channelId: 'msteams' },
      intake: { accountNumber: '501234567', accountHolder: 'R', mobile: '+27821234567', description: 'help' },
      now: at(0),
    });
    c = claimCase(c, at(1), { id: 'thandi', name: 'Thandi Mokoena' });
    c = releaseCase(c, at(3), { kind: 'staff', id: 'thandi', name: 'Thandi Mokoena' });
    c = assignCase(c, at(5), johan, agent('sipho', 'Sipho Dlamini'));
    c = assignCase(c, at(9), johan, agent('anele', 'Anele Khumalo'));
    assert.deepEqual(expertSpells(c).map((s) => [s.name, s.from, s.to]), [
      ['Thandi Mokoena', at(1).toISOString(), at(3).toISOString()],
      ['Sipho Dlamini', at(5).toISOString(), at(9).toISOString()],
      ['Anele Khumalo', at(9).toISOString(), undefined],
    ]);
    assert.equal(handlingMinutesOf(expertSpells(c)), 6, 'Anele\'s turn is still running');
    c = resolveCase(c, at(10.5), johan, { kind: 'resolved', summary: 'done' }, 365, true);
    assert.equal(handlingMinutesOf(expertSpells(c)), 7.5);
  });
});
