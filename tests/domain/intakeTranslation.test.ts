/**
 * The intake's free-text answers (the query) kept for staff in their language (tester 7, finding
 * 3): which answers want a machine translation, keeping the results once, on the audit trail
 * without the words, and dropping one whose answer changed (bot/domain/case.ts).
 */
import assert from 'node:assert/strict';
import {
  BOT_LINE_RETRY_MS,
  intakeAnswersWantingTranslation,
  openCase,
  ratepayerActor,
  translateIntakeAnswers,
  updateIntake,
  type Actor,
  type EntryTranslation,
} from '../../bot/domain/case.js';

const now = new Date('2026-11-30T07:00:00Z');
const thandi: Actor = { kind: 'staff', id: 'thandi', name: 'Thandi Mokoena' };
const QUERY = 'Imali yamanzi iphezulu kakhulu';
const ratepayer = { userId: 'u', displayName: 'Sipho', conversationId: 'c', channelId: 'msteams' };

function zuluCase(intake: Record<string, string | number>) {
  return openCase({ reference: 'K7M3PQ', programmeId: 'p', category: 'billing', sessionId: 's', draftId: 'd', ratepayer, intake, language: 'zu', now });
}
const translated = (text: string): EntryTranslation => ({ status: 'translated', from: 'zu', to: 'en', text });

describe("the ratepayer's query in the experts' language (bot/domain/case.ts)", () => {
  it('wants a translation of free-text answers only: never codes, numbers, amounts, names or choices', () => {
    const c = zuluCase({
      accountNumber: '501234567',
      accountHolder: 'Sipho Dlamini',
      mobile: '+27821234567',
      idNumber: '8001015009087',
      householdSize: 5,
      monthlyHouseholdIncome: 250000,
      meterType: 'water',
      facility: 'Umtholampilo wase-Orlando',
      description: QUERY,
    });
    assert.deepEqual(intakeAnswersWantingTranslation(c, 'zu', 'en', now), ['facility', 'description']);
    assert.deepEqual(intakeAnswersWantingTranslation(c, 'en', 'en', now), [], 'same language');
    assert.deepEqual(intakeAnswersWantingTranslation(zuluCase({ description: '   ' }), 'zu', 'en', now), [], 'no text');
    const failedAt = (ms: number) => ({ ...c, intakeTranslations: { facility: translated('Orlando clinic'), description: { status: 'failed' as const, from: 'zu', to: 'en', reason: 'down', at: new Date(now.getTime() - ms).toISOString() } } });
    assert.deepEqual(intakeAnswersWantingTranslation(failedAt(BOT_LINE_RETRY_MS - 1000), 'zu', 'en', now), [], 'kept, or failed a moment ago');
    assert.deepEqual(intakeAnswersWantingTranslation(failedAt(BOT_LINE_RETRY_MS), 'zu', 'en', now), ['description'], 'failed ten minutes ago: try again');
  });

  it('keeps the translations once, with the field names on the audit trail and never the words; a changed answer drops its own', () => {
    const c = zuluCase({ accountNumber: '501234567', description: QUERY });
    const results = new Map([['description', translated('[en] ' + QUERY)]]);
    const kept = translateIntakeAnswers(c, now, thandi, results, new Map([['description', QUERY]]))!;
    assert.deepEqual(kept.intakeTranslations, { description: translated('[en] ' + QUERY) });
    assert.equal(kept.intake.description, QUERY, 'the answer as written');
    assert.deepEqual(kept.audit.at(-1), { at: now.toISOString(), by: thandi, action: 'details translated', detail: 'description, zu to en' });
    assert.equal(translateIntakeAnswers(kept, now, thandi, results, new Map([['description', QUERY]])), undefined, 'kept already: nothing to do');
    assert.equal(translateIntakeAnswers(c, now, thandi, results, new Map([['description', 'an older query']])), undefined, 'made from words no longer there');

    const changed = updateIntake(kept, now, ratepayerActor(ratepayer), { ...kept.intake, description: 'Ibhili yami iphezulu kakhulu.' });
    assert.equal(changed.intakeTranslations, undefined, 'the old translation is not shown beside the new words');
    assert.deepEqual(intakeAnswersWantingTranslation(changed, 'zu', 'en', now), ['description']);
    const otherChange = updateIntake(kept, now, ratepayerActor(ratepayer), { ...kept.intake, accountNumber: '501234568' });
    assert.deepEqual(otherChange.intakeTranslations, kept.intakeTranslations, 'another answer changed: the query keeps its translation');
  });
});
