/**
 * The back office hears what happens to its referrals (tester 11, finding 9): a supervisor or a
 * colleague who finishes, extends or updates a referral is a live event (`case.updated` with the
 * referral's `team`) on the stream of every member of that team, so the referral's page open in
 * their tab can show it; a member of another team hears nothing of it. Over real HTTP, on the
 * embedded Cosmos DB.
 */
import assert from 'node:assert/strict';
import { claimCase, resolveCase } from '../../bot/domain/case.js';
import { referralFor } from '../../bot/domain/followThrough.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, EventReader, seedCase, signInAll, startTestService } from '../support/tabApi.js';

describe("the back office's live events (tester 11, finding 9)", function () {
  this.timeout(60_000);
  const pilot = definitionWithAgents();
  // Pieter works only meter reading; the billing referral below is the revenue back office's (Zanele's).
  const definition: ServiceDefinition = {
    ...pilot,
    staff: [...pilot.staff, { id: 'pieter', name: 'Pieter Botha', email: 'pieter@joburg.example', role: 'agent', skills: [], regions: [], backOfficeTeams: ['meter-reading'] }],
  };
  let service: RunningService;
  let db: CosmosContainers;
  const readers: EventReader[] = [];

  before(async () => {
    db = await freshDatabase();
    service = await startTestService(db, definition, { scheduler: { start: false } });
  });
  after(async () => {
    readers.forEach((r) => r.close());
    await service?.close();
  });

  it("tells the referral's team when someone else gives it more time or finishes it, and no other team", async () => {
    const store = new CosmosCaseStore(db.cases);
    const c = await seedCase(db, definition, 'billing');
    const stored = (await store.get(c.id))!;
    const at = new Date(Date.now() - 60_000);
    const thandi = { id: 'thandi', name: 'Thandi Mokoena' };
    const referred = resolveCase(claimCase(stored, at, thandi), at, { kind: 'staff', ...thandi }, { kind: 'referred_back_office', summary: 'Refund check' }, 365, false, referralFor(definition, 'billing', at));
    await store.replace({ ...referred, etag: stored.etag });

    const [zanele, pieter, johan] = await signInAll(service, ['zanele', 'pieter', 'johan'] as const);
    const zaneleHears = await EventReader.open(zanele);
    const pieterHears = await EventReader.open(pieter);
    readers.push(zaneleHears, pieterHears);

    const later = new Date(Date.parse(referred.referral!.dueDate) + 5 * 86_400_000).toISOString().slice(0, 10);
    assert.equal((await johan.post(`/api/back-office/referrals/${c.id}/more-time`, { dueDate: later, reason: 'The refund needs approval.' })).status, 200);
    const moved = await zaneleHears.waitFor((e) => e.data?.reference === c.id && e.data?.kind === 'case.updated');
    assert.equal(moved.data.team, 'revenue-back-office');
    assert.deepEqual(moved.data.by, { kind: 'staff', id: 'johan', name: 'Johan van der Merwe', role: 'supervisor' });

    assert.equal((await johan.post(`/api/back-office/referrals/${c.id}/done`, { outcome: 'not_resolved', summary: 'We could not find an error on the account.' })).status, 200);
    await zaneleHears.waitFor((e) => e.data?.reference === c.id && e.data?.kind === 'case.updated' && e.data.version !== moved.data.version);
    assert.doesNotMatch(JSON.stringify(zaneleHears.queueEvents), /could not find an error|Refund check|Lerato|501234567/, 'no words of the case in events');
    // The other team's member: nothing of this case (the stream delivers in order; give it a moment).
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(pieterHears.queueEvents.filter((e) => e.reference === c.id), [], "Pieter's team is not this referral's");
  });
});
