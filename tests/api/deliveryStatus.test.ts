import assert from 'node:assert/strict';
import { OUTAGE_BUDGET_MS } from '../../bot/platform/teams/proactiveMessenger.js';
import { deliveryStatus, UNCONFIRMED_AFTER_MS } from '../../tab/src/format.js';

describe("The tab's view of a message's delivery", () => {
  const sentAt = '2022-08-01T15:30:00.000Z';
  const after = (ms: number) => Date.parse(sentAt) + ms;

  it('says "sending" while the bot may still be retrying, and "unconfirmed" once it cannot be', () => {
    assert.ok(UNCONFIRMED_AFTER_MS > OUTAGE_BUDGET_MS, 'never before the messenger has given up retrying');
    for (const from of ['expert', 'system'] as const) {
      assert.equal(deliveryStatus({ from, at: sentAt }, after(5_000)), 'sending');
      assert.equal(deliveryStatus({ from, at: sentAt }, after(OUTAGE_BUDGET_MS)), 'sending');
      assert.equal(deliveryStatus({ from, at: sentAt }, after(UNCONFIRMED_AFTER_MS + 1)), 'unconfirmed');
    }
  });

  it('shows a recorded outcome whatever its age, and nothing for the ratepayer\'s own messages', () => {
    const delivered = { status: 'delivered' as const, at: sentAt };
    const failed = { status: 'failed' as const, at: sentAt, reason: 'The ratepayer has left the chat' };
    assert.equal(deliveryStatus({ from: 'expert', at: sentAt, delivery: delivered }, after(60 * 60_000)), 'delivered');
    assert.equal(deliveryStatus({ from: 'system', at: sentAt, delivery: failed }, after(1000)), 'failed');
    assert.equal(deliveryStatus({ from: 'ratepayer', at: sentAt }, after(60 * 60_000)), undefined);
  });
});
