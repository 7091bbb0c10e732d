/**
 * The City's rules on the tab API (issue 20), over real HTTP against the embedded Cosmos DB:
 * lodge a dispute, record an arrangement and an ESP registration, each through the case
 * lifecycle with its audit trail, role-checked, with field-wise errors that save nothing.
 */
import assert from 'node:assert/strict';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import type { RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { ManualClock } from '../support/manualClock.js';
import { definitionWithAgents, seedCase, signInAll, startTestService, type ApiClient } from '../support/tabApi.js';

const definition = definitionWithAgents(0);
const pilotDocuments = definition.rules.esp.documents.map((d) => d.name);
/** A reference as people read it ("K7M-3PQ"). */
const shown = (id: string) => `${id.slice(0, 3)}-${id.slice(3)}`;

const dispute = {
  statementDate: '2022-07-25',
  items: [
    { amountCents: 150_000, reason: 'Water charged on an estimate', meter: { billed: 4120, own: 3890, estimated: true } },
    { amountCents: 25_050, reason: 'Refuse charged twice' },
  ],
  keepPayingCents: 85_000,
  keepPayingBasis: 'average',
};

describe('tab API: the City\'s rules on a case (issue 20)', () => {
  let db: CosmosContainers;
  let service: RunningService;
  let clock: ManualClock;
  let thandi: ApiClient; // billing, credit-control
  let anele: ApiClient; // metering
  let priya: ApiClient; // indigent, credit-control
  let johan: ApiClient; // supervisor

  beforeEach(async () => {
    db = await freshDatabase();
    // Monday 1 August 2022, 18:30 in Johannesburg: the pilot's first evening.
    clock = new ManualClock(new Date('2022-08-01T16:30:00Z'));
    service = await startTestService(db, definition, { clock });
    [thandi, anele, priya, johan] = await signInAll(service, ['thandi', 'anele', 'priya', 'johan'] as const);
  });
  afterEach(() => service.close());

  it('lodges a dispute with its own reference, total, amount to keep paying, deadline and appeal date, on the audit trail', async () => {
    const c = await seedCase(db, definition, 'billing');
    await thandi.post(`/api/cases/${c.id}/claim`);
    const before = await thandi.get(`/api/cases/${c.id}`);
    assert.equal(before.body.rules.canLodgeDispute, true);
    const lodged = await thandi.post(`/api/cases/${c.id}/dispute`, dispute);
    assert.equal(lodged.status, 200, JSON.stringify(lodged.body));
    const d = lodged.body.rules.dispute;
    assert.equal(d.reference, `${c.id}-D1`);
    assert.equal(d.totalCents, 175_050);
    assert.equal(d.keepPayingCents, 85_000);
    assert.equal(d.lodgedOn, '2022-08-01');
    assert.equal(d.investigationDueOn, '2022-08-15');
    assert.equal(d.appealFrom, '2022-10-30');
    assert.equal(lodged.body.rules.canLodgeDispute, false);
    const stored = await new CosmosCaseStore(db.cases).get(c.id);
    const entry = stored!.audit.find((e) => e.action === 'dispute lodged');
    assert.equal(entry?.by.id, 'thandi');
    assert.equal(entry?.detail, `${c.id}-D1, investigation due 2022-08-15`);
    const again = await thandi.post(`/api/cases/${c.id}/dispute`, dispute);
    assert.equal(again.status, 409);
    assert.match(again.body.message, /already lodged/);
  });

  it('refuses a dispute field by field, saving nothing; and outside the dispute categories', async () => {
    const c = await seedCase(db, definition, 'billing');
    await thandi.post(`/api/cases/${c.id}/claim`);
    const bad = await thandi.post(`/api/cases/${c.id}/dispute`, { ...dispute, statementDate: '2022-08-02', items: [{ amountCents: 0, reason: '' }] });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.problems.map((p: any) => p.field), ['statementDate', 'items[0].amountCents', 'items[0].reason']);
    // Tester 10, finding 14: a statement from 1990, and "keep paying R50 000" against a R1 000 dispute on a R1 900 statement.
    const ancient = await thandi.post(`/api/cases/${c.id}/dispute`, { ...dispute, statementDate: '1990-01-01' });
    assert.equal(ancient.status, 400);
    assert.deepEqual(ancient.body.problems.map((p: any) => p.field), ['statementDate']);
    assert.match(ancient.body.message, /statementDate is more than 36 months ago \(before 2019-08-01\): amounts billed that long ago are as a rule prescribed/);
    const tooMuch = await thandi.post(`/api/cases/${c.id}/dispute`, { statementDate: '2022-07-25', statementTotalCents: 190_000, items: [{ amountCents: 100_000, reason: 'Rates on the old value' }], keepPayingCents: 5_000_000, keepPayingBasis: 'undisputed' });
    assert.equal(tooMuch.status, 400);
    assert.match(tooMuch.body.message, /keepPayingCents is more than the statement's undisputed part \(R1\u00a0900\.00 due less R1\u00a0000\.00 disputed = R900\.00\)/);
    const typo = await thandi.post(`/api/cases/${c.id}/dispute`, { ...dispute, keepPayingCents: 850.5 });
    assert.equal(typo.status, 400);
    assert.equal(typo.body.problems[0].field, 'keepPayingCents');
    assert.equal((await new CosmosCaseStore(db.cases).get(c.id))!.dispute, undefined);
    const esp = await seedCase(db, definition, 'indigent');
    await priya.post(`/api/cases/${esp.id}/claim`);
    const elsewhere = await priya.post(`/api/cases/${esp.id}/dispute`, dispute);
    assert.equal(elsewhere.status, 400);
    assert.match(elsewhere.body.message, /Formal disputes are lodged on cases in Account and billing queries, Credit control assistance with repayment arrangements, Property rates queries, Water and electricity metering queries; transfer the case there first/);
  });

  it('lodges a dispute on a property-rates case, where the expert reads that a valuation objection is the valuation roll\'s process (tester 10, finding 4)', async () => {
    const c = await seedCase(db, definition, 'rates');
    const sipho = (await signInAll(service, ['sipho'] as const))[0];
    assert.equal((await sipho.post(`/api/cases/${c.id}/claim`)).status, 200);
    const page = await sipho.get(`/api/cases/${c.id}`);
    assert.equal(page.body.rules.canLodgeDispute, true);
    assert.match(page.body.rules.disputeNote, /An objection to the property's value itself is not a dispute: it is made to the City's valuation roll/);
    const lodged = await sipho.post(`/api/cases/${c.id}/dispute`, { ...dispute, items: [{ amountCents: 125_000, reason: 'Rates charged on the old category' }] });
    assert.equal(lodged.status, 200, JSON.stringify(lodged.body));
    assert.equal(lodged.body.category, 'rates', 'the case stays a rates case');
    assert.equal(lodged.body.rules.dispute.reference, `${c.id}-D1`);
  });

  it('only the expert on the case (or a supervisor) may act: another agent gets 403, a waiting case 409', async () => {
    const c = await seedCase(db, definition, 'metering');
    const waiting = await anele.post(`/api/cases/${c.id}/dispute`, dispute);
    assert.equal(waiting.status, 409);
    await anele.post(`/api/cases/${c.id}/claim`);
    assert.equal((await thandi.post(`/api/cases/${c.id}/dispute`, dispute)).status, 403);
    const bySupervisor = await johan.post(`/api/cases/${c.id}/dispute`, dispute);
    assert.equal(bySupervisor.status, 200);
    assert.equal(bySupervisor.body.rules.dispute.lodgedBy.staffId, 'johan');
    const anonymous = await fetch(`${service.url}/api/cases/${c.id}/dispute`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(dispute) });
    assert.equal(anonymous.status, 401);
  });

  it('hands the dispute\'s investigation to the back office with its deadline; done there settles it and the hold clears (issue 19 + 20)', async () => {
    const c = await seedCase(db, definition, 'billing', { intake: { accountNumber: '501234567' } });
    const other = await seedCase(db, definition, 'billing', { intake: { accountNumber: '409876543' } });
    for (const id of [c.id, other.id]) {
      assert.equal((await thandi.post(`/api/cases/${id}/claim`)).status, 200);
      assert.equal((await thandi.post(`/api/cases/${id}/dispute`, dispute)).status, 200);
    }
    // An open dispute is not the expert's to close: only a referral, due by the investigation deadline at the latest.
    for (const outcome of ['resolved', 'arrangement_made', 'not_resolved']) {
      const closed = await thandi.post(`/api/cases/${c.id}/resolve`, { outcome, summary: 'Explained the estimate.' });
      assert.equal(closed.status, 400, outcome);
      assert.match(closed.body.message, new RegExp(`Dispute ${shown(c.id)}-D1 is open: the back office investigates it by 2022-08-15`));
    }
    const late = await thandi.post(`/api/cases/${c.id}/resolve`, { outcome: 'referred_back_office', summary: 'To billing corrections.', dueDate: '2022-08-20' });
    assert.equal(late.status, 400);
    assert.match(late.body.message, /investigation is due on 2022-08-15/);
    for (const id of [c.id, other.id]) {
      const referred = await thandi.post(`/api/cases/${id}/resolve`, { outcome: 'referred_back_office', summary: 'The estimate is checked by billing corrections.' });
      assert.equal(referred.status, 200, JSON.stringify(referred.body));
      assert.equal(referred.body.outcome.dueDate, '2022-08-15');
    }

    const list = await johan.get('/api/back-office/referrals');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.referrals.map((r: any) => [r.reference, r.dueDate]), [[c.id, '2022-08-15'], [other.id, '2022-08-15']]);
    assert.deepEqual(list.body.referrals[0].dispute, {
      reference: `${c.id}-D1`,
      totalCents: 175_050,
      keepPayingCents: 85_000,
      investigationDueOn: '2022-08-15',
      appealFrom: '2022-10-30',
      creditControlHold: true,
    }, 'the back-office list marks a formal dispute (tester 10, finding 3)');
    const page = await johan.get(`/api/back-office/referrals/${c.id}`);
    assert.equal(page.body.referral.subject, `dispute ${c.id}-D1`);
    // No more time past the by-laws' investigation date: the ratepayer's deadline, the referral and the exports stay one day (tester 10, finding 3).
    const later = await johan.post(`/api/back-office/referrals/${c.id}/more-time`, { dueDate: '2023-01-15', reason: 'Waiting for the meter audit.' });
    assert.equal(later.status, 400, JSON.stringify(later.body));
    assert.match(later.body.message, new RegExp(`Dispute ${shown(c.id)}-D1 must be investigated and the ratepayer told the outcome in writing by Mon, 15 Aug 2022 \\(the City's by-laws\\), and the by-laws allow no extension: give Mon, 15 Aug 2022 or an earlier date, or mark the referral done`));
    const kept = await new CosmosCaseStore(db.cases).get(c.id);
    assert.deepEqual([kept!.referral!.dueDate, kept!.outcome!.dueDate, kept!.referral!.extensions.length], ['2022-08-15', '2022-08-15', 0]);
    const disputesCsv = (await johan.get('/api/supervisor/disputes.csv')).body as string;
    const casesCsv = (await johan.get('/api/supervisor/cases.csv')).body as string;
    assert.match(disputesCsv, /2022-08-15/);
    assert.ok(casesCsv.includes('2022-08-15'), 'the cases export\'s due date is the dispute\'s investigation date');
    // Both exports write the case reference the same way, so they join (tester 10, finding 11).
    assert.match(disputesCsv, new RegExp(`,${shown(c.id)}-D1,${shown(c.id)},billing,`));
    assert.match(casesCsv, new RegExp(`(^|\\n)${shown(c.id)},`));
    assert.equal(page.body.referral.dueAt, '2022-08-15T22:00:00.000Z', 'overdue from the start of the 16th in Johannesburg');
    const held = await johan.get('/api/supervisor/disputes');
    assert.deepEqual(held.body.accounts.map((a: any) => [a.accountNumber, a.creditControlHold]), [['501234567', true], ['409876543', true]]);

    clock.advance(3 * 24 * 60 * 60_000);
    [johan] = await signInAll(service, ['johan'] as const);
    const done = await johan.post(`/api/back-office/referrals/${c.id}/done`, { outcome: 'resolved', summary: 'The estimate was replaced by the actual reading; R1 500.00 credited.' });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const stored = await new CosmosCaseStore(db.cases).get(c.id);
    assert.equal(stored!.dispute!.settledAt, clock.now().toISOString());
    const settled = stored!.audit.find((e) => e.action === 'dispute settled');
    assert.deepEqual([settled?.by.id, settled?.detail], ['johan', `${c.id}-D1`]);
    const after = await johan.get('/api/supervisor/disputes');
    assert.deepEqual(after.body.accounts.map((a: any) => [a.accountNumber, a.creditControlHold]), [['409876543', true]], 'settled: off the export, no hold on 501234567');
    const csv = (await johan.get('/api/supervisor/disputes.csv')).body as string;
    assert.doesNotMatch(csv, /501234567/);
  });

  it('keeps no receipt pending for an email copy when the service sends no email (issue 20)', async () => {
    const c = await seedCase(db, definition, 'billing', { intake: { accountNumber: '501234567', email: 'lerato@example.org' } });
    await thandi.post(`/api/cases/${c.id}/claim`);
    assert.equal((await thandi.post(`/api/cases/${c.id}/dispute`, dispute)).status, 200);
    const store = new CosmosCaseStore(db.cases);
    const lodged = await store.get(c.id);
    assert.deepEqual(lodged!.receipts?.map((r) => [r.kind, !!r.sent?.chat, !!r.sent?.email]), [['dispute', true, false]]);
    clock.advance(2 * 60_000);
    await service.scheduler.tick();
    const after = await store.get(c.id);
    assert.equal(after!.receiptsPending, undefined, 'the retry round found nothing to send and cleared it');
    assert.equal(after!.receipts?.length, 1);
  });

  it('records an arrangement worked out within the account type\'s limits, and refuses a term outside them', async () => {
    const c = await seedCase(db, definition, 'credit-control', { intake: { arrearsAmount: 12000, proposedMonthlyPayment: 500 } });
    await priya.post(`/api/cases/${c.id}/claim`);
    const page = await priya.get(`/api/cases/${c.id}`);
    assert.deepEqual(page.body.rules.fromIntake, { arrearsCents: 1_200_000, proposedMonthlyCents: 50_000 });
    assert.deepEqual(page.body.rules.arrangementLimits.business, { minMonths: 1, maxMonths: 12, downPaymentPercent: 50 });
    const tooLong = await priya.post(`/api/cases/${c.id}/arrangement`, { accountType: 'domestic', debtCents: 1_200_000, months: 48 });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.problems[0].field, 'months');
    assert.match(tooLong.body.message, /3 to 36 months/);
    const esp = await priya.post(`/api/cases/${c.id}/arrangement`, { accountType: 'esp', debtCents: 1_200_000, months: 48, monthlyIncomeCents: 400_000 });
    assert.equal(esp.status, 200, JSON.stringify(esp.body));
    const a = esp.body.rules.arrangement;
    assert.equal(a.instalmentCents, 25_000);
    assert.equal(a.affordabilityBasisPoints, 625);
    assert.equal(a.agreedBy.staffId, 'priya');
    const stored = await new CosmosCaseStore(db.cases).get(c.id);
    assert.equal(stored!.audit.at(-1)?.action, 'arrangement recorded');
    assert.equal(stored!.audit.at(-1)?.detail, 'esp, 48 months');
    const badType = await priya.post(`/api/cases/${c.id}/arrangement`, { accountType: 'household', debtCents: 1, months: 3 });
    assert.equal(badType.status, 400);
    assert.equal(badType.body.problems[0].field, 'accountType');
  });

  it('refuses an arrangement that covers an open dispute\'s amount (s102), saying why and what to do; allows one for the undisputed arrears (tester 10, finding 2)', async () => {
    const c = await seedCase(db, definition, 'billing');
    await thandi.post(`/api/cases/${c.id}/claim`);
    assert.equal((await thandi.post(`/api/cases/${c.id}/dispute`, dispute)).status, 200); // R1 750.50 disputed
    const noArrears = await thandi.post(`/api/cases/${c.id}/arrangement`, { accountType: 'domestic', debtCents: 175_050, months: 6 });
    assert.equal(noArrears.status, 400, JSON.stringify(noArrears.body));
    assert.match(noArrears.body.message, new RegExp(`Dispute ${shown(c.id)}-D1 is open: the R1\u00a0750\\.50 it disputes may not be collected by credit control until the City answers it \\(Municipal Systems Act s102\\)`));
    assert.match(noArrears.body.message, /acknowledgement of debt for everything it covers\. Enter the account's arrears \(the disputed amount included\)/);
    const covers = await thandi.post(`/api/cases/${c.id}/arrangement`, { accountType: 'domestic', debtCents: 175_050, months: 6, arrearsCents: 240_050 });
    assert.equal(covers.status, 400);
    assert.match(covers.body.message, /Leave the disputed part out: of arrears of R2\u00a0400\.50, R650\.00 is undisputed and is the most an arrangement can cover\. Nothing was saved\./);
    const allDisputed = await thandi.post(`/api/cases/${c.id}/arrangement`, { accountType: 'domestic', debtCents: 100_000, months: 6, arrearsCents: 175_050 });
    assert.equal(allDisputed.status, 400);
    assert.match(allDisputed.body.message, /nothing undisputed to arrange/);
    assert.equal((await new CosmosCaseStore(db.cases).get(c.id))!.arrangement, undefined, 'nothing saved');
    const undisputed = await thandi.post(`/api/cases/${c.id}/arrangement`, { accountType: 'domestic', debtCents: 65_000, months: 5, arrearsCents: 240_050 });
    assert.equal(undisputed.status, 200, JSON.stringify(undisputed.body));
    assert.deepEqual(undisputed.body.rules.arrangement.leavesOut, { reference: `${c.id}-D1`, disputedCents: 175_050, arrearsCents: 240_050 });
    const stored = await new CosmosCaseStore(db.cases).get(c.id);
    assert.equal(stored!.audit.at(-1)?.detail, `domestic, 5 months, leaves out dispute ${c.id}-D1`);
  });

  it('records an ESP registration above the income threshold only on the expert\'s explicit confirmation, kept on the audit trail; the page shows the documents asked for and the answer (tester 10, finding 9)', async () => {
    const c = await seedCase(db, definition, 'indigent', {
      intake: { accountNumber: '501234567', accountHolder: 'Lindiwe Nkosi', mobile: '+27821234567', idNumber: '8001015009087', householdSize: 3, monthlyHouseholdIncome: 9000, description: 'ESP please.' },
    });
    const store = new CosmosCaseStore(db.cases);
    const stored = (await store.get(c.id))!;
    const waitingAt = new Date(clock.now().getTime() - 60_000).toISOString();
    await store.replace({ ...stored, transcript: [{ id: 'w1', at: waitingAt, from: 'ratepayer', author: 'Lindiwe', text: 'Ngine-ID ne-affidavit', translation: { status: 'translated', from: 'zu', to: 'en', text: 'I have my ID and an affidavit' } }] });
    await priya.post(`/api/cases/${c.id}/claim`);
    const page = await priya.get(`/api/cases/${c.id}`);
    assert.equal(page.body.rules.espDocuments.asked[0], pilotDocuments[0]);
    assert.equal(page.body.rules.espDocuments.asked.length, pilotDocuments.length);
    assert.deepEqual(page.body.rules.espDocuments.answers, [{ at: waitingAt, text: 'Ngine-ID ne-affidavit', inEnglish: 'I have my ID and an affidavit' }]);

    const unconfirmed = await priya.post(`/api/cases/${c.id}/esp-registration`, { registeredOn: '2022-08-01' });
    assert.equal(unconfirmed.status, 400, JSON.stringify(unconfirmed.body));
    assert.match(unconfirmed.body.message, /^The household income the ratepayer gave \(R9\u00a0000\.00 a month\) is above the ESP threshold in force on 2022-08-01 \(R5\u00a0578\.91 a month from 2017-11-01\)\. Record the registration only if the City registered the household anyway .*confirm that to record it\. Nothing was saved\.$/);
    assert.equal((await store.get(c.id))!.espRegistration, undefined);
    const confirmed = await priya.post(`/api/cases/${c.id}/esp-registration`, { registeredOn: '2022-08-01', confirmAboveThreshold: true });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.deepEqual(confirmed.body.rules.espRegistration.aboveThreshold, { incomeCents: 900_000, thresholdCents: 557_891, thresholdFrom: '2017-11-01' });
    const entry = (await store.get(c.id))!.audit.at(-1);
    assert.deepEqual([entry?.action, entry?.by.id, entry?.detail], ['ESP registration recorded', 'priya', 'lapses 2023-02-01; income R9\u00a0000.00 above the threshold R5\u00a0578.91 (from 2017-11-01), confirmed']);
  });

  it('records an ESP registration with its lapse date six months on and the reminder a month before', async () => {
    const c = await seedCase(db, definition, 'indigent');
    await priya.post(`/api/cases/${c.id}/claim`);
    const future = await priya.post(`/api/cases/${c.id}/esp-registration`, { registeredOn: '2022-08-02' });
    assert.equal(future.status, 400);
    assert.equal(future.body.problems[0].field, 'registeredOn');
    const ok = await priya.post(`/api/cases/${c.id}/esp-registration`, { registeredOn: '2022-08-01', applicationNumber: 'ESP-2022/0815' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.rules.espRegistration.lapsesOn, '2023-02-01');
    assert.equal(ok.body.rules.espRegistration.remindOn, '2023-01-01');
    assert.equal(ok.body.rules.espRegistrationMonths, 6);
    const stored = await new CosmosCaseStore(db.cases).get(c.id);
    assert.equal(stored!.audit.at(-1)?.action, 'ESP registration recorded');
  });
});
