/**
 * The details a transfer leaves a case without (bot/domain/transferDetails.ts) and the lifecycle
 * around them (bot/domain/case.ts transferCase, addAskedDetails): pure rules, the pilot's categories.
 */
import assert from 'node:assert/strict';
import { addAskedDetails, CaseRuleError, claimCase, openCase, resolveCase, transferCase, type Actor, type Case } from '../../bot/domain/case.js';
import { categoryByCode } from '../../bot/domain/serviceDefinition.js';
import { missingDetails } from '../../bot/domain/transferDetails.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';

const def = loadDefinition(LOCAL_DEFINITION);
const category = (code: string) => categoryByCode(def, code)!;
const now = new Date('2022-08-01T15:30:00Z');
const priya: Actor = { kind: 'staff', id: 'priya', name: 'Priya Naidoo' };
const ratepayer = { userId: 'u1', displayName: 'Lerato', conversationId: 'c1', channelId: 'msteams' };
const creditControl = { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '+27821234567', proposedMonthlyPayment: 500, description: 'Lost my job, cannot pay the arrears.' };

function withPriya(intake: Case['intake'] = creditControl): Case {
  const c = openCase({ reference: 'K7M3PQ', programmeId: def.programme.id, category: 'credit-control', sessionId: 's', draftId: 'd-1', ratepayer, intake, now });
  return claimCase(c, now, { id: 'priya', name: 'Priya Naidoo' });
}

describe('details missing after a transfer', () => {
  it('are the required fields of the new category the intake has no answer for, in the forms\' order', () => {
    assert.deepEqual(missingDetails(category('indigent'), creditControl), ['idNumber', 'householdSize', 'monthlyHouseholdIncome']);
    assert.deepEqual(missingDetails(category('billing'), creditControl), []);
    // Optional fields are never asked (email in every category; the supplier in metering).
    assert.deepEqual(missingDetails(category('metering'), creditControl), ['meterType', 'meterNumber']);
    // An empty answer is no answer.
    assert.deepEqual(missingDetails(category('credit-control'), { ...creditControl, proposedMonthlyPayment: ' ' }), ['proposedMonthlyPayment']);
  });

  it('are recorded on the case by the transfer, named on its audit trail, and the case waits in its new queue', () => {
    const moved = transferCase(withPriya(), now, priya, category('indigent'), 'ESP registration');
    assert.equal(moved.state, 'waiting');
    assert.equal(moved.category, 'indigent');
    assert.deepEqual(moved.detailsAsked, { fields: ['idNumber', 'householdSize', 'monthlyHouseholdIncome'], category: 'indigent', at: now.toISOString() });
    assert.deepEqual(moved.audit.slice(-2).map((e) => e.action), ['transferred', 'details asked']);
    // Nothing missing: nothing asked, and an earlier request is withdrawn.
    const back = transferCase(claimCase(moved, now, { id: 'priya', name: 'Priya Naidoo' }), now, priya, category('credit-control'), 'Not indigent');
    assert.equal(back.detailsAsked, undefined);
    assert.equal(transferCase(withPriya(), now, priya, category('billing'), 'Billing').detailsAsked, undefined);
  });

  it('are added to the intake by the ratepayer once, while the case is open, and never on a closed case', () => {
    const moved = transferCase(withPriya(), now, priya, category('indigent'), 'ESP registration');
    const by: Actor = { kind: 'ratepayer', id: 'u1', name: 'Lerato' };
    const answered = addAskedDetails(moved, now, by, { idNumber: '8001015009087', householdSize: 4, monthlyHouseholdIncome: 3200, description: 'not asked' });
    assert.equal(answered.detailsAsked, undefined);
    assert.equal(answered.intake.householdSize, 4);
    assert.equal(answered.intake.description, creditControl.description, 'only the asked fields are taken');
    assert.deepEqual(answered.audit.at(-1), { at: now.toISOString(), by, action: 'details added', detail: 'idNumber, householdSize, monthlyHouseholdIncome' });
    assert.throws(() => addAskedDetails(answered, now, by, { idNumber: '8001015009087', householdSize: 5, monthlyHouseholdIncome: 1 }), (e: unknown) => e instanceof CaseRuleError && e.reason === 'already_done');
    assert.throws(() => addAskedDetails(moved, now, by, { idNumber: '8001015009087' }), (e: unknown) => e instanceof CaseRuleError && e.reason === 'invalid');
    const closed = resolveCase(claimCase(moved, now, { id: 'priya', name: 'Priya Naidoo' }), now, priya, { kind: 'resolved', summary: 'Done' }, 30);
    assert.throws(() => addAskedDetails(closed, now, by, { idNumber: '8001015009087', householdSize: 4, monthlyHouseholdIncome: 3200 }), (e: unknown) => e instanceof CaseRuleError && e.reason === 'closed');
  });
});
