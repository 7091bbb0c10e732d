/**
 * The City's own rules as pure domain (issue 20): the arrangement calculator (property tests:
 * instalments add up to the debt exactly, within the limits, in whole cents), the dispute record,
 * the ESP threshold and registration dates, and supplier routing.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ACCOUNT_TYPES, MAX_DEBT_CENTS, calculateArrangement, limitsFor, suggestTerm, type ArrangementPlan } from '../../bot/domain/arrangement.js';
import { addDays, arrangementBesideDispute, buildDispute, checkDispute, disputesAllowed, type DisputeInput } from '../../bot/domain/dispute.js';
import { addMonths, buildRegistration, checkIncome, espIncomeProblem, registrationProblem, reminderDue, thresholdOn } from '../../bot/domain/indigent.js';
import { routeFor, suppliersOf } from '../../bot/domain/supplier.js';
import { centsFromRands, formatCents } from '../../bot/domain/money.js';
import { checkServiceDefinition, type CityRules } from '../../bot/domain/serviceDefinition.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';

const rules: CityRules = loadDefinition(LOCAL_DEFINITION).rules;

function total(plan: ArrangementPlan): number {
  return plan.downPaymentCents + plan.runs.reduce((sum, r) => sum + r.count * r.amountCents, 0);
}

/** Any limits a definition may hold. */
const limitsArb = fc
  .record({ minMonths: fc.integer({ min: 1, max: 120 }), span: fc.integer({ min: 0, max: 120 }), downPaymentPercent: fc.integer({ min: 0, max: 100 }) })
  .map(({ minMonths, span, downPaymentPercent }) => ({ minMonths, maxMonths: minMonths + span, downPaymentPercent }));

