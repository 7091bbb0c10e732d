/**
 * The supervisors' figures, pure and with time passed in: the live summary of a session (per
 * category waiting, longest wait, in progress, resolved, cancelled or no-show, agents active) and
 * the end-of-session report (totals per category, average and 90th-percentile wait, average
 * handling time, outcomes, satisfaction, carried over). Only references and counts: nothing here
 * carries a ratepayer's personal details, so all of it may be posted in a channel (POPIA).
 */
import type { CaseState, Outcome } from './case.js';
import { followMeasures, type FollowCase, type FollowMeasures } from './followThroughMeasures.js';

/** A case as the supervisors' figures see it: no intake, no ratepayer, no transcript. */
export interface SessionCase {
  id: string;
  category: string;
  region?: string;
  sessionId: string;
  state: CaseState;
  /** When the case joined the queue (kept across release and transfer). */
  queuedAt: string;
  /** When an expert first took it (claimed or assigned), if ever. */
  firstClaimedAt?: string;
  /**
   * Every spell the case spent in the queue, in order (ISO instants): from joining until an expert
   * took it (`taken`) or it closed, then again from each release, transfer or reopening; `to` is
   * absent while it waits. Absent: one spell, `queuedAt` until `firstClaimedAt` or `closedAt`
   * (waitSpells). Read from the audit trail (bot/platform/cosmos/supervisionStore.ts).
   */
  waits?: readonly WaitSpell[];
  assignedTo?: { staffId: string; name: string; since: string };
  /** Every expert who had the case, in order (a transferred case has two or more; a name may recur). */
  experts?: string[];
  /** The final outcome: the back office's, once it has finished a referral. */
  outcome?: Outcome;
  /** What the expert decided when they closed it (`referred_back_office` for a referral, kept after the back office's outcome). */
  expertOutcome?: Outcome;
  /** Minutes experts spent on it: all their finished turns together (case.ts expertSpells). */
  handlingMinutes?: number;
  closedAt?: string;
  survey?: { rating: number };
  /** The wait (minutes) the ratepayer was told when the case was queued, if recorded. */
  promisedWaitMinutes?: number;
  /** The ratepayer's language (issue 16: en, zu, af, …); absent: English. */
  language?: string;
  /** Follow-through (issue 19): the referral's instants, and how often the case was reopened. */
  referredAt?: string;
  /** The referral's due date as every screen and receipt shows it (a local date, "2026-12-14"). */
  dueDate?: string;
  /** When it is overdue: the start of the day after `dueDate`, in the programme's zone. */
  dueAt?: string;
  referralDoneAt?: string;
  reopenedCount?: number;
  /** The expert who finished it before it was reopened (a reopened case has no assignee). */
  previousExpert?: { staffId: string; name: string };
  /** The channel the case came from (its Bot Framework `channelId`: msteams, directline…), if read. */
  channelId?: string;
  /**
   * The session the case was carried over to when this one closed (case.ts carryOver). Such a case
   * is shown as it stood at the close: `state` waiting, its last wait ending then, not served. It
   * counts in this session's report (total, carried over, waits) but no longer waits in this
   * session's queue (tester 11: the closed session's report had lost everyone still waiting).
   */
  carriedTo?: string;
}

/** One spell of a case in the queue (SessionCase.waits). */
export interface WaitSpell {
  from: string;
  /** When it left the queue; absent while it waits. */
  to?: string;
  /** It left the queue because an expert took it (claimed or assigned), not because it closed. */
  taken?: boolean;
}

/** Per category, what the live summary card shows. */
export interface CategorySummary {
  code: string;
  name: string;
  waiting: number;
  /** Minutes the longest-waiting case has waited (0 when none waits). */
  longestWaitMinutes: number;
  /** How many waiting cases are past the category's wait limit. */
  overLimit: number;
  inProgress: number;
  /** Closed by an expert as resolved or with an arrangement made (the expert's outcome, closedAs). */
  resolved: number;
  /**
   * Closed by an expert with a referral to the back office (the expert's outcome, kept after the
   * back office's): not resolved for the ratepayer yet (tester 10, finding 14).
   */
  referred: number;
  /** Closed by an expert as not resolved (tester 11, finding 7: counted as resolved before). */
  notResolved: number;
  /** Cancelled by the ratepayer or closed as a no-show. */
  cancelledOrNoShow: number;
  /** Agents with the category's skill who are active (tab open or working a case). */
  agentsActive: number;
}

