/**
 * Failed proofs of ownership per chat (issue 19), kept on the conversation's document against the
 * embedded server: counted across store instances (two service instances), none lost when they
 * record at once, old ones dropped, and the conversation's reference, cases and processed
 * activities kept beside them (and they beside those); and per case reference, from all chats, in
 * a document of their own.
 */
import assert from 'node:assert/strict';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';
import { freshDatabase } from '../support/cosmos.js';
import { personalConversation } from '../support/activities.js';

describe('store: failed proofs per chat and per case reference', () => {
  const t0 = new Date('2026-11-30T08:00:00Z');
  const minutes = (m: number) => new Date(t0.getTime() + m * 60_000);

  it('counts the tries of every instance, none lost when they record at once, and drops old ones', async () => {
    const db = await freshDatabase();
    const a = new CosmosConversationStore(db.conversations);
    const b = new CosmosConversationStore(db.conversations);
    assert.equal(await a.failedProofsSince('a:guesser', t0), 0);
    // A conversation not stored yet, four tries at once from two instances.
    await Promise.all([a, b, a, b].map((store, i) => store.recordFailedProof('a:guesser', minutes(i), t0)));
    assert.equal(await a.failedProofsSince('a:guesser', t0), 4);
    assert.equal(await b.failedProofsSince('a:guesser', minutes(2)), 2, 'only those at or after the instant');
    assert.equal(await a.failedProofsSince('a:other-chat', t0), 0, 'per chat');
    // A try 20 minutes later drops those before its window.
    await b.recordFailedProof('a:guesser', minutes(20), minutes(5));
    const { resource } = await db.conversations.item('a:guesser', 'a:guesser').read();
    assert.deepEqual(resource.failedProofs, [minutes(20).toISOString()]);
    assert.equal(resource.reference, undefined, 'no reference kept for a conversation only seen');
  });

  it('keeps the reference, the noted cases and the processed activities beside them', async () => {
    const db = await freshDatabase();
    const store = new CosmosConversationStore(db.conversations);
    const conversation = { ...personalConversation('a:chat-1', 'http://127.0.0.1:1/'), updatedAt: t0.toISOString() };
    await store.noteCase(conversation, { id: 'ABC234', at: t0.toISOString() });
    await store.markProcessed('a:chat-1', 'activity-1', t0);
    await store.recordFailedProof('a:chat-1', minutes(1), t0);
    await store.noteCase({ ...conversation, updatedAt: minutes(2).toISOString() }, { id: 'DEF567', at: minutes(2).toISOString() });
    await store.markProcessed('a:chat-1', 'activity-2', minutes(2));
    assert.equal(await store.failedProofsSince('a:chat-1', t0), 1);
    const saved = await store.get('a:chat-1');
    assert.deepEqual(saved?.openedCases?.map((c) => c.id), ['ABC234', 'DEF567']);
    assert.equal(await store.wasProcessed('a:chat-1', 'activity-1', minutes(3)), true);
  });
  it('counts failed proofs per case reference across instances: records made at once are serialised, so each sees its own count', async () => {
    const db = await freshDatabase();
    const a = new CosmosConversationStore(db.conversations);
    const b = new CosmosConversationStore(db.conversations);
    assert.equal(await a.failedProofsOnReferenceSince('K7M3PQ', t0), 0);
    const counts = await Promise.all([a, b, a, b, a, b].map((store, i) => store.recordFailedProofOnReference('K7M3PQ', minutes(i), t0)));
    assert.deepEqual([...counts].sort(), [1, 2, 3, 4, 5, 6], 'exactly one record sees the count reach six');
    assert.equal(await b.failedProofsOnReferenceSince('K7M3PQ', t0), 6);
    assert.equal(await a.failedProofsOnReferenceSince('ABC234', t0), 0, 'per reference');
    assert.equal(await a.failedProofsSince('K7M3PQ', t0), 0, 'apart from the chats\' counts');
    // Twenty minutes later, the old ones are dropped.
    assert.equal(await a.recordFailedProofOnReference('K7M3PQ', minutes(20), minutes(6)), 1);
    const { resource } = await db.conversations.item('failed-proofs:K7M3PQ', 'failed-proofs:K7M3PQ').read();
    assert.deepEqual(Object.keys(resource).filter((k) => !k.startsWith('_')).sort(), ['failedProofs', 'id', 'kind', 'ttl', 'updatedAt'], 'times only: nothing typed');
    assert.equal(resource.kind, 'failed-proofs');
    assert.ok(resource.ttl > 0, 'it expires');
  });
});
