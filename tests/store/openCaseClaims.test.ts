/**
 * Open-case claims on the embedded Cosmos server (issue 17): creating the claim is the check, so
 * of claims made at the same moment exactly one wins; take-over and release are conditional.
 */
import assert from 'node:assert/strict';
import { CosmosOpenCaseClaims, openCaseClaimId } from '../../bot/platform/cosmos/openCaseClaimStore.js';
import { freshDatabase } from '../support/cosmos.js';

describe('Open-case claims in Cosmos', () => {
  const key = { programmeId: 'pilot', category: 'billing', mobile: '+27821234567' };

  it('of ten claims at the same moment for one number and category, exactly one wins; all see the same holder', async () => {
    const db = await freshDatabase();
    const claims = new CosmosOpenCaseClaims(db.leases);
    const now = new Date('2026-03-02T08:00:00Z');
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => claims.claim(key, `draft-${i}`, now)));
    const winners = results.filter((r) => r.claimed);
    assert.equal(winners.length, 1);
    const holders = new Set(results.flatMap((r) => (r.claimed ? [] : [r.current.holder])));
    assert.equal(holders.size, 1);
    assert.match([...holders][0]!, /^draft-\d$/);
    // Another category, or another number, is another claim.
    assert.equal((await claims.claim({ ...key, category: 'rates' }, 'draft-x', now)).claimed, true);
    assert.equal((await claims.claim({ ...key, mobile: '+27821234568' }, 'draft-y', now)).claimed, true);
  });

  it('the id carries no mobile number; release by another holder does nothing, by the holder frees it', async () => {
    const db = await freshDatabase();
    const claims = new CosmosOpenCaseClaims(db.leases);
    assert.doesNotMatch(openCaseClaimId(key), /821234567/);
    assert.match(openCaseClaimId(key), /^open-case:[0-9a-f]{64}$/);
    const now = new Date('2026-03-02T08:00:00Z');
    await claims.claim(key, 'd1', now);
    await claims.release(key, 'd2');
    assert.equal((await claims.claim(key, 'd3', now)).claimed, false);
    await claims.release(key, 'd1');
    assert.equal((await claims.claim(key, 'd3', now)).claimed, true);
  });

  it('two take-overs of the same claim at the same moment: one succeeds', async () => {
    const db = await freshDatabase();
    const claims = new CosmosOpenCaseClaims(db.leases);
    await claims.claim(key, 'old', new Date('2026-03-02T08:00:00Z'));
    const seen = await claims.claim(key, 'a', new Date('2026-03-02T09:00:00Z'));
    assert.ok(!seen.claimed);
    const later = new Date('2026-03-02T09:00:00Z');
    const results = await Promise.all([claims.takeOver(key, 'a', later, seen.current), claims.takeOver(key, 'b', later, seen.current)]);
    assert.deepEqual(results.filter(Boolean).length, 1);
    const now = await claims.claim(key, 'c', later);
    assert.ok(!now.claimed && ['a', 'b'].includes(now.current.holder));
  });
});
