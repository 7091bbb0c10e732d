import assert from 'node:assert/strict';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { checkIntake } from '../../bot/domain/intakeForm.js';
import { say } from '../../bot/messages/index.js';

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
    assert.match(say('en', result.errors.idNumber!), /mistyped/);
    assert.match(say('en', result.errors.householdSize!), /Please fill in/);
    assert.equal(result.typed.idNumber, '8001015009088');
    assert.equal(result.typed.monthlyHouseholdIncome, 'lots');
  });

  it('says what is wrong with a short answer in a short field (a household size in words is not "too long"), and "too long" only past 100 characters', () => {
    const inWords = checkIntake(category('indigent'), { ...common, idNumber: '8001015009087', householdSize: 'abayisithupha', monthlyHouseholdIncome: '3200' });
    assert.equal(inWords.ok, false);
    if (!inWords.ok) assert.equal(inWords.errors.householdSize?.code, 'validation.number.notDigits');
    const huge = checkIntake(category('indigent'), { ...common, idNumber: '8001015009087', householdSize: '9'.repeat(101), monthlyHouseholdIncome: '3200' });
    if (!huge.ok) assert.equal(huge.errors.householdSize?.code, 'validation.form.tooLong');
    assert.equal(huge.ok, false);
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

describe('invisible characters in an intake card (copy and paste)', () => {
  const billing = category('billing');
  const good = { accountNumber: '501234567', accountHolder: 'Test Ratepayer', mobile: '082 123 4567', description: 'My bill doubled in March and nobody explained why.' };

  it('removes bidi isolates and marks, zero-width spaces, the BOM, soft hyphens and variation selectors before the check and the store', () => {
    const result = checkIntake(billing, {
      ...good,
      mobile: '\u2068082 123 4567\u2069',
      accountNumber: '501\u200b234\u200b567',
      email: 'test\u200b@example.co.za',
      accountHolder: '\ufeff\u200eTest\u00ad Ratepayer\u202c',
    });
    assert.ok(result.ok, JSON.stringify(result));
    if (!result.ok) return;
    assert.equal(result.values.mobile, '+27821234567');
    assert.equal(result.values.accountNumber, '501234567');
    assert.equal(result.values.email, 'test@example.co.za');
    assert.equal(result.values.accountHolder, 'Test Ratepayer');
    for (const [field, invisible] of [['accountNumber', '\u2066'], ['accountNumber', '\u200f'], ['mobile', '\ufe0f'], ['mobile', '\u2060'], ['mobile', '\u{e0041}'], ['accountNumber', '\u061c']] as const) {
      const again = checkIntake(billing, { ...good, [field]: `${invisible}${good[field]}${invisible}` });
      assert.ok(again.ok, `${field} with U+${invisible.codePointAt(0)!.toString(16)}`);
    }
  });

  it('sends the cleaned text back when another field is wrong, so pressing again does not fail the same way', () => {
    const result = checkIntake(billing, { ...good, mobile: '\u2068082 123 4567\u2069', accountNumber: '501\u200b234\u200b56' });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.typed.mobile, '082 123 4567');
    assert.equal(result.typed.accountNumber, '50123456');
    assert.deepEqual(Object.keys(result.errors), ['accountNumber']);
  });

  it('keeps the joiners some scripts need inside a name, and emoji sequences in a description', () => {
    // Persian "Mehrnaz" with a zero-width non-joiner; Sinhala with a zero-width joiner.
    const persian = 'می\u200cخواهم Test';
    const result = checkIntake(billing, { ...good, accountHolder: `\u200d${persian}\u200c`, description: 'Water leak 👨\u200d👩\u200d👧 at home ❤\ufe0f since May\u200b.' });
    assert.ok(result.ok, JSON.stringify(result));
    if (!result.ok) return;
    assert.equal(result.values.accountHolder, persian);
    assert.equal(result.values.description, 'Water leak 👨\u200d👩\u200d👧 at home ❤\ufe0f since May.');
  });
});
