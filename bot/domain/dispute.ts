/**
 * A formal billing dispute (issue 20), lodged by an expert on a case. Pure; amounts in integer
 * cents, dates as local calendar dates ("YYYY-MM-DD") in the programme's time zone.
 *
 * Why it matters: while a specific amount is formally disputed the City may not apply credit
 * control to it (Local Government: Municipal Systems Act 32 of 2000, s102(2)); ratepayers often
 * cannot prove they lodged one, so the record carries its own reference and the dates that
 * protect them: the investigation deadline (the City's by-laws: 14 days) and the day from which an
 * appeal to the Municipal Manager can be made (2022 Credit Control and Debt Collection Policy: 90
 * days). Both periods are data (`rules.dispute`, docs/domain-rules.md).
 *
 * Hand-over: the record is self-contained (its deadline travels with it). The back office
 * (issue 19's stage) owns the investigation: the case can only be referred, due on
 * `investigationDueOn` (followThrough.ts `referralForCase`); the City's billing system learns of
 * open disputes through the export (bot/supervisors/disputeExport.ts).
 */
import type { CityRules } from './serviceDefinition.js';
import { formatCents as rands } from './money.js';
import { formatReference } from './reference.js';

/** A meter dispute's readings: the bill's, the ratepayer's own, and whether the bill's was estimated. */
export interface MeterReadings {
  billed: number;
  own: number;
  estimated: boolean;
}

/** One disputed amount on the statement: cents > 0 and a one-line reason. */
export interface DisputeItem {
  amountCents: number;
  reason: string;
  meter?: MeterReadings;
}

/** How the amount to keep paying was set: the undisputed part of the bill, or the average monthly amount. */
export type KeepPayingBasis = 'undisputed' | 'average';

/** The dispute on a case. `reference` is its own ("K7M3PQ-D1"); dates are local "YYYY-MM-DD". */
export interface Dispute {
  reference: string;
  /** The statement disputed (its date). */
  statementDate: string;
  /** The amount due on that statement, cents, when the expert gave it. */
  statementTotalCents?: number;
  items: DisputeItem[];
  totalCents: number;
  keepPayingCents: number;
  keepPayingBasis: KeepPayingBasis;
  lodgedAt: string;
  lodgedOn: string;
  /** By this day the City must have investigated and told the ratepayer in writing. */
  investigationDueOn: string;
  /** From this day the ratepayer may appeal to the Municipal Manager. */
  appealFrom: string;
  lodgedBy: { staffId: string; name: string };
  /**
   * When the City answered the dispute and it stopped being open: set when the back office marks
   * the case's referral done (bot/domain/followThrough.ts `completeReferral`); until then the
   * dispute is open in the hand-over export.
   */
  settledAt?: string;
}

/** What the expert enters. */
export interface DisputeInput {
  statementDate: string;
  /**
   * The amount due on the disputed statement, cents: required when the amount to keep paying is
   * its undisputed part (`keepPayingBasis` `undisputed`), which it bounds; optional otherwise.
   */
  statementTotalCents?: number;
  items: DisputeItem[];
  keepPayingCents: number;
  keepPayingBasis: KeepPayingBasis;
}

/** The longest one-line reason kept. */
const REASON_MAX = 200;
/** The most items one dispute lists. */
const ITEMS_MAX = 20;

/** A problem with what the expert entered, by field ("items[1].amountCents"), in plain words for staff. */
export interface DisputeProblem {
  field: string;
  problem: string;
}

/** The day `days` calendar days after a local date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function realDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  return addDays(date, 0) === date;
}

/** The largest amount a dispute takes (its total, a statement's, the amount to keep paying): R100 million, far above any account; keeps cents exact. */
const MAX_DISPUTE_CENTS = 10_000_000_000;

const money = (cents: number) => Number.isSafeInteger(cents) && cents <= MAX_DISPUTE_CENTS;

/**
 * Checks what the expert entered against `today` (the local date) and `rules`: a statement date
 * that is a real date, not in the future and at most `rules.statementMaxAgeMonths` months old
 * (older amounts are as a rule prescribed: Prescription Act 68 of 1969 s11(d), three years;
 * docs/domain-rules.md); 1–ITEMS_MAX items each with whole cents > 0 and a reason of
 * 1–REASON_MAX characters on one line, meter readings whole numbers ≥ 0; the amount to keep
 * paying whole cents ≥ 0; the statement's amount due, when given (required for the `undisputed`
 * basis), at least the disputed total; and on the `undisputed` basis the amount to keep paying at
 * most the statement's undisputed part (its amount due less the disputed total). Every amount at
 * most MAX_DISPUTE_CENTS. Returns every problem, empty when all is well.
 */
