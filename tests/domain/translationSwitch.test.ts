/**
 * Turning machine translation off is one expert's choice (they read the ratepayer's language,
 * issue 16): when the case goes back to a queue (released or transferred), the next expert starts
 * with translation on. Found by a fresh tester: an English-only expert opened a transferred case
 * and saw the ratepayer's Afrikaans untranslated.
 */
import assert from 'node:assert/strict';
import { claimCase, openCase, releaseCase, setTranslation, transferCase, type Actor } from '../../bot/domain/case.js';

const now = new Date('2022-08-01T15:10:00Z');
const thandi: Actor = { kind: 'staff', id: 'thandi', name: 'Thandi Mokoena' };

function offWithThandi() {
  const c = openCase({
    reference: 'K7M3PQ',
    programmeId: 'p',
    category: 'billing',
    sessionId: 's',
    draftId: 'd',
    ratepayer: { userId: 'u', displayName: 'Lerato', conversationId: 'c', channelId: 'msteams' },
    intake: { accountNumber: '501234567' },
    language: 'af',
    now,
  });
  const off = setTranslation(claimCase(c, now, thandi), now, thandi, false);
  assert.equal(off.translationOff, true);
  return off;
}

describe('translation off is the expert\'s own choice', () => {
  it('is on again for the next expert after a transfer', () => {
    const moved = transferCase(offWithThandi(), now, thandi, 'indigent', 'Needs the ESP desk');
    assert.equal(moved.translationOff, undefined);
    assert.equal(moved.language, 'af');
  });

  it('is on again after a release to the queue', () => {
    assert.equal(releaseCase(offWithThandi(), now, thandi).translationOff, undefined);
  });
});
