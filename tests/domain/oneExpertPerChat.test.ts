/**
 * One expert per chat (bot/domain/case.ts otherExpertInChat), as claimCase and assignCase apply it:
 * another case of the same chat with a different expert refuses; the same expert, another chat,
 * a closed case or the case itself do not.
 */
import assert from 'node:assert/strict';
import type { StaffIdentity } from '../../bot/domain/access.js';
import { assignCase } from '../../bot/domain/assignment.js';
import { ChatWithOtherExpertError, claimCase, openCase, releaseCase, resolveCase, type Case } from '../../bot/domain/case.js';

const now = new Date('2022-08-01T15:30:00Z');
const agent = (id: string, name: string): StaffIdentity => ({ id, name, email: `${id}@x`, role: 'agent', skills: ['billing', 'credit-control'], regions: [] });
const thandi = agent('thandi', 'Thandi Mokoena');
const priya = agent('priya', 'Priya Naidoo');
const johan = { kind: 'staff' as const, id: 'johan', name: 'Johan' };

function waiting(reference: string, category: string, conversationId = 'chat-1'): Case {
  return openCase({
    reference,
    programmeId: 'p',
    category,
    sessionId: 's',
    draftId: `d-${reference}`,
    ratepayer: { userId: 'u', displayName: 'R', conversationId, channelId: 'directline' },
    intake: {},
    now,
  });
}

describe('one expert per chat (the rule)', () => {
  const billing = claimCase(waiting('AAA222', 'billing'), now, thandi);
  const credit = waiting('BBB333', 'credit-control');

  it('refuses a claim or an assignment to another expert while a case of the same chat is with one, naming that case', () => {
    assert.throws(
      () => claimCase(credit, now, priya, [billing, credit]),
      (e: unknown) => e instanceof ChatWithOtherExpertError && e.reason === 'chat_with_other_expert' && e.busy.id === 'AAA222' && e.busy.assignedTo.name === 'Thandi Mokoena',
    );
    assert.throws(() => assignCase(credit, now, johan, priya, [billing]), ChatWithOtherExpertError);
  });

  it('allows the same expert, a case of another chat, and anyone once the other case is released or done', () => {
    assert.equal(claimCase(credit, now, thandi, [billing]).assignedTo?.staffId, 'thandi');
    assert.equal(claimCase(waiting('CCC444', 'billing', 'chat-2'), now, priya, [billing]).state, 'in_progress');
    const released = releaseCase(billing, now, { kind: 'staff', id: 'thandi', name: 'Thandi Mokoena' });
    assert.equal(claimCase(credit, now, priya, [released]).assignedTo?.staffId, 'priya');
    const resolved = resolveCase(billing, now, { kind: 'staff', id: 'thandi', name: 'Thandi Mokoena' }, { kind: 'resolved', summary: 'Done.' }, 30);
    assert.equal(assignCase(credit, now, johan, priya, [resolved]).assignedTo?.staffId, 'priya');
  });

  it('refuses reassigning one of an expert\'s two cases of a chat to another (the first would stay in the chat); the case itself does not count', () => {
    const both = claimCase(credit, now, thandi, [billing]);
    assert.throws(() => assignCase(billing, now, johan, priya, [billing, both]), ChatWithOtherExpertError);
    assert.equal(assignCase(billing, now, johan, priya, [billing]).assignedTo?.staffId, 'priya', 'alone in the chat: reassigned');
  });
});
