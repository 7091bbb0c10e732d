/**
 * The words staff read for the codes the tab API and the supervisors' cards carry: written once,
 * for the tab (tab/src/format.ts) and the supervisors' channel (bot/platform/cards/supervisorCards.ts).
 * What a ratepayer is told about an outcome is the ratepayer's wording, kept with their messages.
 */
import type { CaseState, Outcome, RatepayerCommand } from '../../domain/case.js';
import type { IntakeFieldName } from '../../domain/intakeFields.js';

/** An outcome as staff read it (the resolve dialog, the case page, search, the session report). */
export const OUTCOME_LABELS: Readonly<Record<Outcome, string>> = {
  resolved: 'Resolved',
  arrangement_made: 'Arrangement made',
  referred_back_office: 'Referred to the back office',
  not_resolved: 'Not resolved',
};

/**
 * A command word the ratepayer typed, as the case page names it in place of their message
 * (TranscriptEntry.command; tester 7, finding 10: "kanselleer" had reached the expert
 * machine-translated, as "[en] kanselleer"). The word itself is shown beside it, as typed.
 */
export const COMMAND_LABELS: Readonly<Record<RatepayerCommand, string>> = {
  endChat: 'Asked to end the chat (typed the command; the bot asks them to confirm)',
};

/** A case's state as staff read it. */
export const STATE_LABELS: Readonly<Record<CaseState, string>> = {
  waiting: 'Waiting',
  in_progress: 'In progress',
  resolved: 'Resolved',
  cancelled: 'Cancelled',
  no_show: 'No show',
};

/**
 * An intake answer's label on the case page, in staff's words: the card asks the ratepayer
 * ("Your query in a few words", "People in your household"); the agent reads what the answer is
 * ("Query", "Household size"). Every field a definition may use has one (a new field fails the
 * typecheck until it is named here).
 */
export const INTAKE_LABELS: Readonly<Record<IntakeFieldName, string>> = {
  accountNumber: 'Municipal account number',
  accountHolder: 'Account holder',
  mobile: 'Mobile number',
  email: 'Email address',
  erfNumber: 'Erf or stand number',
  meterType: 'Meter type',
  meterNumber: 'Meter number',
  meterReading: 'Meter reading given',
  supplier: 'Billed by (as the ratepayer said)',
  arrearsAmount: 'Arrears, as the ratepayer stated them',
  proposedMonthlyPayment: 'Affordable monthly payment',
  idNumber: 'South African ID number',
  householdSize: 'Household size',
  monthlyHouseholdIncome: 'Monthly household income',
  ward: 'Ward',
  facility: 'Facility',
  description: 'Query',
};

/**
 * What a member of staff does, as the sign-in page and the tab's header name it: "Supervisor";
 * "Back office" for someone who works only back-office teams (no queue: their tab opens on the
 * back-office view); "Agent and back office" for an expert who also works a team; "Agent" otherwise.
 */
export function staffRoleLabel(person: { role: 'agent' | 'supervisor'; skills: readonly string[]; backOfficeTeams?: readonly string[] | undefined }): string {
  if (person.role === 'supervisor') return 'Supervisor';
  const backOffice = (person.backOfficeTeams?.length ?? 0) > 0;
  if (backOffice) return person.skills.length === 0 ? 'Back office' : 'Agent and back office';
  return 'Agent';
}

/** The languages a ratepayer may be served in (issue 16), by code, as staff read them. */
const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  zu: 'isiZulu',
  xh: 'isiXhosa',
  af: 'Afrikaans',
  nso: 'Sepedi',
  st: 'Sesotho',
  tn: 'Setswana',
};

/** A language's name in staff's words; the code itself for one not listed. */
export function languageName(code: string): string {
  return LANGUAGE_NAMES[code] ?? code;
}
