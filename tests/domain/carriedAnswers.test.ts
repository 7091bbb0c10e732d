/**
 * What a second form in the same chat starts with (bot/domain/intakeFields.ts carriedAnswers):
 * the answers about the ratepayer and their account, never the query's own or the ID number.
 */
import assert from 'node:assert/strict';
import { carriedAnswers, type IntakeFieldName } from '../../bot/domain/intakeFields.js';

const fields = (...names: IntakeFieldName[]) => names.map((name) => ({ name }));

describe('carriedAnswers: a second form prefilled from the chat\'s earlier case', () => {
  const earlier = {
    accountNumber: '501234567',
    accountHolder: 'Lerato Molefe',
    mobile: '+27821234567',
    email: 'lerato@example.co.za',
    description: 'My bill doubled in March.',
    idNumber: '8001015009087',
    arrearsAmount: 14000.12,
    erfNumber: '1234',
  };

  it('carries account number, holder, mobile (as people write it) and email that the new form asks', () => {
    assert.deepEqual(carriedAnswers(earlier, fields('accountNumber', 'accountHolder', 'mobile', 'email', 'erfNumber', 'description')), {
      accountNumber: '501234567',
      accountHolder: 'Lerato Molefe',
      mobile: '082 123 4567',
      email: 'lerato@example.co.za',
    });
  });

  it("carries nothing the new form does not ask, nor the query's own answers, the ID number or amounts", () => {
    assert.deepEqual(carriedAnswers(earlier, fields('idNumber', 'description', 'arrearsAmount', 'erfNumber', 'householdSize')), {});
    assert.deepEqual(carriedAnswers(earlier, fields('accountNumber')), { accountNumber: '501234567' });
  });

  it('carries nothing from a case without those answers', () => {
    assert.deepEqual(carriedAnswers({}, fields('accountNumber', 'mobile', 'email')), {});
    assert.deepEqual(carriedAnswers({ email: '' }, fields('email')), {});
  });
});
