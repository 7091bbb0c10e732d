/**
 * The bot's lines kept for staff in their language (issue 16 carried to the bot's own messages):
 * which lines want a machine translation, and keeping the results on the case once, on the audit
 * trail without the words (bot/domain/case.ts).
 */
import assert from 'node:assert/strict';
import { BOT_LINE_RETRY_MS, botLineWantsTranslation, openCase, translateBotLines, type Actor, type TranscriptEntry } from '../../bot/domain/case.js';

const now = new Date('2026-11-30T07:00:00Z');
const thandi: Actor = { kind: 'staff', id: 'thandi', name: 'Thandi Mokoena' };
const line = (id: string, extra: Partial<TranscriptEntry> = {}): TranscriptEntry => ({ id, at: now.toISOString(), from: 'system', author: 'Desk', text: `Umugqa ${id}`, ...extra });

function zuluCase(transcript: TranscriptEntry[]) {
  const c = openCase({
    reference: 'K7M3PQ',
    programmeId: 'p',
    category: 'billing',
    sessionId: 's',
    draftId: 'd',
    ratepayer: { userId: 'u', displayName: 'Sipho', conversationId: 'c', channelId: 'msteams' },
    intake: { accountNumber: '501234567' },
    language: 'zu',
    now,
  });
  return { ...c, transcript };
}

describe("the bot's lines in the experts' language (bot/domain/case.ts)", () => {
  it('wants a translation only for a bot line with text, in another language, with no English kept, or whose translation failed long enough ago', () => {
    assert.equal(botLineWantsTranslation(line('a'), 'zu', 'en', now), true);
    assert.equal(botLineWantsTranslation(line('a'), 'en', 'en', now), false, 'same language');
    assert.equal(botLineWantsTranslation(line('a', { from: 'ratepayer' }), 'zu', 'en', now), false, "the ratepayer's own, translated by the relay");
    assert.equal(botLineWantsTranslation(line('a', { text: '  ' }), 'zu', 'en', now), false, 'no text');
    assert.equal(botLineWantsTranslation(line('a', { translation: { status: 'catalogue', from: 'zu', to: 'en', text: 'Line a' } }), 'zu', 'en', now), false, 'the catalogue words');
    assert.equal(botLineWantsTranslation(line('a', { translation: { status: 'translated', from: 'zu', to: 'en', text: 'Line a' } }), 'zu', 'en', now), false, 'kept');
    const failedAt = (ms: number) => line('a', { translation: { status: 'failed', from: 'zu', to: 'en', reason: 'down', at: new Date(now.getTime() - ms).toISOString() } });
    assert.equal(botLineWantsTranslation(failedAt(BOT_LINE_RETRY_MS - 1000), 'zu', 'en', now), false, 'failed a moment ago');
    assert.equal(botLineWantsTranslation(failedAt(BOT_LINE_RETRY_MS), 'zu', 'en', now), true, 'failed ten minutes ago: try again');
  });

  it('keeps the translations on their lines once, with a count on the audit trail and never the words', () => {
    const c = zuluCase([line('a'), line('b', { translation: { status: 'catalogue', from: 'zu', to: 'en', text: 'Line b' } }), line('c')]);
    const results = new Map([
      ['a', { status: 'translated' as const, from: 'zu', to: 'en', text: 'Line a' }],
      ['b', { status: 'translated' as const, from: 'zu', to: 'en', text: 'machine words' }],
    ]);
    const kept = translateBotLines(c, now, thandi, results)!;
    assert.deepEqual(kept.transcript!.map((e) => (e.translation && 'text' in e.translation ? e.translation.text : undefined)), ['Line a', 'Line b', undefined], 'the catalogue words are not replaced; c was not asked');
    const audit = kept.audit.at(-1)!;
    assert.deepEqual([audit.action, audit.detail, audit.by.id], ['bot lines translated', '1 line(s), zu to en', 'thandi']);
    assert.ok(!JSON.stringify(kept.audit).includes('Umugqa'), 'no words on the trail');
    assert.equal(translateBotLines(kept, now, thandi, results), undefined, 'a second view keeps nothing more');
  });
});