/** The live summary of a session. */
export interface LiveSummary {
  sessionId: string;
  categories: CategorySummary[];
  totals: Omit<CategorySummary, 'code' | 'name' | 'longestWaitMinutes'> & { longestWaitMinutes: number };
  /** Distinct agents active. */
  agentsActive: number;
  /** Waiting cases per ratepayer language (issue 16), most first, then by code; only languages with someone waiting. */
  waitingByLanguage: { code: string; waiting: number }[];
}

/** What the figures need to know about the programme. */
export interface FigureContext {
  categories: { code: string; name: string; waitLimitMinutes: number }[];
  staff: { id: string; role: 'agent' | 'supervisor'; skills: string[] }[];
}

const MINUTE = 60_000;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** Whole minutes between two instants (never negative). */
export function minutesBetween(from: string, to: Date | string): number {
  const end = typeof to === 'string' ? Date.parse(to) : to.getTime();
  return Math.max(0, Math.floor((end - Date.parse(from)) / MINUTE));
}

/** Minutes a case waited before an expert first took it (unrounded), or undefined if never taken. */
export function waitBeforeClaim(c: SessionCase): number | undefined {
  if (!c.firstClaimedAt) return undefined;
  return Math.max(0, (Date.parse(c.firstClaimedAt) - Date.parse(c.queuedAt)) / MINUTE);
}

/**
 * How much longer than told a ratepayer may wait and still have waited "within their estimate":
 * 5 minutes, the tolerance of `npm run bench -- --only eta` ("waited more than 5 minutes longer
 * than told" is a broken promise), since a ratepayer hears the wait rounded to 5 minutes.
 */
const PROMISE_GRACE_MINUTES = 5;

/** Of the cases an expert has taken that were told a wait at queueing: how many, and how many waited within it. */
export interface EstimatesKept {
  taken: number;
  withinEstimate: number;
}

/**
 * Whether the promise was kept, per case taken: the real wait (queued until an expert first took
 * it) at most PROMISE_GRACE_MINUTES longer than the wait told at queueing. Cases never taken, or
 * queued before waits were recorded, are left out.
 */
export function estimatesKept(cases: readonly SessionCase[]): EstimatesKept {
  let taken = 0;
  let withinEstimate = 0;
  for (const c of cases) {
    const waited = waitBeforeClaim(c);
    if (waited === undefined || typeof c.promisedWaitMinutes !== 'number') continue;
    taken++;
    if (waited <= c.promisedWaitMinutes + PROMISE_GRACE_MINUTES) withinEstimate++;
  }
  return { taken, withinEstimate };
}

/**
 * The p-th percentile by the nearest-rank method: the smallest value with at least p% of the
 * values at or below it (so it is always one of the values). Undefined for no values.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

function average(values: readonly number[]): number | undefined {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}

/**
 * The live summary. `cases` are the session's cases and every case still open; `activeAgents`
 * the ids of agents seen with the tab open (those working a case count too).
 */
export function liveSummary(sessionId: string, cases: readonly SessionCase[], context: FigureContext, activeAgents: readonly string[], now: Date): LiveSummary {
  const working = cases.filter((c) => c.state === 'in_progress' && c.assignedTo).map((c) => c.assignedTo!.staffId);
  const active = new Set([...activeAgents, ...working]);
  const agents = context.staff.filter((s) => s.role === 'agent' && active.has(s.id));
  const categories = context.categories.map((cat): CategorySummary => {
    const mine = cases.filter((c) => c.category === cat.code);
    const waiting = mine.filter(waitsHere);
    const waits = waiting.map((c) => minutesBetween(c.queuedAt, now));
    return {
      code: cat.code,
      name: cat.name,
      waiting: waiting.length,
      longestWaitMinutes: waits.length ? Math.max(...waits) : 0,
      overLimit: waits.filter((w) => w >= cat.waitLimitMinutes).length,
      inProgress: mine.filter((c) => c.state === 'in_progress').length,
      ...closedCounts(mine),
      cancelledOrNoShow: mine.filter((c) => c.state === 'cancelled' || c.state === 'no_show').length,
      agentsActive: agents.filter((a) => a.skills.includes(cat.code)).length,
    };
  });
  const sum = (k: 'waiting' | 'overLimit' | 'inProgress' | 'resolved' | 'referred' | 'notResolved' | 'cancelledOrNoShow') => categories.reduce((n, c) => n + c[k], 0);
  return {
    sessionId,
    categories,
    totals: {
      waiting: sum('waiting'),
      overLimit: sum('overLimit'),
      inProgress: sum('inProgress'),
      resolved: sum('resolved'),
      referred: sum('referred'),
      notResolved: sum('notResolved'),
      cancelledOrNoShow: sum('cancelledOrNoShow'),
      agentsActive: agents.length,
      longestWaitMinutes: Math.max(0, ...categories.map((c) => c.longestWaitMinutes)),
    },
    agentsActive: agents.length,
    waitingByLanguage: waitingByLanguage(cases),
  };
}

