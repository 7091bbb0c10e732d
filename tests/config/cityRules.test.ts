/**
 * The City's own rules as definition data (issue 20): the `rules` block is optional, its defaults
 * are the sourced figures of docs/domain-rules.md, and every mistake in it is named.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { checkServiceDefinition } from '../../bot/domain/serviceDefinition.js';

const folder = path.dirname(LOCAL_DEFINITION);
const pilot = loadDefinition(path.join(folder, 'joburg-region-b-pilot.json'));

function withRules(rules: unknown) {
  const def = structuredClone(pilot) as any;
  if (rules === undefined) delete def.rules;
  else def.rules = rules;
  return checkServiceDefinition(def);
}

function problems(rules: unknown): string[] {
  const result = withRules(rules);
  assert.equal(result.ok, false, 'expected the definition to be refused');
  return result.ok ? [] : result.problems;
}

describe('service definition: the City\'s own rules (issue 20)', () => {
  it('a definition without the block gets the sourced defaults', () => {
    const result = withRules(undefined);
    assert.ok(result.ok);
    const rules = result.definition.rules;
    assert.deepEqual(rules.dispute, { categories: [], investigationDays: 14, appealAfterDays: 90, statementMaxAgeMonths: 36, notes: {} }, 'which categories are about amounts on the account is the programme\'s own');
    assert.deepEqual(rules.arrangements.domestic, { minMonths: 3, maxMonths: 36, downPaymentPercent: 0 });
    assert.equal(rules.arrangements.esp.maxMonths, 60);
    assert.equal(rules.arrangements.pensioner.maxMonths, 60);
    assert.deepEqual(rules.arrangements.business, { minMonths: 1, maxMonths: 12, downPaymentPercent: 50 });
    assert.equal(rules.esp.registrationMonths, 6);
    assert.equal(rules.esp.reminderMonthsBefore, 1);
    assert.deepEqual(rules.esp.incomeThresholds, [], 'the threshold changes yearly: the programme\'s own data');
    assert.deepEqual(rules.esp.documents, []);
    assert.deepEqual(rules.suppliers, [], 'no suppliers: metering intake asks nothing about them');
    assert.equal(rules.acknowledgementOfDebt, undefined);
  });

  it('the pilot ships the City\'s own words: ESP thresholds by date, documents, renewal, suppliers and the acknowledgement of debt', () => {
    const rules = pilot.rules;
    assert.deepEqual(rules.esp.incomeThresholds.map((t) => [t.from, t.monthlyIncomeCents]), [['2017-11-01', 557_891], ['2024-11-01', 750_301]]);
    assert.deepEqual(rules.esp.documents.map((d) => d.id), ['id-document', 'proof-of-income', 'proof-of-residence', 'city-account', 'city-power', 'eskom', 'joburg-water']);
    assert.match(rules.esp.renewal ?? '', /Re-register/);
    assert.deepEqual(rules.suppliers.map((s) => [s.id, s.service, s.route.kind]), [
      ['city-power', 'electricity', 'desk'],
      ['eskom', 'electricity', 'elsewhere'],
      ['joburg-water', 'water', 'desk'],
    ]);
    assert.match(rules.acknowledgementOfDebt ?? '', /acknowledgement of debt/);
  });

  it('the pilot lodges disputes on every category about amounts on the account, rates included, with the valuation-roll note for rates (tester 10, finding 4)', () => {
    assert.deepEqual(pilot.rules.dispute.categories, ['billing', 'credit-control', 'rates', 'metering']);
    assert.deepEqual(Object.keys(pilot.rules.dispute.notes), ['rates']);
    assert.match(pilot.rules.dispute.notes.rates!, /objection to the property's value itself is not a dispute: it is made to the City's valuation roll under the Municipal Property Rates Act/);
    assert.deepEqual(problems({ dispute: { categories: ['billing', 'water', 'billing'] } }), [
      'rules.dispute.categories[2]: category "billing" appears twice',
      'rules.dispute.categories[1]: category "water" is not defined under categories',
    ]);
    assert.deepEqual(problems({ dispute: { categories: ['billing'], notes: { rates: 'Valuation objections go to the roll.' } } }), [
      'rules.dispute.notes.rates: category "rates" is not one of rules.dispute.categories',
    ]);
  });

  it('a partial block keeps the defaults for what it leaves out', () => {
    const result = withRules({ dispute: { investigationDays: 21 }, arrangements: { domestic: { minMonths: 6, maxMonths: 24 } } });
    assert.ok(result.ok);
    assert.equal(result.definition.rules.dispute.investigationDays, 21);
    assert.equal(result.definition.rules.dispute.appealAfterDays, 90);
    assert.deepEqual(result.definition.rules.arrangements.domestic, { minMonths: 6, maxMonths: 24, downPaymentPercent: 0 });
    assert.equal(result.definition.rules.arrangements.business.downPaymentPercent, 50);
    assert.equal(result.definition.rules.esp.registrationMonths, 6);
  });

  it('names every mistake: terms, percentages, thresholds, reminders, suppliers', () => {
    assert.deepEqual(problems({ arrangements: { domestic: { minMonths: 12, maxMonths: 6 } } }), [
      'rules.arrangements.domestic.maxMonths: minMonths must not be more than maxMonths',
    ]);
    assert.match(problems({ arrangements: { business: { minMonths: 1, maxMonths: 12, downPaymentPercent: 150 } } })[0]!, /^rules\.arrangements\.business\.downPaymentPercent: /);
    assert.match(problems({ dispute: { investigationDays: 0 } })[0]!, /^rules\.dispute\.investigationDays: /);
    assert.match(problems({ esp: { incomeThresholds: [{ from: '2025-02-30', monthlyIncomeCents: 100, source: 'x y z' }] } })[0]!, /^rules\.esp\.incomeThresholds\[0\]\.from: is not a real calendar date/);
    assert.match(problems({ esp: { incomeThresholds: [{ from: '2025-11-01', monthlyIncomeCents: 7503.01, source: 'x y z' }] } })[0]!, /^rules\.esp\.incomeThresholds\[0\]\.monthlyIncomeCents: /);
    assert.deepEqual(problems({ esp: { registrationMonths: 1, reminderMonthsBefore: 1 } }), [
      'rules.esp.reminderMonthsBefore: reminderMonthsBefore must be less than registrationMonths',
    ]);
    assert.deepEqual(
      problems({ suppliers: [{ id: 'city-power', name: 'City Power', service: 'electricity', hint: 'on your City statement', route: { kind: 'category', category: 'electricity' } }] }),
      ['rules.suppliers[0].route.category: category "electricity" is not defined under categories'],
    );
    const twice = { id: 'eskom', name: 'Eskom', service: 'electricity', hint: 'a separate Eskom bill', route: { kind: 'elsewhere', text: 'Call Eskom on 0860 037 566.' } };
    assert.deepEqual(problems({ suppliers: [twice, twice] }), ['rules.suppliers[1]: supplier id "eskom" appears twice']);
  });

  it('refuses a retention period shorter than the wait for an ESP reminder, where ESP registrations are recorded', () => {
    const def = structuredClone(pilot) as any;
    def.limits.retentionDays = 90;
    const result = checkServiceDefinition(def);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.problems.join('\n'), /^limits\.retentionDays: must be at least 155 days while ESP registrations are recorded/);
    def.rules = { esp: { categories: [] } };
    assert.equal(checkServiceDefinition(def).ok, true, 'no ESP category: no reminder to keep');
  });

  it('a supplier may be routed to another category\'s experts', () => {
    const result = withRules({ suppliers: [{ id: 'city-power', name: 'City Power', service: 'electricity', hint: 'on your City statement', route: { kind: 'category', category: 'billing' } }] });
    assert.ok(result.ok);
    assert.deepEqual(result.definition.rules.suppliers[0]!.route, { kind: 'category', category: 'billing' });
  });

  it('takes the rules texts in other languages, and names every one that translates nothing (tester 10, finding 12)', () => {
    const rules = structuredClone(pilot.rules) as any;
    rules.words = {
      st: {
        acknowledgementOfDebt: 'saena tumellano ya sekoloto setsing sa ditshebeletso tsa bareki.',
        espRenewal: 'Ingodise hape bakeng sa ESP setsing sa ESP.',
        espDocuments: { 'id-document': 'Buka ya hao ya boitsebiso' },
        suppliers: { eskom: { hint: 'O fumana bili e arohaneng ho tswa ho Eskom.', elsewhere: 'Ikopanye le Eskom ho 0860 037 566.' } },
      },
    };
    const result = withRules(rules);
    assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
    assert.equal(result.definition.rules.words.st?.espDocuments['id-document'], 'Buka ya hao ya boitsebiso');

    const wrong = structuredClone(pilot.rules) as any;
    delete wrong.acknowledgementOfDebt;
    delete wrong.esp.renewal;
    wrong.words = {
      zu: { acknowledgementOfDebt: 'sayina isivumelwano sesikweletu.', espRenewal: 'Phinda ubhalise e-ESP.', espDocuments: { passport: 'Iphasipoti yakho' }, suppliers: { acme: { name: 'Acme' }, 'city-power': { elsewhere: 'Shayela i-City Power.' } } },
      xx: {},
    };
    assert.deepEqual(problems(wrong).sort(), [
      'rules.words: Unrecognized key: "xx"',
      "rules.words.zu.acknowledgementOfDebt: translates rules.acknowledgementOfDebt, which is not given (without it the catalogue's own words are used in every language)",
      'rules.words.zu.espDocuments.passport: document "passport" is not listed under rules.esp.documents',
      'rules.words.zu.espRenewal: translates rules.esp.renewal, which is not given',
      'rules.words.zu.suppliers.acme: supplier "acme" is not listed under rules.suppliers',
      'rules.words.zu.suppliers.city-power.elsewhere: supplier "city-power" is not routed "elsewhere", so it has no text to translate',
    ].sort());
  });
});

