import assert from 'node:assert/strict';
import sinon from 'sinon';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';
import { cancelCase, claimCase, openCase, ratepayerActor, type Case } from '../../bot/domain/case.js';
import type { StoredConversation } from '../../bot/platform/ports/conversationStore.js';
import { ConversationCases } from '../../bot/ratepayers/conversationCases.js';
import { freshDatabase } from '../support/cosmos.js';

const ratepayer = { userId: 'u1', displayName: 'Lerato', conversationId: 'conv-1', channelId: 'msteams' };

function conversation(at: Date, serviceUrl = 'https://smba.example/za/'): StoredConversation {
  return { id: 'conv-1', channelId: 'msteams', kind: 'personal', reference: { serviceUrl, conversation: { id: 'conv-1' } }, updatedAt: at.toISOString() };
}

function aCase(reference: string, at: Date, conversationId = 'conv-1'): Case {
  return openCase({
    reference, programmeId: 'joburg', category: 'billing', sessionId: 's', draftId: `d-${reference}`,
    ratepayer: { ...ratepayer, conversationId }, intake: { accountNumber: '123456789', description: 'Bill too high' }, now: at,
  });
}

describe("A conversation's cases, from the cases noted on it", () => {
  const sandbox = sinon.createSandbox();
  let cases: CosmosCaseStore;
  let conversations: CosmosConversationStore;
  let now: Date;
  let conversationCases: ConversationCases;

  beforeEach(async () => {
    const db = await freshDatabase();
    cases = new CosmosCaseStore(db.cases);
    conversations = new CosmosConversationStore(db.conversations);
    now = new Date('2022-08-01T15:30:00Z');
    conversationCases = new ConversationCases(conversations, cases, { now: () => now });
  });

  afterEach(() => sandbox.restore());

  it('finds the open cases by reading them, never by a query, oldest in the queue first', async () => {
    const queries = sandbox.spy(cases, 'listForConversation');
    assert.deepEqual(await conversationCases.openCasesOf('conv-1'), [], 'a conversation never seen');
    for (const [reference, minute] of [['LATER2', 5], ['FIRST2', 1]] as const) {
      await conversationCases.opening(conversation(now), reference);
      await cases.create(aCase(reference, new Date(now.getTime() + minute * 60_000)));
    }
    assert.deepEqual((await conversationCases.openCasesOf('conv-1')).map((c) => c.id), ['FIRST2', 'LATER2']);
    assert.equal(queries.callCount, 0);
  });

  it('forgets closed cases, and cases noted but never saved once they are ten minutes old', async () => {
    const waiting = aCase('WAIT23', now);
    const claimed = claimCase(aCase('TALK23', now), now, { id: 'thandi', name: 'Thandi' });
    const gone = cancelCase(aCase('GONE23', now), now, ratepayerActor(ratepayer), 365);
    for (const c of [waiting, claimed, gone]) {
      await conversationCases.opening(conversation(now), c.id);
      await cases.create(c);
    }
    await conversationCases.opening(conversation(now), 'NEVER2');
    assert.deepEqual((await conversationCases.openCasesOf('conv-1')).map((c) => c.id).sort(), ['TALK23', 'WAIT23']);
    assert.deepEqual((await conversations.get('conv-1'))?.openedCases?.map((n) => n.id), ['WAIT23', 'TALK23', 'NEVER2'], 'the cancelled one forgotten; the unsaved one may still be saving');
    now = new Date(now.getTime() + 11 * 60_000);
    await conversationCases.openCasesOf('conv-1');
    assert.deepEqual((await conversations.get('conv-1'))?.openedCases?.map((n) => n.id), ['WAIT23', 'TALK23']);
  });

  it("ignores another conversation's case that holds a noted reference (a clash), and forgets it", async () => {
    await conversationCases.opening(conversation(now), 'CLASH2');
    await cases.create(aCase('CLASH2', now, 'conv-someone-else'));
    assert.deepEqual(await conversationCases.openCasesOf('conv-1'), []);
    assert.deepEqual((await conversations.get('conv-1'))?.openedCases, []);
  });

  it('keeps the noted cases when the reference is saved again (the bot added again, Teams moving the chat)', async () => {
    await conversationCases.opening(conversation(now), 'KEEP23');
    await cases.create(aCase('KEEP23', now));
    await conversations.save(conversation(new Date(now.getTime() + 60_000), 'https://smba.example/emea/'));
    const saved = await conversations.get('conv-1');
    assert.equal(saved?.reference.serviceUrl, 'https://smba.example/emea/');
    assert.deepEqual((await conversationCases.openCasesOf('conv-1')).map((c) => c.id), ['KEEP23']);
  });

  it('notes cases from two instances at once without losing either', async () => {
    const other = new ConversationCases(new CosmosConversationStore((conversations as unknown as { container: never }).container), cases, { now: () => now });
    await Promise.all([conversationCases.opening(conversation(now), 'ONE234'), other.opening(conversation(now), 'TWO234')]);
    await Promise.all([cases.create(aCase('ONE234', now)), cases.create(aCase('TWO234', now))]);
    assert.deepEqual((await conversationCases.openCasesOf('conv-1')).map((c) => c.id).sort(), ['ONE234', 'TWO234']);
  });
});
