import assert from 'node:assert/strict';
import sinon from 'sinon';
import { loadDefinition } from '../../bot/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/config/settings.js';
import { CosmosCaseStore } from '../../bot/cosmos/caseStore.js';
import { claimCase, openCase, resolveCase } from '../../bot/domain/case.js';
import { DefinitionDutyRoster } from '../../bot/services/dutyRoster.js';
import { HANDLING_TIMES_REUSE_MS, QueueService } from '../../bot/services/queue.js';
import { freshDatabase } from '../support/cosmos.js';

const definition = loadDefinition(LOCAL_DEFINITION);
const ratepayer = { userId: 'u1', displayName: 'Lerato', conversationId: 'conv-1', channelId: 'msteams' };
const agent = { kind: 'staff' as const, id: 'thandi', name: 'Thandi Mokoena' };

describe('Wait estimates from recent handling times', () => {
  const sandbox = sinon.createSandbox();
  let store: CosmosCaseStore;
  let now: Date;
  let queue: QueueService;

  beforeEach(async () => {
    store = new CosmosCaseStore((await freshDatabase()).cases);
    now = new Date('2022-08-01T15:30:00Z');
    queue = new QueueService(definition, store, new DefinitionDutyRoster(definition), { now: () => now });
  });

  afterEach(() => sandbox.restore());

  /** A billing case resolved after `minutes` with an expert. */
  async function resolved(reference: string, minutes: number) {
    const opened = openCase({
      reference, programmeId: definition.programme.id, category: 'billing', sessionId: 's', draftId: `d-${reference}`,
      ratepayer, intake: { accountNumber: '123456789', description: 'Bill too high' }, now: new Date(now.getTime() - 60 * 60_000),
    });
    const claimed = claimCase(opened, new Date(now.getTime() - (minutes + 1) * 60_000), agent);
    await store.create(resolveCase(claimed, new Date(now.getTime() - 60_000), agent, { kind: 'resolved', summary: 'Explained' }, 365));
  }

  it('reads them once per category per half minute, and sees new resolutions after that', async () => {
    const reads = sandbox.spy(store, 'recentHandlingMinutes');
    const waiting = { programmeId: definition.programme.id, category: 'billing', queueKey: '2099', region: undefined };
    const first = await Promise.all([queue.placeOf(waiting), queue.placeOf(waiting)]);
    assert.equal(reads.callCount, 1, 'two places at once share one read');
    assert.equal(first[0].basis, 'default', 'no history yet');
    for (let i = 0; i < 5; i++) await resolved(`RES${i}AB`, 30);
    now = new Date(now.getTime() + HANDLING_TIMES_REUSE_MS - 1000);
    assert.equal((await queue.placeOf(waiting)).basis, 'default', 'still the earlier reading');
    assert.equal(reads.callCount, 1);
    now = new Date(now.getTime() + 1000);
    const later = await queue.placeOf(waiting);
    assert.equal(reads.callCount, 2);
    assert.equal(later.basis, 'history');
  });
});
