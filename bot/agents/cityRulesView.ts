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
  const espDocuments = documentsAsked(c, def);
  return {
    ...(espDocuments ? { espDocuments } : {}),
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

/**
 * For a case in `rules.esp.categories` whose intake listed the application documents
 * (cityRulesUpdates.ts `espIntakeNotes` asks "which of these do you have?"): the documents asked for
 * and what the ratepayer wrote while waiting (their answer, before an expert first took the case),
 * with its English for staff when it was translated. Undefined otherwise.
 */
function documentsAsked(c: Case, def: ServiceDefinition): RulesPanel['espDocuments'] {
  const esp = def.rules.esp;
  if (!esp.categories.includes(c.category) || esp.documents.length === 0) return undefined;
  const taken = c.audit.find((e) => e.action === 'claimed' || e.action === 'assigned')?.at;
  const answers = (c.transcript ?? [])
    .filter((e) => e.from === 'ratepayer' && !e.command && !e.pressed && (!taken || e.at < taken))
    .map((e) => ({
      at: e.at,
      text: e.text,
      ...(e.translation && (e.translation.status === 'translated' || e.translation.status === 'catalogue') ? { inEnglish: e.translation.text } : {}),
    }));
  return { asked: esp.documents.map((d) => d.name), answers };
}
