/**
 * What the back office's referral page gives the clerk (tester 7, findings 1 and 7), over real HTTP
 * with the embedded Cosmos DB: a billing case is transferred by Thandi to the indigent queue with
 * the required note, the ratepayer's ID number, household and income are added, and Priya refers
 * it. The back office then reads the ratepayer's details (the ID number masked to its last four,
 * the full number nowhere in the answer), who referred it and why, and the transfer note; the audit
 * trail names categories and fields in staff's words. Only the referral's own team gets it: an
 * expert (even one who handled the case), another team, and a case that was never referred are
 * refused without a detail.
 */
import assert from 'node:assert/strict';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { addAskedDetails } from '../../bot/domain/case.js';
import { changeCase } from '../../bot/platform/flow/caseChanges.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import type { RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, signInAll, startTestService, type ApiClient } from '../support/tabApi.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';

const NOTE = 'Ratepayer says he is unemployed; check the indigent register.';
const ID_NUMBER = '8001015009087';

/** The pilot, with Zanele on the revenue back office only and Pieter on meter reading only. */
function definition(): ServiceDefinition {
  const def = definitionWithAgents();
  return {
    ...def,
    staff: [
      ...def.staff.filter((s) => s.id !== 'zanele'),
      { id: 'zanele', name: 'Zanele Khumalo', email: 'zanele@joburg.example', role: 'agent', skills: [], regions: [], backOfficeTeams: ['revenue-back-office'] },
      { id: 'pieter', name: 'Pieter Botha', email: 'pieter@joburg.example', role: 'agent', skills: [], regions: [], backOfficeTeams: ['meter-reading'] },
    ],
  };
}

describe("the back office's referral page: the ratepayer's details, the handover note, and who may read them", function () {
  this.timeout(40_000);
  let service: RunningService;
  let db: CosmosContainers;
  let thandi: ApiClient;
  let priya: ApiClient;
  let zanele: ApiClient;
  let pieter: ApiClient;
  let referred: string;
  let unrelated: string;

  before(async () => {
    db = await freshDatabase();
    service = await startTestService(db, definition(), { scheduler: { start: false } });
    [thandi, priya, zanele, pieter] = await signInAll(service, ['thandi', 'priya', 'zanele', 'pieter'] as const);
    const store = new CosmosCaseStore(db.cases);

    referred = (await seedCase(db, service.definition, 'billing')).id;
    assert.equal((await thandi.post(`/api/cases/${referred}/claim`)).status, 200);
    const moved = await thandi.post(`/api/cases/${referred}/transfer`, { toCategory: 'indigent', note: NOTE });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    // The ratepayer answers the details the indigent queue asks for (their card is tested in
    // tests/browser/transferDetails.test.ts); here straight through the lifecycle.
    // Read-decide-write with its retry: the transfer's own listeners may still be writing the case
    // (the wait told with the transfer is recorded as the new baseline).
    const answered = await changeCase(store, referred, (asked) =>
      addAskedDetails(asked, new Date(), { kind: 'ratepayer', id: asked.ratepayer.userId, name: 'Lerato M' }, { idNumber: ID_NUMBER, householdSize: 5, monthlyHouseholdIncome: 2800 }),
    );
    assert.equal(answered.kind, 'saved');
    assert.equal((await priya.post(`/api/cases/${referred}/claim`)).status, 200);
    const resolved = await priya.post(`/api/cases/${referred}/resolve`, { outcome: 'referred_back_office', summary: 'Qualifies on income; register for ESP and credit March.' });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));

    unrelated = (await seedCase(db, service.definition, 'indigent')).id;
  });

  after(async () => {
    await service?.close();
  });

  it("gives the referral's team the ratepayer's details (ID masked), who referred it and the transfer note; the audit trail in words", async () => {
    const page = await zanele.get(`/api/back-office/referrals/${referred}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    const intake = Object.fromEntries(page.body.intake.map((l: any) => [l.name, l]));
    assert.deepEqual(
      // Amounts as statements show them, with a no-break space between thousands.
      Object.fromEntries(Object.entries(intake).map(([name, l]: [string, any]) => [name, l.value.replace(/\s/gu, ' ')])),
      {
        accountNumber: '501234567',
        accountHolder: 'Lerato Molefe',
        mobile: '082 123 4567',
        idNumber: '•••••••••9087',
        householdSize: '5',
        monthlyHouseholdIncome: 'R2 800.00',
        description: 'My bill doubled in March.',
      },
    );
    assert.equal(intake.idNumber.masked, true);
    assert.equal(intake.idNumber.label, 'South African ID number');
    assert.ok(!JSON.stringify(page.body).includes(ID_NUMBER), 'the full ID number never leaves the service');
    assert.equal(page.body.assignedTo.name, 'Priya Naidoo', 'who referred it');
    assert.equal(page.body.outcome.summary, 'Qualifies on income; register for ESP and credit March.');

    assert.deepEqual(
      page.body.handoverNotes.map((n: any) => [n.kind, n.by.name, n.fromCategoryName, n.toCategoryName, n.note]),
      [['transferred', 'Thandi Mokoena', 'Account and billing queries', 'Indigent-related queries and registration (ESP)', NOTE]],
    );
    const shown = (action: string) => page.body.audit.find((e: any) => e.action === action);
    assert.equal(shown('opened').detailShown, 'queued in Account and billing queries');
    assert.equal(shown('transferred').detail, `from billing to indigent: ${NOTE}`, 'the stored detail keeps its codes');
    assert.equal(shown('transferred').detailShown, `from Account and billing queries to Indigent-related queries and registration (ESP): ${NOTE}`);
    assert.equal(shown('details asked').detailShown, 'South African ID number, Household size, Monthly household income');
    assert.equal(shown('details added').detailShown, 'South African ID number, Household size, Monthly household income');
    assert.equal(shown('resolved').detailShown, 'Referred to the back office');

    // The expert's own case page carries the note too.
    const expertPage = await priya.get(`/api/cases/${referred}`);
    assert.equal(expertPage.status, 200);
    assert.deepEqual(expertPage.body.handoverNotes.map((n: any) => n.note), [NOTE]);
  });

  it('refuses an expert (even one who handled the case), another team and a case never referred, without a detail', async () => {
    const refusals = [
      [await thandi.get(`/api/back-office/referrals/${referred}`), 403, 'not_back_office'],
      [await priya.get(`/api/back-office/referrals/${referred}`), 403, 'not_back_office'],
      [await pieter.get(`/api/back-office/referrals/${referred}`), 403, 'other_team'],
      [await zanele.get(`/api/back-office/referrals/${unrelated}`), 404, undefined],
      // The back office has no queue: the experts' case page of a case in a queue is not theirs.
      [await zanele.get(`/api/cases/${unrelated}`), 403, 'outside_skills'],
    ] as const;
    for (const [res, status, reason] of refusals) {
      assert.equal(res.status, status, JSON.stringify(res.body));
      if (reason) assert.equal(res.body.reason, reason);
      const body = JSON.stringify(res.body);
      for (const secret of ['501234567', 'Lerato', '9087', 'unemployed']) assert.ok(!body.includes(secret), `no ${secret} in ${body}`);
    }
  });
});
