/**
 * The ratepayer's request to end the chat as a fact of the case (tester 7, finding 10): recorded
 * through the lifecycle with its audit entry, only while an expert has the case, and standing
 * until the case leaves the expert or the ratepayer writes again (bot/domain/case.ts
 * requestEndChat, endChatRequestStanding).
 */
import assert from 'node:assert/strict';
import { CaseRuleError, claimCase, endChatRequestStanding, openCase, ratepayerActor, releaseCase, requestEndChat, resolveCase, type Actor, type Case, type TranscriptEntry } from '../../bot/domain/case.js';

const now = new Date('2026-11-30T09:24:00Z');
const thandi: Actor = { kind: 'staff', id: 'thandi', name: 'Thandi Mokoena' };
const ratepayer = { userId: 'u', displayName: 'Johan', conversationId: 'c', channelId: 'msteams' };
const line = (id: string, from: TranscriptEntry['from']): TranscriptEntry => ({ id, at: now.toISOString(), from, author: from, text: id });

function withThandi(): Case {
  const c = openCase({ reference: 'K7M3PQ', programmeId: 'p', category: 'billing', sessionId: 's', draftId: 'd', ratepayer, intake: { accountNumber: '501234567' }, language: 'af', now });
  return { ...claimCase(c, now, thandi), transcript: [line('question', 'system'), line('yes', 'ratepayer')] };
}

describe('the request to end the chat, on the case', () => {
  it('is recorded with its audit entry while an expert has the case, and stands', () => {
    const asked = requestEndChat(withThandi(), now, ratepayerActor(ratepayer), 'yes');
    assert.deepEqual(asked.endChatRequested, { at: now.toISOString(), entryId: 'yes' });
    assert.deepEqual(asked.audit.at(-1), { at: now.toISOString(), by: ratepayerActor(ratepayer), action: 'asked to end the chat' });
    assert.equal(endChatRequestStanding(asked), now.toISOString());
  });

  it('is refused for a case no expert has', () => {
    const waiting = releaseCase(withThandi(), now, thandi);
    assert.throws(() => requestEndChat(waiting, now, ratepayerActor(ratepayer), 'yes'), (e: unknown) => e instanceof CaseRuleError && e.reason === 'not_in_progress');
  });

  it('no longer stands once the ratepayer writes again; the expert writing does not end it', () => {
    const asked = requestEndChat(withThandi(), now, ratepayerActor(ratepayer), 'yes');
    assert.equal(endChatRequestStanding({ ...asked, transcript: [...asked.transcript!, line('expert', 'expert'), line('bot', 'system')] }), now.toISOString());
    assert.equal(endChatRequestStanding({ ...asked, transcript: [...asked.transcript!, line('more', 'ratepayer')] }), undefined);
  });

  it('no longer stands once the case is resolved or back in the queue', () => {
    const asked = requestEndChat(withThandi(), now, ratepayerActor(ratepayer), 'yes');
    assert.equal(endChatRequestStanding(resolveCase(asked, now, thandi, { kind: 'resolved', summary: 'Explained.' }, 30)), undefined);
    assert.equal(endChatRequestStanding(releaseCase(asked, now, thandi)), undefined);
  });
});