/**
 * How the expert closed a case: their outcome, kept when the back office later finishes a
 * referral (`expertOutcome`), so a referral the back office resolved still counts as the session's
 * referral. Every session figure reads this one outcome, so that "Resolved", "Referred" and the
 * outcome breakdown count the same cases (tester 11, finding 7). A closed case without an outcome
 * (written before outcomes were recorded) counts as resolved.
 */
function closedAs(c: Pick<SessionCase, 'outcome' | 'expertOutcome'>): Outcome {
  return c.expertOutcome ?? c.outcome ?? 'resolved';
}

/** The closed cases of `cases` by the expert's outcome: resolved (with an arrangement made too), referred, not resolved. */
function closedCounts(cases: readonly SessionCase[]): { resolved: number; referred: number; notResolved: number } {
  const closed = cases.filter((c) => c.state === 'resolved').map(closedAs);
  return {
    resolved: closed.filter((o) => o === 'resolved' || o === 'arrangement_made').length,
    referred: closed.filter((o) => o === 'referred_back_office').length,
    notResolved: closed.filter((o) => o === 'not_resolved').length,
  };
}

/** Whether the case waits in this session's queue now: waiting, and not carried over to a later session. */
export function waitsHere(c: Pick<SessionCase, 'state' | 'carriedTo'>): boolean {
  return c.state === 'waiting' && c.carriedTo === undefined;
}

/** Waiting cases per language, most first, then by code (issue 16: supervisors see who waits for which language). */
function waitingByLanguage(cases: readonly SessionCase[]): { code: string; waiting: number }[] {
  const counts = new Map<string, number>();
  for (const c of cases) if (waitsHere(c)) counts.set(c.language ?? 'en', (counts.get(c.language ?? 'en') ?? 0) + 1);
  return [...counts].map(([code, waiting]) => ({ code, waiting })).sort((a, b) => b.waiting - a.waiting || a.code.localeCompare(b.code));
}

/** A stable string of what the summary card shows: the card is updated only when this changes. */
export function summaryFingerprint(s: LiveSummary): string {
  return JSON.stringify([
    s.sessionId,
    s.agentsActive,
    s.categories.map((c) => [c.code, c.waiting, c.longestWaitMinutes, c.overLimit, c.inProgress, c.resolved, c.referred, c.notResolved, c.cancelledOrNoShow, c.agentsActive]),
    (s.waitingByLanguage ?? []).map((l) => [l.code, l.waiting]),
  ]);
}

/** One category's line of the end-of-session report. */
export interface CategoryReport {
  code: string;
  name: string;
  /** Cases of the category the report covers (queued in the session, closed in it, or still open). */
  total: number;
  /** Closed by an expert as resolved or with an arrangement made (the expert's outcome, closedAs). */
  resolved: number;
  /**
   * Closed by an expert with a referral to the back office: not resolved for the ratepayer yet
   * (tester 10, finding 14; the live summary counted them apart, the report did not).
   */
  referred: number;
  /** Closed by an expert as not resolved. */
  notResolved: number;
  cancelled: number;
  noShow: number;
  carriedOver: number;
  /** How many waits the wait figures are over: the cases an expert took. */
  waitsMeasured: number;
  averageWaitMinutes?: number;
  /** The 90th percentile (nearest rank): with fewer than 10 waits it is simply the longest. */
  p90WaitMinutes?: number;
  longestWaitMinutes?: number;
  averageHandlingMinutes?: number;
}

/** The end-of-session report. */
export interface SessionReport {
  sessionId: string;
  categories: CategoryReport[];
  totals: Omit<CategoryReport, 'code' | 'name'>;
  /** Cases the experts closed, by the expert's outcome (closedAs): the same cases as `resolved`, `referred` and `notResolved`. */
  outcomes: Record<Outcome, number>;
  satisfaction: { average?: number; count: number };
  /** Cases still waiting or with an expert when the session closed: they carry over to the next session. */
  carriedOver: { waiting: string[]; inProgress: string[] };
  /** Follow-through measures of the session's cases as of `now` (issue 19); absent without `now`. */
  followThrough?: FollowMeasures;
}

