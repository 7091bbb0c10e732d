/**
 * Chat claims on the embedded Cosmos server (one expert per chat, bot/platform/ports/chatClaims.ts):
 * creating the claim is the check, so of claims made at the same moment exactly one wins;
 * take-over and release are conditional on the version read.
 */
import assert from 'node:assert/strict';
import { chatClaimId, CosmosChatClaims } from '../../bot/platform/cosmos/chatClaimStore.js';
import { freshDatabase } from '../support/cosmos.js';

describe('Chat claims in Cosmos', () => {
  const conversation = 'a:1Xq9-personal-chat-of-lerato';
  const holder = (staffId: string) => ({ staffId, name: `Expert ${staffId}`, caseId: `K7M3P${staffId.length}`, category: 'billing' });
  const now = new Date('2026-03-02T08:00:00Z');

  it('of ten claims of one chat at the same moment exactly one wins, and all see the same holder; the id carries no conversation id', async () => {
    const db = await freshDatabase();
    const claims = new CosmosChatClaims(db.leases);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => claims.claim(conversation, holder(`agent${i}`), now)));
    assert.equal(results.filter((r) => r.claimed).length, 1);
    assert.equal(new Set(results.map((r) => r.current.staffId)).size, 1);
    assert.match(chatClaimId(conversation), /^chat-expert:[0-9a-f]{64}$/);
    assert.ok(!chatClaimId(conversation).includes('lerato'));
    // Another chat is another claim.
    assert.equal((await claims.claim('a:another-chat', holder('x'), now)).claimed, true);
  });

  it('two take-overs of the same version: one succeeds; a release of a stale version does nothing, of the current one frees the chat', async () => {
    const db = await freshDatabase();
    const claims = new CosmosChatClaims(db.leases);
    const first = await claims.claim(conversation, holder('thandi'), now);
    const [a, b] = await Promise.all([claims.takeOver(conversation, holder('priya'), now, first.current), claims.takeOver(conversation, holder('sipho'), now, first.current)]);
    assert.equal([a, b].filter(Boolean).length, 1);
    const taken = (a ?? b)!;
    await claims.release(conversation, first.current);
    assert.equal((await claims.claim(conversation, holder('anele'), now)).current.staffId, taken.staffId, 'the stale release freed nothing');
    await claims.release(conversation, taken);
    assert.equal((await claims.claim(conversation, holder('anele'), now)).claimed, true);
  });
});