describe('arrangement calculator (issue 20)', () => {
  it('property: for any debt, limits and term within them, the down payment and instalments add up to the debt to the cent', () => {
    fc.assert(
      fc.property(limitsArb, fc.integer({ min: 1, max: MAX_DEBT_CENTS }), fc.nat(), fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: undefined }), (limits, debtCents, pick, income) => {
        const months = limits.minMonths + (pick % (limits.maxMonths - limits.minMonths + 1));
        const result = calculateArrangement({ accountType: 'domestic', debtCents, months, ...(income === undefined ? {} : { monthlyIncomeCents: income }) }, limits);
        const rest = debtCents - Math.ceil((debtCents * limits.downPaymentPercent) / 100);
        if (rest > 0 && rest < months) {
          assert.deepEqual(result, { ok: false, error: { code: 'debtTooSmallForTerm', maxMonths: rest } });
          return;
        }
        assert.ok(result.ok);
        const plan = result.plan;
        assert.equal(total(plan), debtCents, 'adds up to the debt');
        for (const value of [plan.downPaymentCents, plan.instalmentCents, ...plan.runs.flatMap((r) => [r.count, r.amountCents])])
          assert.ok(Number.isSafeInteger(value) && value >= 0, `whole cents: ${value}`);
        assert.ok(plan.months >= limits.minMonths && plan.months <= limits.maxMonths, 'within the limits');
        if (rest > 0) assert.equal(plan.runs.reduce((n, r) => n + r.count, 0), months, 'one instalment a month');
        const amounts = plan.runs.map((r) => r.amountCents);
        if (amounts.length > 0) assert.ok(Math.max(...amounts) - Math.min(...amounts) <= 1, 'instalments differ by at most a cent');
        assert.ok(amounts.every((a) => a > 0), 'no empty instalment');
        assert.ok(plan.downPaymentCents * 100 >= debtCents * limits.downPaymentPercent, 'the down payment is never short');
        assert.ok((plan.downPaymentCents - 1) * 100 < debtCents * limits.downPaymentPercent, 'nor more than a cent over');
        if (income && income > 0) assert.equal(plan.affordabilityBasisPoints, Math.round((plan.instalmentCents * 10_000) / income));
      }),
      { numRuns: 2000 },
    );
  });

  it('property: a term outside the account type\'s limits is refused with the limits, for every account type of the definition', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACCOUNT_TYPES), fc.integer({ min: 100, max: MAX_DEBT_CENTS }), fc.integer({ min: -5, max: 200 }), (type, debtCents, months) => {
        const limits = limitsFor(rules, type);
        const result = calculateArrangement({ accountType: type, debtCents, months }, limits);
        const inside = months >= limits.minMonths && months <= limits.maxMonths;
        if (inside) assert.ok(result.ok);
        else assert.deepEqual(result, { ok: false, error: { code: 'termOutOfRange', minMonths: limits.minMonths, maxMonths: limits.maxMonths } });
      }),
      { numRuns: 1000 },
    );
  });

  it('applies the City\'s published limits: domestic 3–36, ESP and pensioners up to 60, business half down and up to 12', () => {
    const domestic = calculateArrangement({ accountType: 'domestic', debtCents: 1_000_000, months: 36, monthlyIncomeCents: 800_000 }, limitsFor(rules, 'domestic'));
    assert.deepEqual(domestic, {
      ok: true,
      plan: { accountType: 'domestic', debtCents: 1_000_000, downPaymentCents: 0, months: 36, instalmentCents: 27_778, runs: [{ count: 28, amountCents: 27_778 }, { count: 8, amountCents: 27_777 }], monthlyIncomeCents: 800_000, affordabilityBasisPoints: 347 },
    });
    assert.equal(calculateArrangement({ accountType: 'domestic', debtCents: 1_000_000, months: 2 }, limitsFor(rules, 'domestic')).ok, false);
    assert.equal(calculateArrangement({ accountType: 'domestic', debtCents: 1_000_000, months: 37 }, limitsFor(rules, 'domestic')).ok, false);
    assert.equal(calculateArrangement({ accountType: 'esp', debtCents: 1_000_000, months: 60 }, limitsFor(rules, 'esp')).ok, true);
    assert.equal(calculateArrangement({ accountType: 'pensioner', debtCents: 1_000_000, months: 61 }, limitsFor(rules, 'pensioner')).ok, false);
    const business = calculateArrangement({ accountType: 'business', debtCents: 1_000_001, months: 12 }, limitsFor(rules, 'business'));
    assert.ok(business.ok);
    assert.equal(business.plan.downPaymentCents, 500_001);
    assert.equal(business.plan.instalmentCents, 41_667);
    assert.equal(calculateArrangement({ accountType: 'business', debtCents: 1_000_000, months: 13 }, limitsFor(rules, 'business')).ok, false);
  });

  it('refuses a debt or an income that is not whole cents', () => {
    const l = limitsFor(rules, 'domestic');
    for (const debtCents of [0, -1, 10.5, NaN, MAX_DEBT_CENTS + 1])
      assert.deepEqual(calculateArrangement({ accountType: 'domestic', debtCents, months: 12 }, l), { ok: false, error: { code: 'debtInvalid' } }, String(debtCents));
    assert.deepEqual(calculateArrangement({ accountType: 'domestic', debtCents: 100, months: 12, monthlyIncomeCents: 1.5 }, l), { ok: false, error: { code: 'incomeInvalid' } });
  });

  it('suggests the shortest term within the limits that fits a monthly budget, else the longest', () => {
    const l = limitsFor(rules, 'domestic');
    const fit = suggestTerm({ accountType: 'domestic', debtCents: 1_200_000 }, l, 100_000);
    assert.ok(fit.ok && fit.plan.months === 12 && fit.plan.instalmentCents === 100_000);
    const short = suggestTerm({ accountType: 'domestic', debtCents: 1_200_000 }, l, 10_000_000);
    assert.ok(short.ok && short.plan.months === 3);
    const long = suggestTerm({ accountType: 'domestic', debtCents: 1_200_000 }, l, 100);
    assert.ok(long.ok && long.plan.months === 36);
  });
});

describe('money in cents (issue 20)', () => {
  it('turns stored rand amounts into whole cents exactly and shows cents as statements do', () => {
    assert.equal(centsFromRands(1234.5), 123450);
    assert.equal(centsFromRands(0.29), 29);
    assert.equal(centsFromRands(14000.12), 1_400_012);
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (cents) => centsFromRands(Number((cents / 100).toFixed(2))) === cents));
    assert.equal(formatCents(123450), 'R1\u00a0234.50');
  });
});

