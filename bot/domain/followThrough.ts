/**
 * Follow-through after the session (issue 19): the back-office stage of a case, its due dates,
 * reminders and escalation ladder, the ratepayer's updates and receipts, "done", "needs more
 * time" and reopening. Pure: time is passed in; the rules' figures come from the definition's
 * `followThrough` block (serviceDefinition.ts). A referral is general (an owner team, a due date,
 * updates, escalations): a back-office query, or another engineer's dispute investigation.
 *
 * Dates: a due date is a local date in the programme's zone (`YYYY-MM-DD`); the case is overdue
 * from the start of the following local day (`dueAt`). Days are counted as calendar days, or as
 * business days (no Saturday, no Sunday, no holiday of the definition's calendar) when
 * `followThrough.businessDays` is set.
 */
import { instantAt, localParts } from './calendar.js';
import {
  CaseRuleError,
  closeForGood,
  isClosed,
  recordChange,
  withReceipt,
  type Actor,
  type Case,
  type Outcome,
  type Referral,
  type SummaryInLanguage,
} from './case.js';
import type { FollowThroughRules, ServiceDefinition } from './serviceDefinition.js';
import { formatDisputeReference } from './dispute.js';
import { staffDay } from './dayWords.js';

/** What the day arithmetic needs from a definition. */
export type FollowThroughInput = Pick<ServiceDefinition, 'timeZone' | 'calendar' | 'followThrough'>;

const DAY_MS = 86_400_000;

