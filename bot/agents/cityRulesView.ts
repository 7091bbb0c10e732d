/**
 * The case page's rules panels (issue 20): the dispute, the arrangement and the ESP registration
 * on the case, and what the calculator needs from the definition and the intake.
 */
import type { Case } from '../domain/case.js';
import { localParts } from '../domain/calendar.js';
import { disputesAllowed } from '../domain/dispute.js';
import { thresholdOn } from '../domain/indigent.js';
import { centsFromRands } from '../domain/money.js';
import { categoryByCode, type ServiceDefinition } from '../domain/serviceDefinition.js';
import type { RulesPanel } from '../platform/contract/tabApi.js';

const cents = (value: string | number | undefined): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? centsFromRands(value) : undefined);

/** The rules panel of a case for someone who may (`canAct`) or may not act on it now. */
export function rulesPanel(c: Case, def: ServiceDefinition, canAct: boolean): RulesPanel {
  const rules = def.rules;
  const threshold = thresholdOn(rules.esp, localParts(new Date(c.createdAt), def.timeZone).date);
  const arrearsCents = cents(c.intake.arrearsAmount);
  const proposedMonthlyCents = cents(c.intake.proposedMonthlyPayment);
  const monthlyIncomeCents = cents(c.intake.monthlyHouseholdIncome);
  return {
    canLodgeDispute: canAct && !c.dispute && disputesAllowed(rules.dispute, c.category),
    canRecord: canAct,
    disputeCategories: rules.dispute.categories.flatMap((code) => categoryByCode(def, code)?.name ?? []),
    ...(rules.dispute.notes[c.category] ? { disputeNote: rules.dispute.notes[c.category] } : {}),
    ...(c.dispute ? { dispute: c.dispute } : {}),
    ...(c.arrangement ? { arrangement: c.arrangement } : {}),
    ...(c.espRegistration ? { espRegistration: c.espRegistration } : {}),
    arrangementLimits: rules.arrangements,
    ...(threshold ? { espThreshold: { monthlyIncomeCents: threshold.monthlyIncomeCents, from: threshold.from } } : {}),
    espRegistrationMonths: rules.esp.registrationMonths,
    fromIntake: {
      ...(arrearsCents !== undefined ? { arrearsCents } : {}),
      ...(proposedMonthlyCents !== undefined ? { proposedMonthlyCents } : {}),
      ...(monthlyIncomeCents !== undefined ? { monthlyIncomeCents } : {}),
    },
  };
}
