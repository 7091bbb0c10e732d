import assert from 'node:assert/strict';
import { CaseRuleError, changedIntakeFields, claimCase, openCase, updateIntake } from '../../bot/domain/case.js';

const ratepayer = { userId: 'u1', displayName: 'Test Ratepayer', conversationId: 'a:1', channelId: 'msteams' };
const at = new Date('2022-08-01T15:30:00Z');
const waiting = () =>
  openCase({
    reference: 'ABC234',
    programmeId: 'p',
    category: 'billing',
    sessionId: '2022-08-01T17:00',
    draftId: 'draft-1',
    ratepayer,
    intake: { accountNumber: '501234567', mobile: '+27821234567', description: 'My bill doubled.' },
    now: at,
  });

describe('the ratepayer correcting their details (case lifecycle)', () => {
  it('names the changed fields, added and removed ones too', () => {
    assert.deepEqual(changedIntakeFields({ a: '1', b: 2, c: 'x' }, { a: '1', b: 3, d: 'y' }), ['b', 'c', 'd']);
    assert.deepEqual(changedIntakeFields({ a: '1' }, { a: '1' }), []);
  });

  it('replaces the details of a waiting case and records which fields changed, by the ratepayer, without the values', () => {
    const later = new Date(at.getTime() + 60_000);
    const after = updateIntake(waiting(), later, { kind: 'ratepayer', id: 'u1', name: 'Test Ratepayer' }, {
      accountNumber: '501234568',
      mobile: '+27837654321',
      description: 'My bill doubled.',
    });
    assert.equal(after.intake.mobile, '+27837654321');
    assert.equal(after.accountNumber, '501234568', 'the indexed copy follows');
    assert.equal(after.updatedAt, later.toISOString());
    assert.equal(after.state, 'waiting');
    assert.equal(after.queueKey, waiting().queueKey, 'the place in the queue is kept');
    assert.deepEqual(after.audit.at(-1), { at: later.toISOString(), by: { kind: 'ratepayer', id: 'u1', name: 'Test Ratepayer' }, action: 'details changed', detail: 'accountNumber, mobile' });
    assert.ok(!JSON.stringify(after.audit).includes('+27837654321'), 'no value on the trail');
  });

  it('refuses once an expert has the case', () => {
    const claimed = claimCase(waiting(), at, { id: 'thandi', name: 'Thandi Mokoena' });
    assert.throws(() => updateIntake(claimed, at, { kind: 'ratepayer', id: 'u1', name: 'x' }, { mobile: '+27837654321' }), CaseRuleError);
  });
});