export function checkDispute(input: DisputeInput, today: string, rules: Pick<CityRules['dispute'], 'statementMaxAgeMonths'> = { statementMaxAgeMonths: 36 }): DisputeProblem[] {
  const problems: DisputeProblem[] = [];
  const oldest = addMonthsBack(today, rules.statementMaxAgeMonths);
  if (!realDate(input.statementDate)) problems.push({ field: 'statementDate', problem: 'must be a date written YYYY-MM-DD' });
  else if (input.statementDate > today) problems.push({ field: 'statementDate', problem: 'cannot be after today' });
  else if (input.statementDate < oldest)
    problems.push({
      field: 'statementDate',
      problem: `is more than ${rules.statementMaxAgeMonths} months ago (before ${oldest}): amounts billed that long ago are as a rule prescribed (Prescription Act, three years), so a formal dispute is lodged on a statement of the last ${rules.statementMaxAgeMonths} months; note older charges on the case for the back office`,
    });
  if (!Array.isArray(input.items) || input.items.length === 0) problems.push({ field: 'items', problem: 'list at least one disputed amount' });
  else if (input.items.length > ITEMS_MAX) problems.push({ field: 'items', problem: `list at most ${ITEMS_MAX} amounts` });
  else
    input.items.forEach((item, i) => {
      if (!Number.isSafeInteger(item.amountCents) || item.amountCents <= 0)
        problems.push({ field: `items[${i}].amountCents`, problem: 'must be an amount above R0.00' });
      const reason = typeof item.reason === 'string' ? item.reason.trim() : '';
      if (reason === '' || reason.length > REASON_MAX || /[\r\n]/.test(reason))
        problems.push({ field: `items[${i}].reason`, problem: `give a one-line reason of at most ${REASON_MAX} characters` });
      if (item.meter) {
        for (const key of ['billed', 'own'] as const)
          if (!Number.isSafeInteger(item.meter[key]) || item.meter[key] < 0)
            problems.push({ field: `items[${i}].meter.${key}`, problem: 'must be a whole meter reading' });
        if (typeof item.meter.estimated !== 'boolean') problems.push({ field: `items[${i}].meter.estimated`, problem: 'say whether the bill\'s reading was estimated' });
      }
    });
  if (!money(input.keepPayingCents) || input.keepPayingCents < 0)
    problems.push({ field: 'keepPayingCents', problem: `must be an amount of R0.00 or more (at most ${rands(MAX_DISPUTE_CENTS)})` });
  if (input.keepPayingBasis !== 'undisputed' && input.keepPayingBasis !== 'average')
    problems.push({ field: 'keepPayingBasis', problem: 'must be "undisputed" or "average"' });
  const total = Array.isArray(input.items) && input.items.every((item) => money(item.amountCents) && item.amountCents > 0) ? input.items.reduce((sum, item) => sum + item.amountCents, 0) : undefined;
  if (total !== undefined && total > MAX_DISPUTE_CENTS) problems.push({ field: 'items', problem: `add up to more than ${rands(MAX_DISPUTE_CENTS)}` });
  const statement = input.statementTotalCents;
  if (statement === undefined) {
    if (input.keepPayingBasis === 'undisputed')
      problems.push({ field: 'statementTotalCents', problem: 'give the amount due on the statement: the amount to keep paying is its undisputed part' });
  } else if (!money(statement) || statement <= 0) problems.push({ field: 'statementTotalCents', problem: 'must be an amount above R0.00' });
  else if (total !== undefined) {
    if (total > statement) problems.push({ field: 'statementTotalCents', problem: `is less than the ${rands(total)} disputed: a dispute is about amounts on the statement` });
    else if (input.keepPayingBasis === 'undisputed' && money(input.keepPayingCents) && input.keepPayingCents > statement - total)
      problems.push({
        field: 'keepPayingCents',
        problem: `is more than the statement's undisputed part (${rands(statement)} due less ${rands(total)} disputed = ${rands(statement - total)}): keep paying at most that, or choose the average monthly amount`,
      });
  }
  return problems;
}

/** The local date `months` calendar months before `date` (a day the month lacks becomes its last day). */
function addMonthsBack(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 - months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}

/**
 * A dispute reference as people read it, written with its case's reference as everywhere else
 * ("K7M3PQ-D1" → "K7M-3PQ-D1"), so the receipt, the tab and both CSV exports name the case the same
 * way and "status K7M-3PQ-D1" finds it. Anything else is returned as it is.
 */