describe('the dispute record (issue 20)', () => {
  const input = {
    statementDate: '2022-07-25',
    items: [
      { amountCents: 150_000, reason: 'Water charged on an estimate', meter: { billed: 4120, own: 3890, estimated: true } },
      { amountCents: 25_050, reason: ' Refuse charged twice ' },
    ],
    keepPayingCents: 85_000,
    keepPayingBasis: 'average' as const,
  };

  it('has its own reference, the total, what to keep paying, the investigation deadline and the appeal date from the definition', () => {
    assert.deepEqual(checkDispute(input, '2022-08-01'), []);
    const d = buildDispute('K7M3PQ', input, rules.dispute, { now: new Date('2022-08-01T16:30:00Z'), today: '2022-08-01' }, { staffId: 'thandi', name: 'Thandi Mokoena' });
    assert.equal(d.reference, 'K7M3PQ-D1');
    assert.equal(d.totalCents, 175_050);
    assert.equal(d.keepPayingCents, 85_000);
    assert.equal(d.investigationDueOn, '2022-08-15');
    assert.equal(d.appealFrom, '2022-10-30');
    assert.equal(d.items[1]!.reason, 'Refuse charged twice');
    assert.deepEqual(d.items[0]!.meter, { billed: 4120, own: 3890, estimated: true });
    const longer = buildDispute('K7M3PQ', input, { ...rules.dispute, investigationDays: 30, appealAfterDays: 30 }, { now: new Date('2022-12-20T10:00:00Z'), today: '2022-12-20' }, { staffId: 'x', name: 'X' });
    assert.equal(longer.investigationDueOn, '2023-01-19');
  });

  it('names every problem with what the expert entered', () => {
    const problems = checkDispute(
      { statementDate: '2022-08-02', items: [{ amountCents: 0, reason: 'two\nlines', meter: { billed: -1, own: 2.5, estimated: 'yes' as unknown as boolean } }], keepPayingCents: -5, keepPayingBasis: 'other' as 'average' },
      '2022-08-01',
    );
    assert.deepEqual(problems.map((p) => p.field), ['statementDate', 'items[0].amountCents', 'items[0].reason', 'items[0].meter.billed', 'items[0].meter.own', 'items[0].meter.estimated', 'keepPayingCents', 'keepPayingBasis']);
    assert.deepEqual(checkDispute({ ...input, statementDate: '2022-02-30' }, '2022-08-01').map((p) => p.field), ['statementDate']);
    assert.deepEqual(checkDispute({ ...input, items: [] }, '2022-08-01').map((p) => p.field), ['items']);
  });

  it('refuses a statement older than the definition allows and an amount to keep paying above the statement\'s undisputed part (tester 10, finding 14)', () => {
    const fields = (over: Partial<DisputeInput>, today = '2022-08-01') => checkDispute({ ...input, ...over }, today, rules.dispute).map((p) => `${p.field}: ${p.problem}`);
    assert.deepEqual(fields({ statementDate: '2019-08-01' }), [], 'exactly 36 months ago');
    assert.deepEqual(fields({ statementDate: '1990-01-01' }), [
      'statementDate: is more than 36 months ago (before 2019-08-01): amounts billed that long ago are as a rule prescribed (Prescription Act, three years), so a formal dispute is lodged on a statement of the last 36 months; note older charges on the case for the back office',
    ]);
    assert.equal(checkDispute({ ...input, statementDate: '2021-01-01' }, '2022-08-01', { statementMaxAgeMonths: 12 })[0]?.field, 'statementDate', 'the limit is the definition\'s');
    // The undisputed part of a R2 600.50 statement with R1 750.50 disputed is R850.00.
    const undisputed = { keepPayingBasis: 'undisputed' as const, statementTotalCents: 260_050 };
    assert.deepEqual(fields({ ...undisputed, keepPayingCents: 85_000 }), []);
    assert.deepEqual(fields({ ...undisputed, keepPayingCents: 5_000_000 }), [
      'keepPayingCents: is more than the statement\'s undisputed part (R2\u00a0600.50 due less R1\u00a0750.50 disputed = R850.00): keep paying at most that, or choose the average monthly amount',
    ]);
    assert.deepEqual(fields({ keepPayingBasis: 'undisputed', keepPayingCents: 85_000 }), ['statementTotalCents: give the amount due on the statement: the amount to keep paying is its undisputed part']);
    assert.deepEqual(fields({ statementTotalCents: 100_000 }), ['statementTotalCents: is less than the R1\u00a0750.50 disputed: a dispute is about amounts on the statement']);
    assert.equal(fields({ keepPayingCents: 10_000_000_001 })[0]?.startsWith('keepPayingCents: must be an amount of R0.00 or more (at most R100'), true);
  });

  it('is allowed in the definition\'s dispute categories only', () => {
    assert.equal(disputesAllowed(rules.dispute, 'billing'), true);
    assert.equal(disputesAllowed(rules.dispute, 'metering'), true);
    assert.equal(disputesAllowed(rules.dispute, 'rates'), true, 's102 covers rates on the account too (tester 10, finding 4)');
    assert.equal(disputesAllowed(rules.dispute, 'credit-control'), true);
    assert.equal(disputesAllowed(rules.dispute, 'indigent'), false);
  });

  it('beside it, an arrangement covers at most the undisputed arrears, and needs the arrears to know them (s102; tester 10, finding 2)', () => {
    const d = buildDispute('K7M3PQ', input, rules.dispute, { now: new Date('2022-08-01T16:30:00Z'), today: '2022-08-01' }, { staffId: 'thandi', name: 'Thandi Mokoena' });
    const missing = arrangementBesideDispute(d, 50_000, undefined);
    assert.ok(!missing.ok);
    assert.equal(missing.field, 'arrearsCents');
    assert.match(missing.problem, /^Dispute K7M-3PQ-D1 is open: the R1\u00a0750\.50 it disputes may not be collected by credit control until the City answers it \(Municipal Systems Act s102\)/);
    const covers = arrangementBesideDispute(d, 175_051, 350_100);
    assert.ok(!covers.ok);
    assert.equal(covers.field, 'debtCents');
    assert.match(covers.problem, /Leave the disputed part out: of arrears of R3\u00a0501\.00, R1\u00a0750\.50 is undisputed/);
    assert.deepEqual(arrangementBesideDispute(d, 175_050, 350_100), { ok: true, leftOut: { reference: 'K7M3PQ-D1', disputedCents: 175_050, arrearsCents: 350_100 } });
    const none = arrangementBesideDispute(d, 1, 175_050);
    assert.ok(!none.ok && /nothing undisputed to arrange/.test(none.problem));
  });

  it('counts calendar days across month and year ends', () => {
    assert.equal(addDays('2022-12-25', 14), '2023-01-08');
    assert.equal(addDays('2024-02-20', 14), '2024-03-05');
  });
});

