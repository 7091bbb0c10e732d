/**
 * The indigent register: the City's Expanded Social Package (ESP), issue 20. Pure; amounts in
 * integer cents, dates as local calendar dates ("YYYY-MM-DD") in the programme's time zone.
 *
 * Rules (data in `rules.esp`, sources in docs/domain-rules.md): a monthly income threshold that
 * changes every year (the line in force on a day is the one with the latest `from` on or before
 * it); registration lasts six months and the ratepayer is reminded a month before it lapses.
 * Being above the threshold never stops a ratepayer from being queued: the City decides on the
 * application, the intake only tells them what the threshold means for them.
 */
import type { CityRules } from './serviceDefinition.js';
import { formatCents as rands } from './money.js';

type EspRules = CityRules['esp'];
type Threshold = EspRules['incomeThresholds'][number];

/** The threshold in force on a local date, or undefined before the first one. */
export function thresholdOn(rules: EspRules, date: string): Threshold | undefined {
  return [...rules.incomeThresholds].sort((a, b) => (a.from < b.from ? -1 : 1)).filter((t) => t.from <= date).at(-1);
}

/** How a monthly household income compares with the threshold in force: `unknown` when no threshold applies yet. */
export type ThresholdCheck =
  | { kind: 'within'; threshold: Threshold }
  | { kind: 'above'; threshold: Threshold; byCents: number }
  | { kind: 'unknown' };

/** Compares `incomeCents` (integer cents a month) with the threshold in force on `date`; equal to it is within. */
export function checkIncome(rules: EspRules, incomeCents: number, date: string): ThresholdCheck {
  const threshold = thresholdOn(rules, date);
  if (!threshold) return { kind: 'unknown' };
  return incomeCents > threshold.monthlyIncomeCents
    ? { kind: 'above', threshold, byCents: incomeCents - threshold.monthlyIncomeCents }
    : { kind: 'within', threshold };
}

/**
 * `months` calendar months after a local date; a day the target month lacks becomes its last
 * day (31 August + 6 months = 28 or 29 February), as people count months.
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}

/** The local time of day at which lapse reminders go out: a civil hour, not midnight. */
const REMINDER_TIME = '09:00';

/** An ESP registration recorded on a case (local dates). */
export interface EspRegistration {
  registeredOn: string;
  /** The day it lapses unless renewed: registeredOn + rules.esp.registrationMonths. */
  lapsesOn: string;
  /** The day the ratepayer is reminded: lapsesOn − rules.esp.reminderMonthsBefore. */
  remindOn: string;
  /** The City's own ESP application number, when the expert has it. */
  applicationNumber?: string;
  recordedBy: { staffId: string; name: string };
  recordedAt: string;
  /** Set once the reminder went out (so it goes out once, whichever instance runs it). */
  remindedAt?: string;
  /**
   * Recorded although the household income the ratepayer gave was above the threshold in force on
   * the registration day (cents a month), which the expert confirmed explicitly (espIncomeProblem).
   */
  aboveThreshold?: { incomeCents: number; thresholdCents: number; thresholdFrom: string };
}

/**
 * Whether a registration made on `registeredOn` for a household that gave `incomeCents` a month
 * (undefined: not given) may be recorded: above the threshold in force that day only with the
 * expert's explicit confirmation (the City decides on the application, but the register must not
 * take an above-threshold household by oversight: tester 10, finding 9). Returns the comparison to
 * keep on the registration, or the problem in words for staff (field `confirmAboveThreshold`).
 */
export function espIncomeProblem(
  rules: EspRules,
  incomeCents: number | undefined,
  registeredOn: string,
  confirmed: boolean,
): { ok: true; aboveThreshold?: NonNullable<EspRegistration['aboveThreshold']> } | { ok: false; field: 'confirmAboveThreshold'; problem: string } {
  if (incomeCents === undefined) return { ok: true };
  const check = checkIncome(rules, incomeCents, registeredOn);
  if (check.kind !== 'above') return { ok: true };
  const aboveThreshold = { incomeCents, thresholdCents: check.threshold.monthlyIncomeCents, thresholdFrom: check.threshold.from };
  if (confirmed) return { ok: true, aboveThreshold };
  return {
    ok: false,
    field: 'confirmAboveThreshold',
    problem:
      `The household income the ratepayer gave (${rands(incomeCents)} a month) is above the ESP threshold in force on ${registeredOn} (${rands(check.threshold.monthlyIncomeCents)} a month from ${check.threshold.from}). ` +
      'Record the registration only if the City registered the household anyway (for example on proof of a lower income): confirm that to record it.',
  };
}

/** A registration made on `registeredOn` (not after `today`: CaseRuleError-free check is the caller's; see registrationProblem). */
export function buildRegistration(
  rules: EspRules,
  input: { registeredOn: string; applicationNumber?: string },
  at: { now: Date },
  by: { staffId: string; name: string },
): EspRegistration {
  const lapsesOn = addMonths(input.registeredOn, rules.registrationMonths);
  return {
    registeredOn: input.registeredOn,
    lapsesOn,
    remindOn: addMonths(input.registeredOn, rules.registrationMonths - rules.reminderMonthsBefore),
    ...(input.applicationNumber ? { applicationNumber: input.applicationNumber } : {}),
    recordedBy: by,
    recordedAt: at.now.toISOString(),
  };
}

/**
 * What is wrong with a registration's input, as a sentence for staff naming the field, or undefined: the date
 * must be a real date, not after today and not so long ago that the registration has already
 * lapsed; an application number is 1–40 letters, digits, dashes or slashes.
 */
export function registrationProblem(rules: EspRules, input: { registeredOn: string; applicationNumber?: string }, today: string): { field: string; problem: string } | undefined {
  const d = input.registeredOn;
  if (typeof d !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(d) || addMonths(d, 0) !== d) return { field: 'registeredOn', problem: 'The registration date must be a date written YYYY-MM-DD.' };
  if (d > today) return { field: 'registeredOn', problem: 'The registration date cannot be after today.' };
  if (addMonths(d, rules.registrationMonths) <= today) return { field: 'registeredOn', problem: `A registration made then has already lapsed (it lasts ${rules.registrationMonths} months).` };
  if (input.applicationNumber !== undefined && !/^[A-Za-z0-9/-]{1,40}$/.test(input.applicationNumber))
    return { field: 'applicationNumber', problem: 'The application number must be 1–40 letters, digits, dashes or slashes.' };
  return undefined;
}

/** Whether a registration's reminder is due on local date `today`: on or after remindOn, before it lapses, not yet sent. */
export function reminderDue(reg: Pick<EspRegistration, 'remindOn' | 'lapsesOn' | 'remindedAt'>, today: string): boolean {
  return !reg.remindedAt && today >= reg.remindOn && today < reg.lapsesOn;
}
