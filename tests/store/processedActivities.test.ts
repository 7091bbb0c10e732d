/**
 * The processed-activity record against the embedded server, which has no TTL: kept on the
 * conversation's document, a record older than a day counts as absent (so the activity would be
 * processed again), newer ones stay; the list is bounded; a conversation first seen gets a record
 * without a reference (one create), which saving the reference completes; inside a turn the
 * check's read serves the turn's own reads of the conversation.
 */
import assert from 'node:assert/strict';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';
import { PROCESSED_ACTIVITIES_KEPT } from '../../bot/platform/ports/processedActivities.js';
import { freshDatabase } from '../support/cosmos.js';
import { personalConversation } from '../support/activities.js';

describe('store: processed activities', () => {
  it('remembers an activity for a day, per conversation, then forgets it; newer ones stay', async () => {
    const db = await freshDatabase();
    const record = new CosmosConversationStore(db.conversations);
    const t0 = new Date('2026-11-30T08:00:00Z');
    const hours = (h: number) => new Date(t0.getTime() + h * 3_600_000);
    assert.equal(await record.wasProcessed('a:chat-1', 'activity-1', t0), false);
    await record.markProcessed('a:chat-1', 'activity-1', t0);
    await record.markProcessed('a:chat-1', 'activity-2', hours(20));
    assert.equal(await record.wasProcessed('a:chat-1', 'activity-1', hours(23)), true);
    assert.equal(await record.wasProcessed('a:chat-2', 'activity-1', hours(1)), false, 'the same activity id in another conversation is another activity');
    assert.equal(await record.wasProcessed('a:chat-1', 'activity-1', hours(25)), false, 'past a day it counts as absent');
    assert.equal(await record.wasProcessed('a:chat-1', 'activity-2', hours(21)), true, 'newer records stay');
    const { resources } = await db.conversations.items.query('SELECT * FROM c').fetchAll();
    assert.equal(resources.length, 1, 'one document for the conversation');
    assert.equal(resources[0].reference, undefined, 'no reference kept for a conversation only seen');
    assert.equal(await record.get('a:chat-1'), undefined, 'and none to reach it by');
  });

  it(`keeps the ${PROCESSED_ACTIVITIES_KEPT} latest of a conversation, beside its reference and its cases`, async () => {
    const db = await freshDatabase();
    const store = new CosmosConversationStore(db.conversations);
    const t0 = new Date('2026-11-30T08:00:00Z');
    const conversation = personalConversation('a:chat-3', 'http://127.0.0.1:1/');
    await store.markProcessed('a:chat-3', 'first', t0, 'personal');
    await store.noteCase({ ...conversation, updatedAt: t0.toISOString() }, { id: 'ABC234', at: t0.toISOString() });
    for (let i = 0; i < PROCESSED_ACTIVITIES_KEPT + 5; i++) await store.markProcessed('a:chat-3', `a${i}`, new Date(t0.getTime() + i * 1000));
    assert.equal(await store.wasProcessed('a:chat-3', `a${PROCESSED_ACTIVITIES_KEPT + 4}`, t0), true);
    assert.equal(await store.wasProcessed('a:chat-3', 'a5', t0), true, `the ${PROCESSED_ACTIVITIES_KEPT}th latest`);
    assert.equal(await store.wasProcessed('a:chat-3', 'a4', t0), false, 'older ones are dropped');
    const { resource } = await db.conversations.item('a:chat-3', 'a:chat-3').read();
    assert.equal(resource.processedActivities.length, PROCESSED_ACTIVITIES_KEPT);
    assert.deepEqual(resource.openedCases.map((c: { id: string }) => c.id), ['ABC234']);
    assert.deepEqual((await store.get('a:chat-3'))?.reference, conversation.reference);
  });

  it("inside a turn, the check's read serves the turn's reads of the conversation until the turn writes it", async () => {
    const db = await freshDatabase();
    const store = new CosmosConversationStore(db.conversations);
    const t0 = new Date('2026-11-30T08:00:00Z');
    const conversation = { ...personalConversation('a:chat-4', 'http://127.0.0.1:1/'), updatedAt: t0.toISOString() };
    await store.save(conversation);
    const reads: string[] = [];
    const item = db.conversations.item.bind(db.conversations);
    db.conversations.item = (id: string, pk?: unknown) => {
      const it = item(id, pk as string);
      const read = it.read.bind(it);
      it.read = ((...args: Parameters<typeof it.read>) => (reads.push(id), read(...args))) as typeof it.read;
      return it;
    };
    await store.duringTurn(async () => {
      assert.equal(await store.wasProcessed('a:chat-4', 'x1', t0), false);
      assert.ok(await store.get('a:chat-4'));
      assert.equal(reads.length, 1, 'one read for the check and the turn');
      await store.noteCase(conversation, { id: 'DEF567', at: t0.toISOString() });
      assert.deepEqual((await store.get('a:chat-4'))?.openedCases?.map((c) => c.id), ['DEF567'], 'its own write is seen');
      assert.equal(reads.length, 2);
      await store.markProcessed('a:chat-4', 'x1', t0, 'personal');
    });
    assert.equal(reads.length, 2, 'the record is one write');
    assert.equal(await store.wasProcessed('a:chat-4', 'x1', t0), true);
  });

  it("a first message's language choice and the turn's record of it are one create (no 404, no 409, no second read)", async () => {
    const db = await freshDatabase();
    const store = new CosmosConversationStore(db.conversations);
    const t0 = new Date('2026-11-30T08:00:00Z');
    const conversation = { ...personalConversation('a:chat-5', 'http://127.0.0.1:1/'), updatedAt: t0.toISOString() };
    const calls: string[] = [];
    const item = db.conversations.item.bind(db.conversations);
    db.conversations.item = (id: string, pk?: unknown) => {
      const it = item(id, pk as string);
      for (const name of ['read', 'patch', 'replace'] as const) {
        const original = (it[name] as (...args: unknown[]) => unknown).bind(it);
        (it as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => (calls.push(name), original(...args));
      }
      return it;
    };
    const create = db.conversations.items.create.bind(db.conversations.items);
    db.conversations.items.create = ((...args: Parameters<typeof create>) => (calls.push('create'), create(...args))) as typeof create;
    await store.duringTurn(async () => {
      assert.equal(await store.wasProcessed('a:chat-5', 'm1', t0), false);
      await store.setLanguage(conversation, 'zu', 'words');
      assert.equal((await store.get('a:chat-5'))?.language, 'zu', 'the turn reads what it wrote');
      await store.markProcessed('a:chat-5', 'm1', t0, 'personal');
    });
    assert.deepEqual(calls, ['read', 'create']);
    const stored = await store.get('a:chat-5');
    assert.equal(stored?.language, 'zu');
    assert.equal(stored?.languageSource, 'words');
    assert.deepEqual(stored?.reference, conversation.reference, 'the create keeps the reference, not only the record');
    assert.equal(await store.wasProcessed('a:chat-5', 'm1', t0), true);
  });

  it('a language chosen in a turn goes with the turn\'s next write of the conversation, and a failed turn writes none', async () => {
    const db = await freshDatabase();
    const store = new CosmosConversationStore(db.conversations);
    const t0 = new Date('2026-11-30T08:00:00Z');
    const conversation = { ...personalConversation('a:chat-6', 'http://127.0.0.1:1/'), updatedAt: t0.toISOString() };
    await store.save(conversation);
    await store.duringTurn(async () => {
      assert.equal(await store.wasProcessed('a:chat-6', 'm1', t0), false);
      await store.setLanguage(conversation, 'af', 'picked');
      await store.noteCase(conversation, { id: 'GHJ234', at: t0.toISOString() });
      const { resource } = await db.conversations.item('a:chat-6', 'a:chat-6').read();
      assert.equal(resource.language, 'af', 'written with the case noted, before the turn ends');
      assert.equal((await store.get('a:chat-6'))?.language, 'af');
      await store.markProcessed('a:chat-6', 'm1', t0, 'personal');
    });
    assert.equal((await store.get('a:chat-6'))?.language, 'af');
    assert.deepEqual((await store.get('a:chat-6'))?.openedCases?.map((c) => c.id), ['GHJ234']);

    await store
      .duringTurn(async () => {
        assert.equal(await store.wasProcessed('a:chat-6', 'm2', t0), false);
        await store.setLanguage(conversation, 'zu', 'picked');
        assert.equal((await store.get('a:chat-6'))?.language, 'zu', 'the turn sees its choice');
        throw new Error('the turn failed');
      })
      .catch(() => undefined);
    assert.equal((await store.get('a:chat-6'))?.language, 'af', 'a failed turn changes nothing: its resend chooses again');
  });
});