export function formatDisputeReference(reference: string): string {
  const m = /^([2-9A-Z]{6})-(D\d+)$/.exec(reference);
  return m ? `${formatReference(m[1]!)}-${m[2]}` : reference;
}

/** The dispute's own reference: the case's, with the dispute's number ("K7M3PQ-D1"; shown as "K7M-3PQ-D1": formatDisputeReference). */
function disputeReference(caseId: string, n = 1): string {
  return `${caseId}-D${n}`;
}

/**
 * The dispute record for a checked input, lodged at `now` (whose local date is `today`) under
 * the definition's periods. Call checkDispute first: this trusts its input.
 */
export function buildDispute(
  caseId: string,
  input: DisputeInput,
  rules: CityRules['dispute'],
  at: { now: Date; today: string },
  by: { staffId: string; name: string },
): Dispute {
  const items = input.items.map((item) => ({
    amountCents: item.amountCents,
    reason: item.reason.trim(),
    ...(item.meter ? { meter: { billed: item.meter.billed, own: item.meter.own, estimated: item.meter.estimated } } : {}),
  }));
  return {
    reference: disputeReference(caseId),
    statementDate: input.statementDate,
    ...(input.statementTotalCents !== undefined ? { statementTotalCents: input.statementTotalCents } : {}),
    items,
    totalCents: items.reduce((sum, item) => sum + item.amountCents, 0),
    keepPayingCents: input.keepPayingCents,
    keepPayingBasis: input.keepPayingBasis,
    lodgedAt: at.now.toISOString(),
    lodgedOn: at.today,
    investigationDueOn: addDays(at.today, rules.investigationDays),
    appealFrom: addDays(at.today, rules.appealAfterDays),
    lodgedBy: by,
  };
}

/** Whether a category's cases may carry a formal dispute (`rules.dispute.categories`). */
export function disputesAllowed(rules: CityRules['dispute'], category: string): boolean {
  return rules.categories.includes(category);
}

/** Whether the dispute is still open (lodged and not yet settled by the back office's answer). */
export function disputeOpen(d: Dispute | undefined): d is Dispute {
  return !!d && !d.settledAt;
}

/**
 * What an arrangement recorded while a dispute is open leaves out: the dispute, its disputed total
 * and the account's arrears the expert entered (all cents). Kept on the arrangement so that the
 * ratepayer's summary says the disputed amount is not part of it.
 */
export interface DisputeLeftOut {
  reference: string;
  disputedCents: number;
  arrearsCents: number;
}

/**
 * Whether an arrangement of `debtCents` may be recorded beside the open `dispute`, given the
 * account's arrears `arrearsCents` (the disputed amount included; integer cents, required).
 *
 * Why: while a specific amount is formally disputed the City may not apply credit control to it
 * (Municipal Systems Act s102(2)), and an arrangement makes the ratepayer sign an acknowledgement
 * of debt for everything it covers (the City's standard procedure for arrangements), which would
 * concede the disputed amount. So the arrangement may cover at most the undisputed arrears,
 * `arrearsCents − dispute.totalCents`. The problem is in words for staff, naming the field at fault.
 */
export function arrangementBesideDispute(
  dispute: Dispute,
  debtCents: number,
  arrearsCents: number | undefined,
): { ok: true; leftOut: DisputeLeftOut } | { ok: false; field: 'arrearsCents' | 'debtCents'; problem: string } {
  const why =
    `Dispute ${formatDisputeReference(dispute.reference)} is open: the ${rands(dispute.totalCents)} it disputes may not be collected by credit control until the City answers it (Municipal Systems Act s102), ` +
    'and an arrangement makes the ratepayer sign an acknowledgement of debt for everything it covers.';
  if (arrearsCents === undefined || !Number.isSafeInteger(arrearsCents) || arrearsCents <= 0)
    return { ok: false, field: 'arrearsCents', problem: `${why} Enter the account's arrears (the disputed amount included), so that the arrangement covers only the undisputed part.` };
  const undisputed = arrearsCents - dispute.totalCents;
  if (undisputed <= 0)
    return { ok: false, field: 'arrearsCents', problem: `${why} All of the arrears of ${rands(arrearsCents)} are disputed: there is nothing undisputed to arrange until the dispute is answered.` };
  if (debtCents > undisputed)
    return {
      ok: false,
      field: 'debtCents',
      problem: `${why} Leave the disputed part out: of arrears of ${rands(arrearsCents)}, ${rands(undisputed)} is undisputed and is the most an arrangement can cover.`,
    };
  return { ok: true, leftOut: { reference: dispute.reference, disputedCents: dispute.totalCents, arrearsCents } };
}
