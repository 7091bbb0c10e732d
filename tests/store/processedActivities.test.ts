/**
 * The processed-activity record against the embedded server, which has no TTL: a record older
 * than a day counts as absent (so the activity would be processed again) and the sweep deletes it;
 * newer ones stay.
 */
import assert from 'node:assert/strict';
import { CosmosProcessedActivities } from '../../bot/platform/cosmos/processedActivities.js';
import { freshDatabase } from '../support/cosmos.js';

describe('store: processed activities', () => {
  it('remembers an activity for a day, per conversation, then forgets it and the sweep deletes it', async () => {
    const db = await freshDatabase();
    const record = new CosmosProcessedActivities(db.processedActivities);
    const t0 = new Date('2026-11-30T08:00:00Z');
    const hours = (h: number) => new Date(t0.getTime() + h * 3_600_000);
    assert.equal(await record.wasProcessed('a:chat-1', 'activity-1', t0), false);
    await record.markProcessed('a:chat-1', 'activity-1', t0);
    await record.markProcessed('a:chat-1', 'activity-2', hours(20));
    assert.equal(await record.wasProcessed('a:chat-1', 'activity-1', hours(23)), true);
    assert.equal(await record.wasProcessed('a:chat-2', 'activity-1', hours(1)), false, 'the same activity id in another conversation is another activity');
    assert.equal(await record.wasProcessed('a:chat-1', 'activity-1', hours(25)), false, 'past a day it counts as absent');
    assert.equal(await record.removeBefore(hours(1), 100), 1);
    assert.equal(await record.wasProcessed('a:chat-1', 'activity-2', hours(21)), true, 'newer records stay');
    const { resources } = await db.processedActivities.items.query('SELECT * FROM c').fetchAll();
    assert.equal(resources.length, 1);
    assert.doesNotMatch(JSON.stringify(resources), /chat-1/, 'no conversation id is stored');
  });
});
