/**
 * Follow-through measures (issue 19), per category and per expert, pure with time passed in:
 * cases an expert finished, of them closed at first contact (resolved or an arrangement, never
 * reopened, not referred), reopened (within the programme's period: reopening is refused after
 * it), referred to the back office, referrals overdue (still open past their due date, or done
 * after it), and the median days from referral to done. References and counts only (POPIA).
 */
import type { Outcome } from './case.js';

/** What the measures need of a case (a projection of the stored case; no personal details). */
export interface FollowCase {
  id: string;
  category: string;
  state: string;
  outcome?: Outcome;
  /** The expert who finished it (or, for a reopened case, the one who did before). */
  expert?: { staffId: string; name: string };
  referredAt?: string;
  dueAt?: string;
  referralDoneAt?: string;
  reopenedCount?: number;
}

/** One line of measures. */
export interface FollowMeasure {
  key: string;
  name: string;
  /** Cases an expert finished (resolved in a session; reopened ones included). */
  finished: number;
  firstContact: number;
  reopened: number;
  referred: number;
  overdue: number;
  /** Median whole-and-tenth days from referral to done, over the referrals done; absent when none is. */
  medianDaysToDone?: number;
}

/** The measures, per category (in the definition's order) and per expert (by name). */
export interface FollowMeasures {
  byCategory: FollowMeasure[];
  byExpert: FollowMeasure[];
  totals: Omit<FollowMeasure, 'key' | 'name'>;
}

const DAY_MS = 86_400_000;

/** The median: the middle value, or the mean of the two middle ones. */
function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function measure(cases: readonly FollowCase[], now: Date): Omit<FollowMeasure, 'key' | 'name'> {
  const finished = cases.filter((c) => c.outcome !== undefined || (c.reopenedCount ?? 0) > 0);
  const referred = finished.filter((c) => c.referredAt);
  const overdue = referred.filter((c) => c.dueAt && (c.referralDoneAt ? c.referralDoneAt >= c.dueAt : now.getTime() >= Date.parse(c.dueAt)));
  const days = referred.filter((c) => c.referralDoneAt).map((c) => (Date.parse(c.referralDoneAt!) - Date.parse(c.referredAt!)) / DAY_MS);
  const middle = median(days);
  return {
    finished: finished.length,
    firstContact: finished.filter((c) => (c.outcome === 'resolved' || c.outcome === 'arrangement_made') && !c.referredAt && !(c.reopenedCount ?? 0)).length,
    reopened: finished.filter((c) => (c.reopenedCount ?? 0) > 0).length,
    referred: referred.length,
    overdue: overdue.length,
    ...(middle !== undefined ? { medianDaysToDone: Math.round(middle * 10) / 10 } : {}),
  };
}

/** The measures of a set of cases at `now`. */
export function followMeasures(cases: readonly FollowCase[], categories: readonly { code: string; name: string }[], now: Date): FollowMeasures {
  const experts = new Map<string, string>();
  for (const c of cases) if (c.expert) experts.set(c.expert.staffId, c.expert.name);
  return {
    byCategory: categories.map((cat) => ({ key: cat.code, name: cat.name, ...measure(cases.filter((c) => c.category === cat.code), now) })),
    byExpert: [...experts.entries()]
      .sort((a, b) => a[1].localeCompare(b[1]))
      .map(([id, name]) => ({ key: id, name, ...measure(cases.filter((c) => c.expert?.staffId === id), now) })),
    totals: measure(cases, now),
  };
}
