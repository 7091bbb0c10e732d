/**
 * The lifecycle's rules for the survey answer, the closing offer and the closing choice (pure,
 * time passed in): each is allowed only in its state, the once-only ones refuse a second time,
 * and each appends to the audit trail.
 */
import assert from 'node:assert/strict';
import { answerSurvey, CaseRuleError, chooseAtClosing, claimCase, offerClosing, openCase, ratepayerActor, resolveCase, type Case } from '../../bot/domain/case.js';

const ratepayer = { userId: 'u1', displayName: 'Lerato', conversationId: 'conv-1', channelId: 'msteams' };
const at = (minute: number) => new Date(Date.UTC(2022, 7, 1, 15, minute));
const thandi = { kind: 'staff' as const, id: 'thandi', name: 'Thandi' };
const waiting = (): Case =>
  openCase({ reference: 'ABC234', programmeId: 'joburg', category: 'billing', sessionId: '2022-08-01T17:00', draftId: 'd', ratepayer, intake: {}, now: at(0) });
const refused = (reason: CaseRuleError['reason']) => (error: unknown) => error instanceof CaseRuleError && error.reason === reason;

describe('case lifecycle: survey, closing offer, closing choice', () => {
  it('takes one survey answer on a resolved case, with the rating on the audit trail', () => {
    const resolved = resolveCase(claimCase(waiting(), at(1), thandi), at(5), thandi, { kind: 'resolved', summary: 'Done' }, 365);
    assert.throws(() => answerSurvey(waiting(), at(6), ratepayerActor(ratepayer), { rating: 4 }), refused('not_resolved'));
    const answered = answerSurvey(resolved, at(6), ratepayerActor(ratepayer), { rating: 4, comment: 'Kind' });
    assert.deepEqual(answered.survey, { rating: 4, comment: 'Kind', at: at(6).toISOString() });
    assert.deepEqual(answered.audit.at(-1), { at: at(6).toISOString(), by: ratepayerActor(ratepayer), action: 'survey answered', detail: 'rating 4' });
    assert.equal(answered.updatedAt, at(6).toISOString());
    assert.throws(() => answerSurvey(answered, at(7), ratepayerActor(ratepayer), { rating: 1 }), refused('already_done'));
  });

  it('warns of a closing once per session, only while waiting', () => {
    const offered = offerClosing(waiting(), at(1), '2022-08-01T17:00');
    assert.equal(offered.closingOffered, '2022-08-01T17:00');
    assert.deepEqual(offered.audit.at(-1), { at: at(1).toISOString(), by: { kind: 'system', id: 'scheduler', name: 'Session scheduler' }, action: 'closing offered', detail: '2022-08-01T17:00' });
    assert.throws(() => offerClosing(offered, at(2), '2022-08-01T17:00'), refused('already_done'));
    assert.equal(offerClosing(offered, at(2), '2022-08-02T17:00').closingOffered, '2022-08-02T17:00', 'the next session is warned of again');
    assert.throws(() => offerClosing(claimCase(waiting(), at(1), thandi), at(2), '2022-08-01T17:00'), refused('not_waiting'));
  });

  it('records a closing choice while waiting (a later one replaces it), and refuses it once an expert has the case', () => {
    const by = ratepayerActor(ratepayer);
    const keep = chooseAtClosing(waiting(), at(1), by, { choice: 'next_session', decidedAt: at(1).toISOString() });
    assert.equal(keep.audit.at(-1)?.detail, 'keep place for the next session');
    const callback = chooseAtClosing(keep, at(2), by, { choice: 'callback', callbackAt: '2022-08-02T08:00:00.000Z', decidedAt: at(2).toISOString() });
    assert.equal(callback.closingChoice?.callbackAt, '2022-08-02T08:00:00.000Z');
    assert.deepEqual(callback.audit.slice(-2).map((e) => [e.action, e.detail]), [
      ['closing choice', 'keep place for the next session'],
      ['closing choice', 'callback at 2022-08-02T08:00:00.000Z'],
    ]);
    assert.throws(() => chooseAtClosing(claimCase(waiting(), at(1), thandi), at(2), by, { choice: 'next_session', decidedAt: at(2).toISOString() }), refused('not_waiting'));
  });
});