function dateToUtc(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

function utcToDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whether a local date is a business day: not a Saturday or Sunday, not a holiday of the calendar. */
function isBusinessDay(date: string, holidays: readonly { date: string }[]): boolean {
  const weekday = new Date(dateToUtc(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.some((h) => h.date === date);
}

/**
 * The local date `days` days after `date` (before it, when negative): calendar days, or business
 * days (the result is then itself a business day; zero business days from a weekend or holiday is
 * the next business day).
 */
export function addDays(date: string, days: number, business: boolean, holidays: readonly { date: string }[]): string {
  if (!business) return utcToDate(dateToUtc(date) + days * DAY_MS);
  const step = days < 0 ? -1 : 1;
  let ms = dateToUtc(date);
  let left = Math.abs(days);
  if (left === 0) {
    while (!isBusinessDay(utcToDate(ms), holidays)) ms += DAY_MS;
    return utcToDate(ms);
  }
  while (left > 0) {
    ms += step * DAY_MS;
    if (isBusinessDay(utcToDate(ms), holidays)) left--;
  }
  return utcToDate(ms);
}

/** The instant a due date has passed: the start of the following local day in the programme's zone. */
export function overdueFrom(dueDate: string, timeZone: string): Date {
  return instantAt(utcToDate(dateToUtc(dueDate) + DAY_MS), '00:00', timeZone);
}

/** The owning team and due date of a new referral of a category, from the definition. */
export function referralFor(
  def: FollowThroughInput,
  category: string,
  now: Date,
  subject = 'back-office query',
): Pick<Referral, 'subject' | 'team' | 'dueDate' | 'dueAt'> {
  const rules = def.followThrough;
  const rule = rules.referrals[category] ?? rules.defaultReferral;
  const team = rules.teams.find((t) => t.code === rule.team) ?? rules.teams[0]!;
  const today = localParts(now, def.timeZone).date;
  const dueDate = addDays(today, rule.responseDays, rules.businessDays, def.calendar.holidays);
  return { subject, team: { code: team.code, name: team.name }, dueDate, dueAt: overdueFrom(dueDate, def.timeZone).toISOString() };
}

/**
 * The referral a case gets when the expert refers it (issue 19), from the definition; a case with
 * an open billing dispute (issue 20) gets the dispute's: its subject names the dispute and its due
 * date is the dispute's investigation deadline (the City's by-laws: 14 days, `investigationDueOn`),
 * so the back office owns the investigation and its deadline, with the reminders and escalations.
 */
export function referralForCase(def: FollowThroughInput, c: Pick<Case, 'category' | 'dispute'>, now: Date): Pick<Referral, 'subject' | 'team' | 'dueDate' | 'dueAt'> {
  const d = c.dispute;
  if (!d || d.settledAt) return referralFor(def, c.category, now);
  return { ...referralFor(def, c.category, now), subject: `dispute ${d.reference}`, dueDate: d.investigationDueOn, dueAt: overdueFrom(d.investigationDueOn, def.timeZone).toISOString() };
}

/** Where a case stands, as the ratepayer's status and the back-office view say it. */
export type FollowStage = 'waiting' | 'with_expert' | 'back_office' | 'overdue' | 'escalated' | 'done';

/** The stage of a case at `now`. */
export function stageOf(c: Pick<Case, 'state' | 'referral'>, now: Date): FollowStage {
  if (c.state === 'waiting') return 'waiting';
  if (c.state === 'in_progress') return 'with_expert';
  const r = c.referral;
  if (!r || r.done) return 'done';
  if (currentEscalations(r).length > 0) return 'escalated';
  return now.getTime() >= Date.parse(r.dueAt) ? 'overdue' : 'back_office';
}

/** Whether a case has a referral still open with the back office. */
function hasOpenReferral(c: Pick<Case, 'referral'>): boolean {
  return !!c.referral && !c.referral.done;
}

/** The escalations reached under the referral's current due date. */
function currentEscalations(r: Referral): Referral['escalations'] {
  return r.escalations.filter((e) => e.dueDate === r.dueDate);
}

/**
 * When each level of the ladder is reached for a due date: the first at the due date's passing,
 * each next one when the previous level's days have passed too (counted like the response time).
 */
function escalationTimes(dueDate: string, def: FollowThroughInput): { code: string; name: string; at: Date }[] {
  const rules = def.followThrough;
  let date = dueDate;
  return rules.escalation.map((step, i) => {
    if (i > 0) date = addDays(date, rules.escalation[i - 1]!.days, rules.businessDays, def.calendar.holidays);
    return { code: step.code, name: step.name, at: overdueFrom(date, def.timeZone) };
  });
}

/** The instant the owning team is reminded of the due date: the start of `remindDaysBefore` days before it. */
function reminderAt(dueDate: string, def: FollowThroughInput): Date {
  const rules = def.followThrough;
  const day = addDays(dueDate, -rules.remindDaysBefore, rules.businessDays, def.calendar.holidays);
  return instantAt(day, '00:00', def.timeZone);
}

/** Whether the team is to be reminded now: from the reminder instant until the due date passes, once per due date. */
export function reminderDue(c: Pick<Case, 'referral'>, def: FollowThroughInput, now: Date): boolean {
  const r = c.referral;
  if (!r || r.done || r.remindedFor === r.dueDate) return false;
  return now.getTime() >= reminderAt(r.dueDate, def).getTime() && now.getTime() < Date.parse(r.dueAt);
}

/** The levels of the ladder due at `now` and not yet reached under the current due date, in order. */
export function escalationsDue(c: Pick<Case, 'referral'>, def: FollowThroughInput, now: Date): { code: string; name: string; at: Date }[] {
  const r = c.referral;
  if (!r || r.done) return [];
  const reached = new Set(currentEscalations(r).map((e) => e.code));
  return escalationTimes(r.dueDate, def).filter((step) => step.at.getTime() <= now.getTime() && !reached.has(step.code));
}

const SCHEDULER: Actor = { kind: 'system', id: 'follow-through', name: 'Follow-through scheduler' };

function requireOpenReferral(c: Case): Referral {
  if (!c.referral) throw new CaseRuleError('This case was not referred to the back office.', 'invalid');
  if (c.referral.done) throw new CaseRuleError('The back office has already finished this case.', 'closed');
  return c.referral;
}

/** Records that the owning team was reminded of the current due date (once per due date). */
export function recordReminder(c: Case, now: Date): Case {
  const r = requireOpenReferral(c);
  if (r.remindedFor === r.dueDate) throw new CaseRuleError('The team was already reminded of this due date.', 'already_done');
  return { ...recordChange(c, now, SCHEDULER, 'reminded', `${r.team.name}, due ${r.dueDate}`), referral: { ...r, remindedFor: r.dueDate } };
}

/** Records the escalation levels due now (escalationsDue); CaseRuleError 'already_done' when none is. */
export function escalate(c: Case, def: FollowThroughInput, now: Date): Case {
  const r = requireOpenReferral(c);
  const due = escalationsDue(c, def, now);
  if (due.length === 0) throw new CaseRuleError('No escalation is due.', 'already_done');
  let next: Case = c;
  for (const step of due) next = recordChange(next, now, SCHEDULER, 'escalated', `to ${step.name} (due ${r.dueDate} passed)`);
  const at = now.toISOString();
  return { ...next, referral: { ...r, escalations: [...r.escalations, ...due.map((s) => ({ at, code: s.code, name: s.name, dueDate: r.dueDate }))] } };
}

/** The back office keeps an internal note on a referred case (never shown to the ratepayer). */
export function addReferralNote(c: Case, now: Date, by: Actor, text: string): Case {
  requireOpenReferral(c);
  const trimmed = text.trim();
  if (!trimmed) throw new CaseRuleError('Write the note.', 'invalid');
  return { ...recordChange(c, now, by, 'note added'), notes: [...(c.notes ?? []), { at: now.toISOString(), by, text: trimmed }] };
}

/** The back office relays a message to the ratepayer (the service sends it to their channel). */
export function updateRatepayer(c: Case, now: Date, by: Actor, text: string): Case {
  const r = requireOpenReferral(c);
  const trimmed = text.trim();
  if (!trimmed) throw new CaseRuleError('Write the update for the ratepayer.', 'invalid');
  return { ...recordChange(c, now, by, 'ratepayer updated'), referral: { ...r, updates: [...r.updates, { at: now.toISOString(), by, text: trimmed }] } };
}

/**
 * "Needs more time": a new due date (a local date after the current one and not in the past) with
 * a reason the ratepayer is told in a receipt. The ladder starts again from the new due date.
 * For the referral of an open dispute, never past the dispute's `investigationDueOn` (the by-laws'
 * 14 days allow no extension: docs/domain-rules.md); CaseRuleError 'invalid' otherwise.
 */
export function extendReferral(c: Case, def: FollowThroughInput, now: Date, by: Actor, dueDate: string, reason: string): Case {
  const r = requireOpenReferral(c);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dueDate) || !Number.isFinite(dateToUtc(dueDate)) || utcToDate(dateToUtc(dueDate)) !== dueDate)
    throw new CaseRuleError('Give the new due date as a date, e.g. 2022-08-30.', 'invalid');
  if (dueDate <= r.dueDate) throw new CaseRuleError(`The new due date must be after the current one (${staffDay(r.dueDate)}).`, 'invalid');
  if (dueDate < localParts(now, def.timeZone).date) throw new CaseRuleError('The new due date is in the past.', 'invalid');
  // A dispute's investigation date is the by-laws' (14 days, dispute.ts), which provide no extension
  // (docs/domain-rules.md): the referral that investigates it cannot be given a later date, so the
  // ratepayer's written deadline, the referral's due date and the disputes export stay the same day.
  const d = c.dispute;
  if (d && !d.settledAt && dueDate > d.investigationDueOn)
    throw new CaseRuleError(
      `Dispute ${formatDisputeReference(d.reference)} must be investigated and the ratepayer told the outcome in writing by ${staffDay(d.investigationDueOn)} (the City's by-laws), ` +
        `and the by-laws allow no extension: give ${staffDay(d.investigationDueOn)} or an earlier date, or mark the referral done with the outcome reached. ` +
        'After that date the ratepayer may hold the City to its deadline; from the appeal date they may appeal to the Municipal Manager.',
      'invalid',
    );
  const why = reason.trim();
  if (!why) throw new CaseRuleError('Say why more time is needed: the ratepayer is told.', 'invalid');
  const extended: Case = {
    ...recordChange(c, now, by, 'more time', `due ${r.dueDate} → ${dueDate}`),
    outcome: c.outcome ? { ...c.outcome, dueDate } : c.outcome,
    referral: {
      ...r,
      dueDate,
      dueAt: overdueFrom(dueDate, def.timeZone).toISOString(),
      extensions: [...r.extensions, { at: now.toISOString(), by, from: r.dueDate, to: dueDate, reason: why }],
    },
  };
  return withReceipt(extended, now, { kind: 'more_time', team: r.team.name, dueDate, reason: why });
}

/**
 * The back office is done: the final outcome (not another referral) and a summary for the
 * ratepayer; the case is really done (receipt written, retention starts). An open dispute on the
 * case is settled with it (`dispute.settledAt`, on the audit trail): its investigation was this referral.
 */
export function completeReferral(
  c: Case,
  now: Date,
  by: Actor,
  outcome: { kind: Exclude<Outcome, 'referred_back_office'>; summary: string } & SummaryInLanguage,
  retentionDays: number,
): Case {
  const r = requireOpenReferral(c);
  if ((outcome.kind as Outcome) === 'referred_back_office') throw new CaseRuleError('Choose the final outcome.', 'invalid');
  const summary = outcome.summary.trim();
  if (!summary) throw new CaseRuleError('Write what was decided: the ratepayer receives it.', 'invalid');
  let done: Case = {
    ...recordChange(c, now, by, 'back office done', outcome.kind),
    // The decision in the ratepayer's language, or that it could not be put there, as a resolution's summary (Case.outcome).
    outcome: { kind: outcome.kind, summary, ...(outcome.translated ? { translated: outcome.translated } : {}), ...(outcome.untranslated ? { untranslated: outcome.untranslated } : {}) },
    referral: { ...r, done: { at: now.toISOString(), by } },
  };
  // Issue 20: the investigation was the referral's; its answer settles the dispute (it leaves the hand-over export).
  if (done.dispute && !done.dispute.settledAt)
    done = { ...recordChange(done, now, by, 'dispute settled', done.dispute.reference), dispute: { ...done.dispute, settledAt: now.toISOString() } };
  return closeForGood(done, now, retentionDays, { kind: 'done', outcome: outcome.kind, summary, team: r.team.name });
}

/** Whether the ratepayer may still reopen the case: resolved, done, and within the programme's reopen period. */
export function mayReopen(c: Pick<Case, 'state' | 'doneAt' | 'referral'>, rules: Pick<FollowThroughRules, 'reopenDays'>, now: Date): 'yes' | 'not_done' | 'too_late' | 'not_resolved' {
  if (c.state !== 'resolved') return c.state === 'waiting' || c.state === 'in_progress' ? 'not_done' : 'not_resolved';
  if (!c.doneAt || hasOpenReferral(c)) return 'not_done';
  return now.getTime() - Date.parse(c.doneAt) <= rules.reopenDays * DAY_MS ? 'yes' : 'too_late';
}

/**
 * Whether a new case may follow `earlier` (issue 19: "after the period the ratepayer can open a new
 * case linked to the old one"): the earlier case was opened from the same chat and is finished for
 * good (closed, and not with the back office). Within the reopen period the ratepayer reopens it
 * instead, but a link then is harmless, so the period is not checked here.
 */
export function mayFollow(earlier: Pick<Case, 'state' | 'referral' | 'ratepayer'>, conversationId: string): boolean {
  return earlier.ratepayer.conversationId === conversationId && isClosed(earlier) && !hasOpenReferral(earlier);
}

/**
 * Records on the earlier case that `laterId` follows it (its audit trail says so). Unchanged (the
 * same object) when it is already recorded, so a repeated submission links once.
 */
export function linkFollowingCase(earlier: Case, now: Date, by: Actor, laterId: string): Case {
  if (earlier.followedBy?.includes(laterId)) return earlier;
  return { ...recordChange(earlier, now, by, 'followed by', `case ${laterId}`), followedBy: [...(earlier.followedBy ?? []), laterId] };
}

/** Queue keys of reopened cases start with this: it sorts before carried-over ("!") and new cases. */
const REOPENED_PREFIX = '!!';

/**
 * The ratepayer says the case is not resolved: it waits again at the front of its category's queue
 * (for `sessionId`, the open or next session), the earlier expert preferred; it is no longer done,
 * so its retention stops (CaseRuleError unless mayReopen says yes).
 */
export function reopenCase(c: Case, now: Date, by: Actor, rules: Pick<FollowThroughRules, 'reopenDays'>, sessionId: string): Case {
  const may = mayReopen(c, rules, now);
  if (may === 'too_late') throw new CaseRuleError(`A case can be reopened within ${rules.reopenDays} days of its outcome.`, 'closed');
  if (may !== 'yes') throw new CaseRuleError('Only a finished, resolved case can be reopened.', 'invalid');
  const at = now.toISOString();
  const { closedAt: _c, doneAt: _d, retentionDays: _r, assignedTo, outcome, referral: _ref, ...rest } = c;
  const preferred = assignedTo ? { staffId: assignedTo.staffId, name: assignedTo.name } : lastExpert(c);
  return {
    ...recordChange(rest as Case, now, by, 'reopened', outcome?.kind),
    state: 'waiting',
    sessionId,
    queueKey: `${REOPENED_PREFIX}${at}~${c.id}`,
    reopened: {
      at,
      count: (c.reopened?.count ?? 0) + 1,
      ...(outcome ? { previousOutcome: outcome.kind } : {}),
      ...(preferred ? { preferred } : {}),
    },
  };
}

function lastExpert(c: Case): { staffId: string; name: string } | undefined {
  const claim = [...c.audit].reverse().find((e) => e.by.kind === 'staff' && (e.action === 'claimed' || e.action === 'resolved'));
  return claim ? { staffId: claim.by.id, name: claim.by.name } : undefined;
}

/** How long a reopened case is kept for its earlier expert, when on duty, before anyone may take it. */
const PREFERRED_EXPERT_MINUTES = 15;

/**
 * Whether an agent may take a waiting case now as far as the earlier-expert preference goes: a
 * reopened case goes to its earlier expert when they are on duty, for PREFERRED_EXPERT_MINUTES
 * after reopening; after that (or when they are not on duty) to anyone skilled.
 */
export function preferenceAllows(c: Pick<Case, 'reopened'>, agentId: string, onDuty: ReadonlySet<string>, now: Date): boolean {
  const p = c.reopened?.preferred;
  if (!p || p.staffId === agentId || !onDuty.has(p.staffId)) return true;
  return now.getTime() - Date.parse(c.reopened!.at) >= PREFERRED_EXPERT_MINUTES * 60_000;
}

/** Receipts not yet delivered to the ratepayer's chat, or (`email`: an address and a sender exist) by email. */
export function unsentReceipts(c: Pick<Case, 'receipts'>, email = false): NonNullable<Case['receipts']> {
  return (c.receipts ?? []).filter((r) => !r.sent?.chat || (email && !r.sent?.email));
}

/**
 * Clears `receiptsPending` when no receipt has anywhere left to go (`email`: whether receipts go
 * by email for this case): an email copy (issue 20's rules receipts) for a service that sends no
 * email. Undefined when there is nothing to change.
 */
export function settleReceiptsPending(c: Case, email: boolean): Case | undefined {
  if (!c.receiptsPending || unsentReceipts(c, email).length > 0) return undefined;
  const { receiptsPending: _was, ...rest } = c;
  return rest;
}

/**
 * Records that a receipt reached the chat and/or email; `receiptsPending` stays while any receipt
 * still has somewhere to go (`email`: whether receipts go by email for this case).
 */
export function markReceiptSent(c: Case, receiptId: string, now: Date, where: { chat?: boolean; email?: boolean }, email = false): Case {
  const at = now.toISOString();
  const receipts = (c.receipts ?? []).map((r) =>
    r.id === receiptId ? { ...r, sent: { ...r.sent, ...(where.chat ? { chat: at } : {}), ...(where.email ? { email: at } : {}) } } : r,
  );
  const { receiptsPending: _was, ...rest } = c;
  return { ...rest, receipts, ...(unsentReceipts({ receipts }, email).length > 0 ? { receiptsPending: true } : {}) };
}
