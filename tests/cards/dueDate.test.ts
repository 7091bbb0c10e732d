/**
 * A referral's due date on the summary card is written in the ratepayer's language, as the
 * receipt that follows it writes it (tester 8: the Afrikaans notice said "Monday, 14 December
 * 2026", the receipt right after it "Maandag 14 Desember 2026").
 */
import assert from 'node:assert/strict';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { resolvedContent } from '../../bot/platform/cards/ratepayerCards.js';
import { longDate } from '../../bot/messages/time.js';
import { LANGUAGES } from '../../bot/messages/index.js';

describe("a referral's due date on the summary card", () => {
  const def = loadDefinition(LOCAL_DEFINITION);
  const referred = { id: 'K7M3PQ', category: 'billing', outcome: { kind: 'referred_back_office' as const, summary: 'To billing operations.', dueDate: '2026-12-14' } };

  it('is written in the ratepayer\'s language, as the receipt writes it', () => {
    assert.equal(resolvedContent(def, referred, 'af').dueDate, 'Maandag 14 Desember 2026');
    assert.equal(resolvedContent(def, referred, 'en').dueDate, 'Monday 14 December 2026');
    for (const locale of LANGUAGES) assert.equal(resolvedContent(def, referred, locale).dueDate, longDate('2026-12-14', locale), locale);
  });
});
