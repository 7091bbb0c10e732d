/**
 * Issue 20, the hand-over: the open disputes for the City's billing system, per account with a
 * credit-control hold flag, as JSON and CSV, for supervisors only (real HTTP, embedded Cosmos DB).
 */
import assert from 'node:assert/strict';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import type { RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { ManualClock } from '../support/manualClock.js';
import { definitionWithAgents, seedCase, signInAll, startTestService, type ApiClient } from '../support/tabApi.js';

const definition = definitionWithAgents(0);

describe('the hand-over of open disputes (issue 20)', () => {
  let db: CosmosContainers;
  let service: RunningService;
  let clock: ManualClock;
  let thandi: ApiClient;
  let anele: ApiClient;
  let johan: ApiClient;

  beforeEach(async () => {
    db = await freshDatabase();
    clock = new ManualClock(new Date('2022-08-01T16:30:00Z'));
    service = await startTestService(db, definition, { clock, scheduler: { start: false } });
    [thandi, anele, johan] = await signInAll(service, ['thandi', 'anele', 'johan'] as const);
  });
  afterEach(() => service.close());

  async function lodged(expert: ApiClient, category: string, accountNumber: string, amountCents: number): Promise<string> {
    const c = await seedCase(db, definition, category, { intake: { accountNumber, accountHolder: 'Lerato Molefe', mobile: '+27821234567', description: 'Disputed =1+1' } });
    assert.equal((await expert.post(`/api/cases/${c.id}/claim`)).status, 200);
    const res = await expert.post(`/api/cases/${c.id}/dispute`, { statementDate: '2022-07-25', statementTotalCents: amountCents + 50_000, items: [{ amountCents, reason: 'Estimated reading' }], keepPayingCents: 50_000, keepPayingBasis: 'undisputed' });
    assert.equal(res.status, 200);
    return c.id;
  }

  it('lists every open dispute per account with the hold flag and the disputed total; flags overdue investigations', async () => {
    const first = await lodged(thandi, 'billing', '501234567', 150_000);
    clock.advance(24 * 60 * 60_000);
    // Tokens last an hour on the service's clock: sign in again a day later.
    [thandi, anele, johan] = await signInAll(service, ['thandi', 'anele', 'johan'] as const);
    const second = await lodged(anele, 'metering', '501234567', 25_050);
    const other = await lodged(thandi, 'billing', '409876543', 99_999);
    await seedCase(db, definition, 'billing', { intake: { accountNumber: '501111111' } });

    const res = await johan.get('/api/supervisor/disputes');
    assert.equal(res.status, 200);
    assert.equal(res.body.today, '2022-08-02');
    assert.deepEqual(
      res.body.accounts.map((a: any) => [a.accountNumber, a.creditControlHold, a.disputedCents, a.disputes.map((d: any) => d.reference)]),
      [
        ['501234567', true, 175_050, [`${first}-D1`, `${second}-D1`]],
        ['409876543', true, 99_999, [`${other}-D1`]],
      ],
    );
    assert.deepEqual(res.body.accounts[0].disputes[0], {
      reference: `${first}-D1`,
      caseReference: first,
      category: 'billing',
      statementDate: '2022-07-25',
      totalCents: 150_000,
      keepPayingCents: 50_000,
      lodgedOn: '2022-08-01',
      investigationDueOn: '2022-08-15',
      appealFrom: '2022-10-30',
      overdue: false,
    });
    assert.doesNotMatch(JSON.stringify(res.body), /Lerato|821234567/, 'account numbers and dispute facts only');

    // Tuesday 16 August: the first dispute's 14 days have passed.
    clock.set('2022-08-16T08:00:00Z');
    [johan] = await signInAll(service, ['johan'] as const);
    const later = await johan.get('/api/supervisor/disputes');
    assert.deepEqual(later.body.accounts.flatMap((a: any) => a.disputes.map((d: any) => d.overdue)), [true, false, false]);
  });

  it('gives the same as CSV, amounts in rands, for supervisors only', async () => {
    const first = await lodged(thandi, 'billing', '501234567', 150_000);
    const csv = await johan.get('/api/supervisor/disputes.csv');
    assert.equal(csv.status, 200);
    const lines = (csv.body as string).trimEnd().split('\r\n');
    assert.equal(lines[0], 'account_number,credit_control_hold,dispute_reference,case_reference,category,statement_date,disputed_rands,keep_paying_rands,lodged_on,investigation_due_on,appeal_from,overdue');
    assert.equal(lines[1], `501234567,yes,${first.slice(0, 3)}-${first.slice(3)}-D1,${first.slice(0, 3)}-${first.slice(3)},billing,2022-07-25,1500.00,500.00,2022-08-01,2022-08-15,2022-10-30,no`);
    assert.equal(lines.length, 2);
    for (const path of ['/api/supervisor/disputes', '/api/supervisor/disputes.csv']) {
      const refused = await thandi.get(path);
      assert.equal(refused.status, 403, path);
      assert.equal(refused.body.error, 'supervisors_only');
      assert.equal((await fetch(`${service.url}${path}`)).status, 401, path);
    }
  });
});
