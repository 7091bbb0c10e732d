/**
 * Claim-next over the tab API with the ratepayer's language (issue 16): a case in isiZulu is left
 * for a free isiZulu-speaking agent (present: their tab's live stream is open), and taken by
 * whoever is next once it has waited its category's limit. Real HTTP, the embedded Cosmos DB.
 */
import assert from 'node:assert/strict';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, EventReader, seedCase, signIn, startTestService } from '../support/tabApi.js';

/** The pilot's staff, Sipho (billing and rates) speaking isiZulu. */
function definition(): ServiceDefinition {
  const def = definitionWithAgents(1);
  return { ...def, staff: def.staff.map((s) => (s.id === 'sipho' ? { ...s, languages: ['zu' as const] } : s)) };
}

describe('claim-next prefers an agent who speaks the ratepayer\'s language (issue 16)', function () {
  this.timeout(30_000);
  let service: RunningService;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let readers: EventReader[];
  let now: Date;

  beforeEach(async () => {
    now = new Date();
    db = await freshDatabase();
    service = await startTestService(db, definition(), { clock: { now: () => now } });
    readers = [];
  });
  afterEach(async () => {
    for (const r of readers) r.close();
    await service.close();
  });

  /**
   * Opens the person's live stream (their tab: present) and waits until the presence is stored:
   * the stream answers before its presence write lands, and a claim in between would not see them.
   * Then the clock moves past the duty roster's 5 s cache of who is present, which an earlier
   * request (a sign-in, the queue) may have filled before they were.
   */
  async function present(client: Awaited<ReturnType<typeof signIn>>, id: string): Promise<void> {
    readers.push(await EventReader.open(client));
    const until = Date.now() + 10_000;
    while (!(await db.presence.item(id, id).read()).resource) {
      if (Date.now() > until) assert.fail(`${id} never became present`);
      await new Promise((r) => setTimeout(r, 25));
    }
    now = new Date(now.getTime() + 6_000);
  }

  async function seed(minutesAgo: number, language?: 'zu') {
    const c = await seedCase(db, definition(), 'billing', { minutesAgo });
    if (!language) return c.id;
    const store = new CosmosCaseStore(db.cases);
    await store.replace({ ...(await store.get(c.id))!, language });
    return c.id;
  }

  it('leaves the isiZulu case for Sipho while he is free; once it has waited billing\'s limit, the next agent takes it', async () => {
    const zulu = await seed(10, 'zu');
    const english = await seed(2);
    await seed(1);
    const sipho = await signIn(service, 'sipho');
    await present(sipho, 'sipho');
    const thandi = await signIn(service, 'thandi');
    const claimed = await thandi.post('/api/queue/claim-next');
    assert.equal(claimed.status, 200);
    assert.equal(claimed.body.reference, english, 'the isiZulu case (older) is left for Sipho');
    // Eleven minutes on, the isiZulu case has waited 21 minutes (billing's limit is 20): not held any more.
    now = new Date(now.getTime() + 11 * 60_000);
    readers.push(await EventReader.open(sipho));
    const agent01 = await signIn(service, 'agent01');
    assert.equal((await agent01.post('/api/queue/claim-next')).body.reference, zulu);
  });

  it('holds nothing for a speaker who is busy: the oldest case goes first', async () => {
    const zulu = await seed(10, 'zu');
    const english = await seed(2);
    const other = await seed(1);
    const sipho = await signIn(service, 'sipho');
    await present(sipho, 'sipho');
    const thandi = await signIn(service, 'thandi');
    assert.equal((await thandi.post('/api/queue/claim-next')).body.reference, english, 'Sipho is free: left for him');
    assert.equal((await sipho.post(`/api/cases/${other}/claim`)).status, 200);
    const agent01 = await signIn(service, 'agent01');
    assert.equal((await agent01.post('/api/queue/claim-next')).body.reference, zulu, 'Sipho is busy now');
  });
});