describe('the indigent register (issue 20)', () => {
  const esp = { ...rules.esp, incomeThresholds: [{ from: '2022-11-01', monthlyIncomeCents: 600_000, source: 'x' }, { from: '2021-11-01', monthlyIncomeCents: 500_000, source: 'y' }] };

  it('uses the threshold in force on the day (the latest from on or before it)', () => {
    assert.equal(thresholdOn(esp, '2022-08-01')?.monthlyIncomeCents, 500_000);
    assert.equal(thresholdOn(esp, '2022-11-01')?.monthlyIncomeCents, 600_000);
    assert.equal(thresholdOn(esp, '2021-10-31'), undefined);
    assert.deepEqual(checkIncome(esp, 500_000, '2022-08-01').kind, 'within');
    assert.deepEqual(checkIncome(esp, 500_001, '2022-08-01'), { kind: 'above', threshold: esp.incomeThresholds[1], byCents: 1 });
    assert.equal(checkIncome(esp, 550_000, '2022-11-01').kind, 'within');
    assert.equal(checkIncome(esp, 1, '2020-01-01').kind, 'unknown');
  });

  it('a registration lasts the definition\'s months and is reminded of a month before it lapses, month ends included', () => {
    const reg = buildRegistration(rules.esp, { registeredOn: '2022-08-31' }, { now: new Date('2022-08-31T15:00:00Z') }, { staffId: 'n', name: 'N' });
    assert.equal(reg.lapsesOn, '2023-02-28');
    assert.equal(reg.remindOn, '2023-01-31');
    assert.equal(addMonths('2023-08-31', 6), '2024-02-29');
    assert.equal(reminderDue(reg, '2023-01-30'), false);
    assert.equal(reminderDue(reg, '2023-01-31'), true);
    assert.equal(reminderDue(reg, '2023-02-28'), false, 'lapsed: renewing is a new registration');
    assert.equal(reminderDue({ ...reg, remindedAt: '2023-01-31T07:00:00Z' }, '2023-02-01'), false, 'once');
  });

  it('registers above the threshold in force on the registration day only on explicit confirmation, keeping the comparison (tester 10, finding 9)', () => {
    const refused = espIncomeProblem(esp, 500_001, '2022-08-01', false);
    assert.ok(!refused.ok);
    assert.equal(refused.field, 'confirmAboveThreshold');
    assert.match(refused.problem, /\(R5\u00a0000\.01 a month\) is above the ESP threshold in force on 2022-08-01 \(R5\u00a0000\.00 a month from 2021-11-01\)/);
    assert.deepEqual(espIncomeProblem(esp, 500_001, '2022-08-01', true), { ok: true, aboveThreshold: { incomeCents: 500_001, thresholdCents: 500_000, thresholdFrom: '2021-11-01' } });
    assert.deepEqual(espIncomeProblem(esp, 550_000, '2022-11-01', false), { ok: true }, 'within the newer threshold');
    assert.deepEqual(espIncomeProblem(esp, undefined, '2022-08-01', false), { ok: true }, 'no income given: nothing to compare');
    assert.deepEqual(espIncomeProblem(esp, 900_000, '2020-01-01', false), { ok: true }, 'no threshold in force');
  });

  it('refuses a registration date in the future, not a date, or already lapsed', () => {
    assert.equal(registrationProblem(rules.esp, { registeredOn: '2022-08-02' }, '2022-08-01')?.field, 'registeredOn');
    assert.equal(registrationProblem(rules.esp, { registeredOn: '2022-02-31' }, '2022-08-01')?.field, 'registeredOn');
    assert.equal(registrationProblem(rules.esp, { registeredOn: '2022-02-01' }, '2022-08-01')?.field, 'registeredOn');
    assert.equal(registrationProblem(rules.esp, { registeredOn: '2022-07-01', applicationNumber: 'ESP 1' }, '2022-08-01')?.field, 'applicationNumber');
    assert.equal(registrationProblem(rules.esp, { registeredOn: '2022-07-01', applicationNumber: 'ESP-2022/1' }, '2022-08-01'), undefined);
  });
});

