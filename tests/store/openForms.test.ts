/**
 * The open intake form a Teams chat is remembered by (bot/platform/ports/openForms.ts), against the
 * embedded server: inside a turn it is read with the turn's one read of the conversation and
 * written in the patch that records the turn's activity (no request of its own, no operation when
 * unchanged); a patch never passes Cosmos DB's ten operations (the embedded server does not check
 * that limit, so the test counts them).
 */
import assert from 'node:assert/strict';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';
import { PROCESSED_ACTIVITIES_KEPT } from '../../bot/platform/ports/processedActivities.js';
import { freshDatabase } from '../support/cosmos.js';
import { personalConversation } from '../support/activities.js';

/** The store on a fresh database, with each request on a conversation document counted (a patch with its operations' paths). */
async function countedStore() {
  const db = await freshDatabase();
  const calls: { name: string; paths?: string[] }[] = [];
  const item = db.conversations.item.bind(db.conversations);
  db.conversations.item = (id: string, pk?: unknown) => {
    const it = item(id, pk as string);
    for (const name of ['read', 'patch', 'replace'] as const) {
      const original = (it[name] as (...args: unknown[]) => unknown).bind(it);
      (it as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        const body = args[0] as { path: string }[] | { operations: { path: string }[] } | undefined;
        calls.push(name === 'patch' ? { name, paths: (Array.isArray(body) ? body : body!.operations).map((o) => o.path) } : { name });
        return original(...args);
      };
    }
    return it;
  };
  const create = db.conversations.items.create.bind(db.conversations.items);
  db.conversations.items.create = ((...args: Parameters<typeof create>) => (calls.push({ name: 'create' }), create(...args))) as typeof create;
  return { db, calls, store: new CosmosConversationStore(db.conversations) };
}

describe('store: the open form a Teams chat is remembered by', () => {
  const t0 = new Date('2026-11-30T08:00:00Z');
  const form = { category: 'billing', draftId: 'draft-0001-abcd' };

  it('is read with the turn and written with the record of its activity; unchanged, not written; null forgets it; outside a turn, one patch', async () => {
    const { calls, store } = await countedStore();
    const conversation = { ...personalConversation('a:chat-f1', 'http://127.0.0.1:1/'), updatedAt: t0.toISOString() };
    await store.save(conversation);
    calls.length = 0;
    await store.duringTurn(async () => {
      assert.equal(await store.wasProcessed('a:chat-f1', 'm1', t0), false);
      assert.equal(await store.openFormOf('a:chat-f1'), undefined);
      await store.rememberOpenForm('a:chat-f1', form);
      assert.deepEqual(await store.openFormOf('a:chat-f1'), form, 'the turn sees what it remembered');
      await store.markProcessed('a:chat-f1', 'm1', t0, 'personal');
    });
    assert.deepEqual(calls.map((c) => c.name), ['read', 'patch'], 'the turn\'s read and its record: nothing of its own');
    assert.ok(calls[1]!.paths!.includes('/openForm'));
    assert.deepEqual(await store.openFormOf('a:chat-f1'), form);

    calls.length = 0;
    await store.duringTurn(async () => {
      await store.wasProcessed('a:chat-f1', 'm2', t0);
      await store.rememberOpenForm('a:chat-f1', { ...form });
      await store.markProcessed('a:chat-f1', 'm2', t0, 'personal');
    });
    assert.deepEqual(calls.map((c) => c.name), ['read', 'patch']);
    assert.ok(!calls[1]!.paths!.includes('/openForm'), 'the same form again: no operation');

    await store.duringTurn(async () => {
      await store.wasProcessed('a:chat-f1', 'm3', t0);
      await store.rememberOpenForm('a:chat-f1', null);
      await store.markProcessed('a:chat-f1', 'm3', t0, 'personal');
    });
    assert.equal(await store.openFormOf('a:chat-f1'), undefined, 'forgotten');

    calls.length = 0;
    await store.rememberOpenForm('a:chat-f1', { ...form, follows: 'K7M3PQ' });
    assert.deepEqual(calls.map((c) => c.name), ['patch']);
    assert.deepEqual(await store.openFormOf('a:chat-f1'), { ...form, follows: 'K7M3PQ' });
    await store.rememberOpenForm('a:chat-unknown', form);
    assert.equal(await store.openFormOf('a:chat-unknown'), undefined, 'a conversation not stored stays so');
  });

  it('a failed turn remembers nothing; a first message\'s form goes in the create of its record', async () => {
    const { calls, store } = await countedStore();
    await store
      .duringTurn(async () => {
        await store.wasProcessed('a:chat-f2', 'm1', t0);
        await store.rememberOpenForm('a:chat-f2', form);
        throw new Error('the turn failed');
      })
      .catch(() => undefined);
    assert.equal(await store.openFormOf('a:chat-f2'), undefined);
    calls.length = 0;
    await store.duringTurn(async () => {
      await store.wasProcessed('a:chat-f2', 'm1', t0);
      await store.setLanguage({ ...personalConversation('a:chat-f2', 'http://127.0.0.1:1/'), updatedAt: t0.toISOString() }, 'zu', 'words');
      await store.rememberOpenForm('a:chat-f2', form);
      await store.markProcessed('a:chat-f2', 'm1', t0, 'personal');
    });
    assert.deepEqual(calls.map((c) => c.name), ['read', 'create']);
    assert.deepEqual(await store.openFormOf('a:chat-f2'), form);
    assert.equal((await store.get('a:chat-f2'))?.language, 'zu');
  });

  it(`with a language to set and a full list of ${PROCESSED_ACTIVITIES_KEPT} activities, no patch passes ten operations, and all of it is kept`, async () => {
    const { calls, store } = await countedStore();
    // With the user: the language's patch sets eight paths, the record two more.
    const conversation = { ...personalConversation('a:chat-f3', 'http://127.0.0.1:1/'), userId: 'user-f3', updatedAt: t0.toISOString() };
    await store.save(conversation);
    for (let i = 0; i < PROCESSED_ACTIVITIES_KEPT; i++) await store.markProcessed('a:chat-f3', `a${i}`, new Date(t0.getTime() + i * 1000));
    calls.length = 0;
    await store.duringTurn(async () => {
      await store.wasProcessed('a:chat-f3', 'last', t0);
      await store.setLanguage(conversation, 'af', 'picked');
      await store.rememberOpenForm('a:chat-f3', form);
      await store.markProcessed('a:chat-f3', 'last', new Date(t0.getTime() + 60_000), 'personal');
    });
    const patches = calls.filter((c) => c.name === 'patch');
    for (const patch of patches) assert.ok(patch.paths!.length <= 10, JSON.stringify(patch.paths));
    assert.deepEqual(patches.map((p) => p.paths!.length), [1, 10], 'the form on its own, then the language and the record');
    assert.deepEqual(await store.openFormOf('a:chat-f3'), form);
    assert.equal((await store.get('a:chat-f3'))?.language, 'af');
    assert.equal(await store.wasProcessed('a:chat-f3', 'last', t0), true);
    assert.equal(await store.wasProcessed('a:chat-f3', 'a0', t0), false, 'the oldest taken off');
  });
});
