/**
 * The domain's case carries no storage fields: the Cosmos adapter adds the document's `type` and
 * computes `ttl` from the lifecycle's retention decision, and drops both (and Cosmos DB's own
 * fields) again when it reads.
 */
import assert from 'node:assert/strict';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { cancelCase, openCase, ratepayerActor } from '../../bot/domain/case.js';
import { freshDatabase } from '../support/cosmos.js';

const ratepayer = { userId: 'u1', displayName: 'Lerato', conversationId: 'conv-1', channelId: 'msteams' };

describe('case documents: the Cosmos adapter maps the storage fields', () => {
  it('writes type and a ttl from the retention decision, and reads back a case with neither', async () => {
    const db = await freshDatabase();
    const store = new CosmosCaseStore(db.cases);
    const now = new Date(Date.UTC(2022, 7, 1, 15, 0));
    const opened = openCase({
      reference: 'ABC234',
      programmeId: 'joburg',
      category: 'billing',
      sessionId: '2022-08-01T17:00',
      draftId: 'draft-1',
      ratepayer,
      intake: { accountNumber: '123456789' },
      now,
    });
    const storageFields = ['type', 'ttl', '_etag', '_rid', '_self', '_ts', '_attachments'];
    assert.deepEqual(storageFields.filter((f) => f in opened), [], 'a new case has no storage fields');
    const created = await store.create(opened);
    assert.ok(created.created);
    const raw = async () => (await db.cases.item('ABC234', 'ABC234').read<Record<string, unknown>>()).resource!;
    assert.equal((await raw()).type, 'case');
    assert.equal((await raw()).ttl, undefined, 'open: no expiry');

    const cancelled = cancelCase(created.case, now, ratepayerActor(ratepayer), 30);
    assert.equal(cancelled.retentionDays, 30, 'the lifecycle decides the retention in days');
    assert.deepEqual(storageFields.filter((f) => f in cancelled), []);
    await store.replace({ ...cancelled, etag: created.case.etag });
    assert.equal((await raw()).ttl, 30 * 86_400, 'the adapter writes it as ttl in seconds');
    assert.equal((await raw()).type, 'case');
    assert.equal('retentionDays' in (await raw()), false, 'the document keeps its shape');

    const read = (await store.get('ABC234'))!;
    assert.deepEqual(storageFields.filter((f) => f in read), [], 'read back without storage fields');
    assert.equal(read.retentionDays, 30);
    assert.ok(read.etag, 'the version that guards the next write');
    const [listed] = await store.listForConversation('conv-1', 5);
    assert.deepEqual(storageFields.filter((f) => f in listed!), []);
  });
});
