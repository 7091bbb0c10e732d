import assert from 'node:assert/strict';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';
import { claimCase, openCase, resolveCase, type Case } from '../../bot/domain/case.js';
import { StaleCaseError } from '../../bot/platform/ports/caseStore.js';
import { freshDatabase } from '../support/cosmos.js';

const ratepayer = { userId: 'u1', displayName: 'Lerato', conversationId: 'conv-1', channelId: 'msteams' };

function aCase(reference: string, minute: number, overrides: Partial<Case> = {}): Case {
  return {
    ...openCase({
      reference,
      programmeId: 'joburg',
      category: 'billing',
      sessionId: '2022-08-01T17:00',
      draftId: `draft-${reference}`,
      ratepayer,
      intake: { accountNumber: '123456789', description: 'Bill too high since March' },
      now: new Date(Date.UTC(2022, 7, 1, 15, minute)),
    }),
    ...overrides,
  };
}

describe('Cosmos case store (embedded server, real protocol)', () => {
  let store: CosmosCaseStore;
  let conversations: CosmosConversationStore;
  let db: Awaited<ReturnType<typeof freshDatabase>>;

  beforeEach(async () => {
    db = await freshDatabase();
    store = new CosmosCaseStore(db.cases);
    conversations = new CosmosConversationStore(db.conversations);
  });

  it('creates a case and reads it back with an ETag', async () => {
    const result = await store.create(aCase('ABC234', 1));
    assert.equal(result.created, true);
    const read = await store.get('ABC234');
    assert.equal(read?.intake.accountNumber, '123456789');
    assert.ok(read?.etag);
    assert.equal(await store.get('ZZZ999'), undefined);
  });

  it('returns the existing case instead of creating a second one with the same id', async () => {
    await store.create(aCase('ABC234', 1));
    const again = await store.create(aCase('ABC234', 2, { draftId: 'other' }));
    assert.equal(again.created, false);
    assert.equal(again.created === false && again.existing.draftId, 'draft-ABC234');
  });

  it('keeps the queue in order and counts who is ahead', async () => {
    await store.create(aCase('CCC333', 3));
    await store.create(aCase('AAA222', 1));
    await store.create(aCase('BBB222', 2));
    await store.create(aCase('RAT333', 0, { category: 'rates' }));
    const waiting = await store.listWaiting('joburg', ['billing'], 10);
    assert.deepEqual(waiting.map((c) => c.id), ['AAA222', 'BBB222', 'CCC333']);
    const both = await store.listWaiting('joburg', ['billing', 'rates'], 2);
    assert.deepEqual(both.map((c) => c.id), ['RAT333', 'AAA222']);
    const third = waiting[2]!;
    assert.equal(await store.countWaitingAhead('joburg', 'billing', third.queueKey), 2);
  });

  it('refuses a write based on a stale ETag', async () => {
    const created = await store.create(aCase('ABC234', 1));
    assert.ok(created.created);
    const first = created.case;
    const claimed = await store.replace({ ...claimCase(first, new Date(), { id: 'thandi', name: 'Thandi' }), etag: first.etag });
    assert.equal(claimed.state, 'in_progress');
    await assert.rejects(
      store.replace({ ...claimCase(first, new Date(), { id: 'sipho', name: 'Sipho' }), etag: first.etag }),
      StaleCaseError,
    );
    assert.equal((await store.get('ABC234'))?.assignedTo?.staffId, 'thandi');
  });

  it("finds a conversation's cases, an account history and recent handling times", async () => {
    const created = await store.create(aCase('ABC234', 1));
    assert.ok(created.created);
    await store.create(aCase('DEF345', 2, { ratepayer: { ...ratepayer, conversationId: 'conv-2' } }));
    const claimed = claimCase(created.case, new Date(Date.UTC(2022, 7, 1, 15, 10)), { id: 'thandi', name: 'Thandi' });
    const resolved = resolveCase(
      claimed,
      new Date(Date.UTC(2022, 7, 1, 15, 22)),
      { kind: 'staff', id: 'thandi', name: 'Thandi' },
      { kind: 'resolved', summary: 'Corrected reading' },
      365,
    );
    await store.replace({ ...resolved, etag: created.case.etag });
    assert.deepEqual((await store.listForConversation('conv-1', 10)).map((c) => [c.id, c.state]), [['ABC234', 'resolved']]);
    assert.deepEqual((await store.listForConversation('conv-2', 10)).map((c) => [c.id, c.state]), [['DEF345', 'waiting']]);
    assert.deepEqual(await store.recentHandlingMinutes('joburg', 'billing', 5), [12]);
    assert.deepEqual((await store.listByAccount('123456789', 10)).map((c) => c.id).sort(), ['ABC234', 'DEF345']);
    // The document Cosmos DB expires: its ttl (the adapter's, from the case's retention decision).
    const stored = (await db.cases.item('ABC234', 'ABC234').read<{ ttl?: number }>()).resource;
    assert.equal(stored?.ttl, 365 * 86400);
  });

  it('saves and reads conversation references', async () => {
    await conversations.save({ id: 'conv-1', channelId: 'msteams', reference: { serviceUrl: 'http://x' }, kind: 'personal', updatedAt: 'now' });
    assert.deepEqual((await conversations.get('conv-1'))?.reference, { serviceUrl: 'http://x' });
    assert.equal(await conversations.get('nope'), undefined);
  });

  it("keeps a ratepayer's conversation for the retention period after its last write, and a supervisors' channel for good", async () => {
    const db = await freshDatabase();
    const kept = new CosmosConversationStore(db.conversations, { personalTtlSeconds: 365 * 86_400 });
    const raw = async (id: string) => (await db.conversations.item(id, id).read<{ ttl?: number }>()).resource;
    await kept.save({ id: 'conv-personal', channelId: 'msteams', reference: { serviceUrl: 'http://x' }, kind: 'personal', updatedAt: new Date().toISOString() });
    await kept.noteCase({ id: 'conv-noted', channelId: 'msteams', reference: { serviceUrl: 'http://x' }, kind: 'personal', updatedAt: new Date().toISOString() }, { id: 'ABC234', at: new Date().toISOString() });
    await kept.save({ id: '19:channel@thread.tacv2', channelId: 'msteams', reference: { serviceUrl: 'http://x' }, kind: 'channel', updatedAt: new Date().toISOString() });
    assert.equal((await raw('conv-personal'))?.ttl, 365 * 86_400);
    assert.equal((await raw('conv-noted'))?.ttl, 365 * 86_400);
    assert.equal((await raw('19:channel@thread.tacv2'))?.ttl, undefined);
    // Written again (a patch): the period starts again from this write.
    await kept.noteCase({ id: 'conv-personal', channelId: 'msteams', reference: { serviceUrl: 'http://y' }, kind: 'personal', updatedAt: new Date().toISOString() }, { id: 'DEF345', at: new Date().toISOString() });
    assert.equal((await raw('conv-personal'))?.ttl, 365 * 86_400);
  });

  it('writes an unchanged conversation reference again only after ten minutes, and a changed one at once', async () => {
    const at = (minute: number) => new Date(Date.UTC(2022, 7, 1, 15, minute)).toISOString();
    const reference = (activityId: string, serviceUrl = 'https://smba.example/za/') => ({ activityId, serviceUrl, conversation: { id: 'conv-1' } });
    const saved = async () => (await conversations.get('conv-1'))?.updatedAt;
    await conversations.save({ id: 'conv-1', channelId: 'msteams', reference: reference('a1'), kind: 'personal', updatedAt: at(0) });
    // Another message of the same conversation a few minutes later: nothing that matters changed.
    await conversations.save({ id: 'conv-1', channelId: 'msteams', reference: reference('a2'), kind: 'personal', updatedAt: at(4) });
    assert.equal(await saved(), at(0));
    await conversations.save({ id: 'conv-1', channelId: 'msteams', reference: reference('a3'), kind: 'personal', updatedAt: at(10) });
    assert.equal(await saved(), at(10));
    // Teams moved the conversation to another service URL: written at once.
    await conversations.save({ id: 'conv-1', channelId: 'msteams', reference: reference('a4', 'https://smba.example/emea/'), kind: 'personal', updatedAt: at(11) });
    assert.equal(await saved(), at(11));
    assert.equal((await conversations.get('conv-1'))?.reference.serviceUrl, 'https://smba.example/emea/');
  });
});