function categoryFigures(cases: readonly SessionCase[]): Omit<CategoryReport, 'code' | 'name'> {
  const waits = cases.map(waitBeforeClaim).filter((w): w is number => w !== undefined);
  const handling = cases.filter((c) => c.state === 'resolved' && typeof c.handlingMinutes === 'number').map((c) => c.handlingMinutes!);
  const avgWait = average(waits);
  const p90 = percentile(waits, 90);
  const avgHandling = average(handling);
  return {
    total: cases.length,
    ...closedCounts(cases),
    cancelled: cases.filter((c) => c.state === 'cancelled').length,
    noShow: cases.filter((c) => c.state === 'no_show').length,
    carriedOver: cases.filter((c) => c.state === 'waiting' || c.state === 'in_progress').length,
    waitsMeasured: waits.length,
    ...(avgWait !== undefined ? { averageWaitMinutes: round1(avgWait) } : {}),
    ...(p90 !== undefined ? { p90WaitMinutes: round1(p90) } : {}),
    ...(waits.length ? { longestWaitMinutes: round1(Math.max(...waits)) } : {}),
    ...(avgHandling !== undefined ? { averageHandlingMinutes: round1(avgHandling) } : {}),
  };
}

/**
 * The report of a session. Waits are measured from joining the queue to the first time an
 * expert took the case, over the cases an expert took; handling time is the minutes from the last
 * claim to closing, over the cases an expert closed (referrals included: the expert's time was
 * spent); satisfaction averages the surveys answered.
 */
export function sessionReport(sessionId: string, cases: readonly SessionCase[], context: FigureContext, now?: Date): SessionReport {
  const categories = context.categories.map((cat) => ({ code: cat.code, name: cat.name, ...categoryFigures(cases.filter((c) => c.category === cat.code)) }));
  const outcomes: Record<Outcome, number> = { resolved: 0, arrangement_made: 0, referred_back_office: 0, not_resolved: 0 };
  for (const c of cases) if (c.state === 'resolved') outcomes[closedAs(c)] += 1;
  const ratings = cases.map((c) => c.survey?.rating).filter((r): r is number => typeof r === 'number');
  const avgRating = average(ratings);
  return {
    sessionId,
    categories,
    totals: categoryFigures(cases),
    outcomes,
    satisfaction: { ...(avgRating !== undefined ? { average: Math.round(avgRating * 100) / 100 } : {}), count: ratings.length },
    carriedOver: {
      waiting: cases.filter((c) => c.state === 'waiting').map((c) => c.id).sort(),
      inProgress: cases.filter((c) => c.state === 'in_progress').map((c) => c.id).sort(),
    },
    ...(now ? { followThrough: followMeasures(cases.map(followCase), context.categories, now) } : {}),
  };
}

function followCase(c: SessionCase): FollowCase {
  const expert = c.state === 'resolved' && c.assignedTo ? { staffId: c.assignedTo.staffId, name: c.assignedTo.name } : c.previousExpert;
  return {
    id: c.id,
    category: c.category,
    state: c.state,
    ...(c.state === 'resolved' && c.outcome ? { outcome: c.outcome } : {}),
    ...(expert ? { expert } : {}),
    ...(c.referredAt ? { referredAt: c.referredAt } : {}),
    ...(c.dueAt ? { dueAt: c.dueAt } : {}),
    ...(c.referralDoneAt ? { referralDoneAt: c.referralDoneAt } : {}),
    ...(c.reopenedCount ? { reopenedCount: c.reopenedCount } : {}),
  };
}

/** One point of the queue-length chart: from `at` on, `waiting` cases waited (until the next point). */
export interface QueuePoint {
  at: string;
  waiting: number;
}

/**
 * When a session opens this long before its first case joins the queue, the chart starts at that
 * case instead (rounded down to 5 minutes): a session open all day (the local one runs 00:00–24:00)
 * drew fifteen empty hours and squeezed the afternoon's queue into the last pixels (tester 8,
 * finding 6).
 */
const EMPTY_OPENING_MINUTES = 60;

/**
 * A case's spells in the queue, [joined, left) in epoch ms (left: Infinity while it waits), and
 * whether an expert ended each: `waits` when known, else the first wait alone (until an expert
 * first took it or it closed).
 */
function waitSpells(c: SessionCase): { joined: number; left: number; taken: boolean }[] {
  if (c.waits?.length) return c.waits.map((w) => ({ joined: Date.parse(w.from), left: w.to ? Date.parse(w.to) : Infinity, taken: w.taken === true }));
  const endAt = c.firstClaimedAt ?? c.closedAt;
  return [{ joined: Date.parse(c.queuedAt), left: endAt ? Date.parse(endAt) : Infinity, taken: c.firstClaimedAt !== undefined }];
}