describe('supplier routing (issue 20)', () => {
  it('keeps City Power and Johannesburg Water in the metering queue and sends Eskom-direct customers where to go instead', () => {
    assert.deepEqual(suppliersOf(rules, 'electricity').map((s) => s.id), ['city-power', 'eskom']);
    assert.deepEqual(suppliersOf(rules, 'water').map((s) => s.id), ['joburg-water']);
    assert.deepEqual(routeFor(rules, 'city-power', 'metering'), { kind: 'queue', category: 'metering' });
    assert.deepEqual(routeFor(rules, 'joburg-water', 'metering'), { kind: 'queue', category: 'metering' });
    const eskom = routeFor(rules, 'eskom', 'metering');
    assert.equal(eskom.kind, 'elsewhere');
    assert.match(eskom.kind === 'elsewhere' ? eskom.text : '', /0860 037 566/);
    assert.deepEqual(routeFor(rules, undefined, 'metering'), { kind: 'queue', category: 'metering' }, 'unsure: never turned away');
  });

  it('routes to another category when the definition says so', () => {
    const def = structuredClone(loadDefinition(LOCAL_DEFINITION)) as any;
    def.rules.suppliers[0].route = { kind: 'category', category: 'billing' };
    const checked = checkServiceDefinition(def);
    assert.ok(checked.ok);
    assert.deepEqual(routeFor(checked.definition.rules, 'city-power', 'metering'), { kind: 'queue', category: 'billing' });
  });
});
