/**
 * Amounts on the case page (issue 12 item 13): typed in any local form on the intake card, kept as
 * plain numbers, shown to staff as the City's statements show them. The CSV export keeps numbers.
 */
import assert from 'node:assert/strict';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { checkIntake } from '../../bot/domain/intakeForm.js';
import { GROUP_SEPARATOR } from '../../bot/domain/money.js';
import { categoryByCode } from '../../bot/domain/serviceDefinition.js';
import type { RunningService } from '../../bot/service.js';
import { myDataCard } from '../../bot/platform/cards/ratepayerCards.js';
import { cardText } from '../support/activities.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, signInAll, startTestService, type ApiClient } from '../support/tabApi.js';

const definition = definitionWithAgents(0);
const shown = (s: string) => s.replace(/ /g, GROUP_SEPARATOR);

/** The values intake keeps for what the ratepayer typed. */
function intakeOf(category: string, typed: Record<string, string>): Record<string, string | number> {
  const result = checkIntake(categoryByCode(definition, category)!, typed);
  assert.ok(result.ok, JSON.stringify(result));
  return result.values;
}

describe('tab API: amounts on the case page as the City\'s statements show them', () => {
  let db: CosmosContainers;
  let service: RunningService;
  let thandi: ApiClient;
  let priya: ApiClient;

  before(async () => {
    db = await freshDatabase();
    service = await startTestService(db, definition);
    [thandi, priya] = await signInAll(service, ['thandi', 'priya'] as const);
  });
  after(() => service.close());

  const line = (page: any, name: string) => page.intake.find((l: any) => l.name === name)?.value;

  /** A credit-control form as typed: arrears "14 000,12" and a payment "10,00", with a comma for the decimals. */
  const TYPED = {
    accountNumber: '501234567',
    accountHolder: 'Test Ratepayer',
    mobile: '082 123 4567',
    arrearsAmount: '14 000,12',
    proposedMonthlyPayment: '10,00',
    description: 'I would like an arrangement for my arrears.',
  };

  it('arrears typed "14 000,12" and a payment typed "10,00" are kept as numbers and shown as R14 000.12 and R10.00', async () => {
    const intake = intakeOf('credit-control', TYPED);
    assert.equal(intake.arrearsAmount, 14000.12);
    assert.equal(intake.proposedMonthlyPayment, 10);
    const c = await seedCase(db, definition, 'credit-control', { intake });
    const page = await thandi.get(`/api/cases/${c.id}`);
    assert.equal(page.status, 200);
    assert.equal(line(page.body, 'arrearsAmount'), shown('R14 000.12'));
    assert.equal(line(page.body, 'proposedMonthlyPayment'), 'R10.00');
  });

  it('every money field of every category, in every local way of typing it', async () => {
    for (const [typed, expected] of [
      ['R1 234,50', 'R1 234.50'],
      ['1234.5', 'R1 234.50'],
      ['R1,234.50', 'R1 234.50'],
      ['12 500', 'R12 500.00'],
      ['800', 'R800.00'],
    ] as const) {
      const intake = intakeOf('indigent', {
        accountNumber: '501234567',
        accountHolder: 'Test Ratepayer',
        mobile: '082 123 4567',
        idNumber: '8001015009087',
        householdSize: '4',
        monthlyHouseholdIncome: typed,
        description: 'I want to register for the ESP.',
      });
      const c = await seedCase(db, definition, 'indigent', { intake });
      const page = await priya.get(`/api/cases/${c.id}`);
      assert.equal(line(page.body, 'monthlyHouseholdIncome'), shown(expected), `typed ${typed}`);
      assert.equal(line(page.body, 'householdSize'), '4', 'a count is not an amount');
      assert.equal(line(page.body, 'accountNumber'), '501234567', 'an account number is not an amount');
    }
  });

  it('the "my data" card shows the ratepayer the same amounts', () => {
    const intake = intakeOf('credit-control', TYPED);
    const now = new Date();
    const text = cardText(
      myDataCard(definition, [
        {
          id: 'K7M3PQ',
          category: 'credit-control',
          state: 'waiting',
          intake,
          createdAt: now.toISOString(),
          transcript: [],
        } as never,
      ]),
    );
    assert.ok(text.includes(shown('R14 000.12')), text);
    assert.ok(text.includes('R10.00'), text);
  });
});
