import assert from 'node:assert/strict';
import { mayChange, mayClaim, mayView, queueCategories, type StaffIdentity } from '../../bot/domain/access.js';
import { addNote, CaseRuleError, claimCase, openCase, recordView, resolveCase, transferCase, viewNeedsRecording } from '../../bot/domain/case.js';

const agent = (id: string, skills: string[], regions: string[] = []): StaffIdentity => ({ id, name: id, email: `${id}@x`, role: 'agent', skills, regions });
const thandi = agent('thandi', ['billing', 'credit-control'], ['B']);
const sipho = agent('sipho', ['billing']);
const boss: StaffIdentity = { id: 'johan', name: 'Johan', email: 'j@x', role: 'supervisor', skills: [], regions: [] };
const now = new Date('2022-08-01T15:30:00Z');
const waiting = openCase({
  reference: 'K7M3PQ',
  programmeId: 'p',
  category: 'billing',
  region: 'B',
  sessionId: 's',
  draftId: 'd',
  ratepayer: { userId: 'u', displayName: 'R', conversationId: 'c', channelId: 'msteams' },
  intake: { accountNumber: '501234567' },
  now,
});

describe('who may do what in the tab', () => {
  it('gives agents their skills and supervisors every category', () => {
    assert.deepEqual(queueCategories(thandi, ['billing', 'rates', 'credit-control']), ['billing', 'credit-control']);
    assert.deepEqual(queueCategories(boss, ['billing', 'rates']), ['billing', 'rates']);
  });

  it('lets an agent claim only in their categories and regions', () => {
    assert.equal(mayClaim(thandi, waiting), undefined);
    assert.equal(mayClaim(agent('x', ['rates']), waiting)?.reason, 'outside_skills');
    assert.equal(mayClaim(agent('y', ['billing'], ['A']), waiting)?.reason, 'outside_skills', 'another region');
    assert.equal(mayClaim(boss, waiting), undefined);
  });

  it('keeps a claimed case to its expert (and supervisors), but lets its expert see it after a transfer', () => {
    const claimed = claimCase(waiting, now, thandi);
    assert.equal(mayChange(thandi, claimed), undefined);
    assert.equal(mayChange(sipho, claimed)?.reason, 'someone_elses_case');
    assert.equal(mayChange(boss, claimed), undefined);
    assert.equal(mayView(agent('x', ['rates']), claimed)?.reason, 'outside_skills');
    assert.equal(mayView(thandi, { ...claimed, category: 'metering' }), undefined, 'assigned to her');
  });
});

describe('case lifecycle additions', () => {
  it('keeps notes on open cases only', () => {
    const noted = addNote(claimCase(waiting, now, thandi), now, { kind: 'staff', id: 'thandi', name: 'Thandi' }, 'called back');
    assert.equal(noted.notes?.[0]?.text, 'called back');
    assert.equal(noted.audit.at(-1)?.action, 'note added');
    const closed = resolveCase(noted, now, { kind: 'staff', id: 'thandi', name: 'Thandi' }, { kind: 'resolved', summary: 'ok' }, 30);
    assert.throws(() => addNote(closed, now, { kind: 'staff', id: 'thandi', name: 'Thandi' }, 'late'), CaseRuleError);
  });

  it('needs a due date for a back-office referral, and only there', () => {
    const claimed = claimCase(waiting, now, thandi);
    const by = { kind: 'staff' as const, id: 'thandi', name: 'Thandi' };
    assert.throws(() => resolveCase(claimed, now, by, { kind: 'referred_back_office', summary: 's' }, 30), /due date/);
    assert.throws(() => resolveCase(claimed, now, by, { kind: 'resolved', summary: 's', dueDate: '2022-08-10' }, 30), /Only a referral/);
    assert.throws(() => transferCase(claimed, now, by, 'billing', 'same'), /already in billing/);
  });

  it('records a view once per person per ten minutes', () => {
    const by = { kind: 'staff' as const, id: 'priya', name: 'Priya' };
    assert.equal(viewNeedsRecording(waiting, now, by), true);
    const viewed = recordView(waiting, now, by);
    assert.equal(viewNeedsRecording(viewed, new Date(now.getTime() + 9 * 60_000), by), false);
    assert.equal(viewNeedsRecording(viewed, new Date(now.getTime() + 11 * 60_000), by), true);
    assert.equal(viewNeedsRecording(viewed, now, { ...by, id: 'johan' }), true);
  });
});
