/**
 * Repayment arrangements within the City's published limits (issue 20). Pure; every amount in
 * integer cents (bot/domain/money.ts).
 *
 * The limits (the City of Johannesburg's standard procedure for arrangements: domestic 3–36
 * months; ESP customers and pensioners up to 60 months; business 50 % down and up to 12 months)
 * arrive as data from the definition's `rules.arrangements` (docs/domain-rules.md): nothing here
 * knows those numbers.
 */
import type { CityRules } from './serviceDefinition.js';

/** The account types the City's procedure distinguishes. */
export const ACCOUNT_TYPES = ['domestic', 'esp', 'pensioner', 'business'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** One account type's limits: the term in whole months and the share due up front in whole percent. */
type ArrangementLimits = CityRules['arrangements'][AccountType];

/** Consecutive monthly instalments of the same amount (cents). */
interface InstalmentRun {
  count: number;
  amountCents: number;
}

/** The largest debt the calculator takes: R100 million, far above any household account; keeps cents × 100 exact. */
export const MAX_DEBT_CENTS = 10_000_000_000;

/**
 * A plan. Invariant: `downPaymentCents + Σ run.count × run.amountCents === debtCents`, the runs'
 * counts add up to `months`, and instalments differ by at most one cent (the larger first).
 */
export interface ArrangementPlan {
  accountType: AccountType;
  debtCents: number;
  downPaymentCents: number;
  months: number;
  /** The largest monthly instalment: what the ratepayer must budget for, cents. */
  instalmentCents: number;
  runs: InstalmentRun[];
  /** Monthly household income the share was worked out on, cents, when given. */
  monthlyIncomeCents?: number;
  /** The largest instalment as a share of monthly income, in basis points (1 % = 100), when income > 0 was given. */
  affordabilityBasisPoints?: number;
}

/** Why no plan: the debt is not a whole positive number of cents (or above MAX_DEBT_CENTS), the term is outside the limits, or fewer cents are left than months. */
export type ArrangementError =
  | { code: 'debtInvalid' }
  | { code: 'incomeInvalid' }
  | { code: 'termOutOfRange'; minMonths: number; maxMonths: number }
  | { code: 'debtTooSmallForTerm'; maxMonths: number };

export type ArrangementResult = { ok: true; plan: ArrangementPlan } | { ok: false; error: ArrangementError };

/** What the expert enters or confirms on the case page. */
export interface ArrangementInput {
  accountType: AccountType;
  /** Arrears to repay, integer cents, 1 … MAX_DEBT_CENTS. */
  debtCents: number;
  /** The term, whole months. */
  months: number;
  /** The household's monthly income, integer cents ≥ 0, when known. */
  monthlyIncomeCents?: number;
  /**
   * The account's arrears, the disputed amount included, integer cents: required while a dispute
   * is open on the case, when the arrangement may cover only the undisputed part
   * (dispute.ts `arrangementBesideDispute`); not part of the plan's arithmetic.
   */
  arrearsCents?: number;
}

/**
 * A plan for `input` under `limits` (the account type's entry of `rules.arrangements`).
 * The down payment is rounded up to the cent (the City's share is never short); the rest is
 * spread so that instalments differ by at most one cent, the larger ones first, and everything
 * adds up to the debt exactly.
 */
export function calculateArrangement(input: ArrangementInput, limits: ArrangementLimits): ArrangementResult {
  const { debtCents, months, monthlyIncomeCents } = input;
  if (!Number.isSafeInteger(debtCents) || debtCents <= 0 || debtCents > MAX_DEBT_CENTS) return { ok: false, error: { code: 'debtInvalid' } };
  if (monthlyIncomeCents !== undefined && (!Number.isSafeInteger(monthlyIncomeCents) || monthlyIncomeCents < 0))
    return { ok: false, error: { code: 'incomeInvalid' } };
  if (!Number.isInteger(months) || months < limits.minMonths || months > limits.maxMonths)
    return { ok: false, error: { code: 'termOutOfRange', minMonths: limits.minMonths, maxMonths: limits.maxMonths } };
  const downPaymentCents = Math.ceil((debtCents * limits.downPaymentPercent) / 100);
  const rest = debtCents - downPaymentCents;
  if (rest > 0 && rest < months) return { ok: false, error: { code: 'debtTooSmallForTerm', maxMonths: rest } };
  const base = Math.floor(rest / months);
  const larger = rest % months;
  const runs: InstalmentRun[] = [];
  if (larger > 0) runs.push({ count: larger, amountCents: base + 1 });
  if (base > 0 && months > larger) runs.push({ count: months - larger, amountCents: base });
  const instalmentCents = runs[0]?.amountCents ?? 0;
  const plan: ArrangementPlan = { accountType: input.accountType, debtCents, downPaymentCents, months, instalmentCents, runs };
  if (monthlyIncomeCents !== undefined) {
    plan.monthlyIncomeCents = monthlyIncomeCents;
    if (monthlyIncomeCents > 0) plan.affordabilityBasisPoints = Math.round((instalmentCents * 10_000) / monthlyIncomeCents);
  }
  return { ok: true, plan };
}

/**
 * The shortest term within the limits whose instalment is at most `monthlyBudgetCents` (what the
 * ratepayer proposed, or a share of income the expert chose), else the longest term allowed:
 * the expert's starting point, which they may change. Same errors as calculateArrangement.
 */
export function suggestTerm(input: Omit<ArrangementInput, 'months'>, limits: ArrangementLimits, monthlyBudgetCents: number): ArrangementResult {
  for (let months = limits.minMonths; months <= limits.maxMonths; months++) {
    const result = calculateArrangement({ ...input, months }, limits);
    if (!result.ok) {
      if (result.error.code === 'debtTooSmallForTerm') return calculateArrangement({ ...input, months: Math.max(limits.minMonths, months - 1) }, limits);
      return result;
    }
    if (result.plan.instalmentCents <= monthlyBudgetCents) return result;
  }
  return calculateArrangement({ ...input, months: limits.maxMonths }, limits);
}

/** The limits of an account type in the definition's rules. */
export function limitsFor(rules: CityRules, accountType: AccountType): ArrangementLimits {
  return rules.arrangements[accountType];
}