/**
 * Where the queue chart starts: the session's opening `opensAt`, or, when the first case of the
 * session joined more than EMPTY_OPENING_MINUTES after it, that case's joining rounded down to 5
 * minutes (never after `to`). Cases carried over from before the opening start it at the opening.
 */
function queueChartStart(cases: readonly SessionCase[], opensAt: Date, to: Date): Date {
  const open = opensAt.getTime();
  const joined = cases.flatMap(waitSpells).filter((w) => w.left > open).map((w) => w.joined);
  if (joined.length === 0) return opensAt;
  const first = Math.min(...joined);
  if (first - open <= EMPTY_OPENING_MINUTES * MINUTE) return opensAt;
  const step = 5 * MINUTE;
  return new Date(Math.min(to.getTime(), Math.floor(first / step) * step));
}

/**
 * The queue's length over the session as a step series, built from each case's own times, so it
 * is the same whenever it is drawn and a queue of any length or duration shows: a point at the
 * chart's start (queueChartStart), one at every instant the count changed (a case joined, or
 * left: taken by an expert or closed), giving the count from then on, and one at `to` (now, or
 * the close). Draw it as steps (each value holds until the next point), never by interpolating.
 * Instants are ISO strings. A case counts as waiting in each of its spells in the queue
 * (waitSpells): from joining until an expert took it or it closed, and again from each release,
 * transfer or reopening, as the table's "Waiting" counts it (only its first wait was drawn: a case
 * handed back was missing from the chart while it waited again; tester 9). Replaces a sampling every 5 to 30 minutes, which missed
 * two cases waiting 15:08–15:09 and, once the step grew, the one waiting until 15:15 (tester 8,
 * finding 6).
 */
export function queueLengthSeries(cases: readonly SessionCase[], opensAt: Date, to: Date): QueuePoint[] {
  const from = queueChartStart(cases, opensAt, to).getTime();
  const end = Math.max(from, to.getTime());
  const spans = cases.flatMap(waitSpells).filter((w) => w.left > w.joined).map((w) => [w.joined, w.left] as const);
  const count = (t: number) => spans.filter(([joined, left]) => joined <= t && t < left).length;
  const changes = new Set<number>();
  for (const [joined, left] of spans) for (const t of [joined, left]) if (t > from && t < end) changes.add(t);
  const out: QueuePoint[] = [{ at: new Date(from).toISOString(), waiting: count(from) }];
  for (const t of [...changes].sort((a, b) => a - b)) {
    const waiting = count(t);
    if (waiting !== out[out.length - 1]!.waiting) out.push({ at: new Date(t).toISOString(), waiting });
  }
  // The last point is always "now" (or the close), so the line runs to the queue as it is.
  if (end > from) out.push({ at: new Date(end).toISOString(), waiting: count(end) });
  return out;
}

/** Upper bounds (minutes) of the wait histogram's bars; the last bar is everything above. */
const WAIT_BUCKETS = [5, 10, 15, 20, 30, 45, 60] as const;

/** One bar of the wait histogram: a count of waits (a case handed back to the queue waits twice). */
export interface WaitBucket {
  label: string;
  /** Waits that ended with an expert taking the case after this long. */
  served: number;
  /** Waits this long now, or that ended with the case closed (cancelled, left) after this long. */
  notServed: number;
}

/**
 * The distribution of waits, each spell in the queue of each case (waitSpells): the ones an
 * expert ended by their length, the others by their length so far (or until the case closed). A
 * case released or transferred back to the queue counts its second wait too (tester 9: only the
 * first was counted, as taken, while the case waited again).
 */
export function waitDistribution(cases: readonly SessionCase[], now: Date): WaitBucket[] {
  const buckets: WaitBucket[] = WAIT_BUCKETS.map((max, i) => ({ label: `${i === 0 ? 0 : WAIT_BUCKETS[i - 1]}–${max} min`, served: 0, notServed: 0 }));
  buckets.push({ label: `over ${WAIT_BUCKETS[WAIT_BUCKETS.length - 1]} min`, served: 0, notServed: 0 });
  const place = (minutes: number) => {
    const i = WAIT_BUCKETS.findIndex((max) => minutes < max);
    return buckets[i === -1 ? buckets.length - 1 : i]!;
  };
  for (const w of cases.flatMap(waitSpells)) {
    const minutes = Math.max(0, (Math.min(w.left, now.getTime()) - w.joined) / MINUTE);
    if (w.taken) place(minutes).served += 1;
    else place(minutes).notServed += 1;
  }
  return buckets;
}
