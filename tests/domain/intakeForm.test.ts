import assert from 'node:assert/strict';
import { loadDefinition } from '../../bot/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/config/settings.js';
import { checkIntake } from '../../bot/domain/intakeForm.js';

const def = loadDefinition(LOCAL_DEFINITION);
const category = (code: string) => def.categories.find((c) => c.code === code)!;
const common = { accountNumber: '501-234-567', accountHolder: 'Sipho Ndlovu', mobile: '+27 72 555 0101', description: 'Please register me for ESP, I lost my job.' };

describe('checking an intake card', () => {
  it('normalises every answer of a valid indigent card', () => {
    const result = checkIntake(category('indigent'), { ...common, idNumber: '8001015009087', householdSize: '4', monthlyHouseholdIncome: 'R 3 200,00' });
    assert.deepEqual(result, {
      ok: true,
      values: {
        accountNumber: '501234567',
        accountHolder: 'Sipho Ndlovu',
        mobile: '+27725550101',
        idNumber: '8001015009087',
        householdSize: 4,
        monthlyHouseholdIncome: 3200,
        description: common.description,
      },
    });
  });

  it('reports every wrong or missing field at once and keeps everything typed', () => {
    const typed = { ...common, idNumber: '8001015009088', householdSize: '', monthlyHouseholdIncome: 'lots' };
    const result = checkIntake(category('indigent'), typed);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(Object.keys(result.errors).sort(), ['householdSize', 'idNumber', 'monthlyHouseholdIncome']);
    assert.match(result.errors.idNumber!, /mistyped/);
    assert.match(result.errors.householdSize!, /Please fill in/);
    assert.equal(result.typed.idNumber, '8001015009088');
    assert.equal(result.typed.monthlyHouseholdIncome, 'lots');
  });

  it('asks only for the fields of the category, ignores anything else sent, and allows optional ones empty', () => {
    const result = checkIntake(category('billing'), { ...common, email: '', idNumber: '8001015009087', verb: 'intake.submit', __proto__: { x: 1 } });
    assert.equal(result.ok, true);
    if (result.ok) assert.equal('idNumber' in result.values, false, 'billing never stores an ID number');
  });

  it('copes with a body that is not an object, or fields of the wrong type', () => {
    const result = checkIntake(category('billing'), 'not an object');
    assert.equal(result.ok, false);
    const odd = checkIntake(category('billing'), { ...common, accountNumber: { $gt: '' }, mobile: ['0821234567'] });
    assert.equal(odd.ok, false);
    if (!odd.ok) assert.deepEqual(Object.keys(odd.errors).sort(), ['accountNumber', 'mobile']);
  });
});
