/** Small formatting helpers for the tab. */
import type { BackOfficeOutcome, Delivery, TranscriptEntry } from '../../bot/platform/contract/tabApi.js';
import { OUTCOME_LABELS as STAFF_OUTCOME_LABELS, STATE_LABELS as STAFF_STATE_LABELS } from '../../bot/platform/contract/staffWords.js';
import { staffDay, staffDayOf } from '../../bot/domain/dayWords.js';

/** "K7M3PQ" → "K7M-3PQ". */
export function displayReference(ref: string): string {
  return ref.length === 6 ? `${ref.slice(0, 3)}-${ref.slice(3)}` : ref;
}

/** A wait as "45 s", "12 min" or "1 h 05 min". */
export function formatWait(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The programme's time zone (GET /api/config), once known; until then the browser's. */
let programmeTimeZone: string | undefined;

/**
 * Shows every time in the programme's zone from now on: an agent working from another zone (or a
 * browser set to UTC) reads the session's times as the ratepayers and supervisors do.
 */
export function showTimesIn(timeZone: string): void {
  programmeTimeZone = timeZone;
}

/** A time as the agent reads it: "14 Aug, 17:32", in the programme's zone (showTimesIn). */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString('en-ZA', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', ...(programmeTimeZone ? { timeZone: programmeTimeZone } : {}) });
}

/**
 * A date (YYYY-MM-DD: a due date, already the programme's local date) as staff read it
 * everywhere: "Mon, 14 Dec 2026" (bot/domain/dayWords.ts: the service words its refusals the same way).
 */
export function formatDay(date: string): string {
  return staffDay(date);
}

/** The day of an instant (ISO) in the programme's zone (showTimesIn), as formatDay writes days: an escalation's day. */
export function formatDayOf(iso: string): string {
  return staffDayOf(iso, programmeTimeZone);
}

/** Today's date in the programme's zone (showTimesIn), "YYYY-MM-DD", as due dates are written. */
export function todayInProgramme(now: number = Date.now()): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...(programmeTimeZone ? { timeZone: programmeTimeZone } : {}) })
      .formatToParts(new Date(now))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** An instant as the time of day only ("11:23", 24-hour), in the programme's time zone: for what happened today on an open case. */
export function formatClock(iso: string): string {
  return new Date(iso).toLocaleTimeString('en-ZA', { hour: '2-digit', minute: '2-digit', hour12: false, ...(programmeTimeZone ? { timeZone: programmeTimeZone } : {}) });
}

/** Outcome codes in words: the same words the supervisors' cards use (bot/platform/contract/staffWords.ts). */
export const OUTCOME_LABELS: Readonly<Record<string, string>> = STAFF_OUTCOME_LABELS;

/** Case states in words (bot/platform/contract/staffWords.ts). */
export const STATE_LABELS: Readonly<Record<string, string>> = STAFF_STATE_LABELS;

/**
 * Where a case stands, as the search results and the case page both say it: its state, and what
 * was decided. A referral names the back office's team and its outcome apart from the expert's
 * referral ("Referred to the back office (Revenue back office) · Back office: Resolved"; tester 8
 * read "Resolved · Resolved"), or that the team still has it. A closed case ("Resolved") says its
 * outcome only, not the state again.
 */
export function standingInWords(c: { state: string; outcome?: string; referredTo?: BackOfficeOutcome }): string {
  const decided = decidedInWords(c);
  const state = STATE_LABELS[c.state] ?? c.state;
  if (!decided) return state;
  return c.state === 'resolved' ? decided : `${state} · ${decided}`;
}

/**
 * What was decided (see standingInWords), without the state; undefined while nothing is. `due`:
 * the date the referral is due by, as shown ("Mon, 14 Dec 2026"), said after the referral.
 */
export function decidedInWords(c: { outcome?: string; referredTo?: BackOfficeOutcome }, due?: string): string | undefined {
  const by = due ? `, due ${due}` : '';
  if (c.referredTo) return `${OUTCOME_LABELS.referred_back_office}${by} (${c.referredTo.team}) · Back office: ${c.referredTo.outcome ? OUTCOME_LABELS[c.referredTo.outcome] : 'still open'}`;
  return c.outcome ? `${OUTCOME_LABELS[c.outcome]}${by}` : undefined;
}

/** Every expert who handled the case, in order ("Thandi Mokoena, Sipho Dlamini"), else the assignee; undefined when none. */
export function handledBy(c: { experts?: string[]; assignedTo?: string | { name: string } }): string | undefined {
  if (c.experts?.length) return c.experts.join(', ');
  return typeof c.assignedTo === 'string' ? c.assignedTo : c.assignedTo?.name;
}

/**
 * Who had a case, in the words of its caption: "Handled by X" once it is closed or with an
 * expert, but "Waiting for an expert, earlier with X" for a case back in a queue (moved to
 * another category or released): no one handles it now (tester 10, finding 14). Undefined when
 * no expert ever had it.
 */
export function handlerInWords(c: { state?: string; experts?: string[]; assignedTo?: string | { name: string } }): string | undefined {
  const who = handledBy(c);
  if (!who) return undefined;
  return c.state === 'waiting' ? `Waiting for an expert, earlier with ${who}` : `Handled by ${who}`;
}

/**
 * How long a message to the ratepayer may go without a recorded outcome before the tab says so.
 * The bot retries a message for up to 15 minutes (the messenger's outage budget) and then records
 * delivered or failed; with nothing recorded after that, the instance sending it most likely
 * stopped part-way (a restart, a crash), and the agent should not keep waiting for a tick.
 */
export const UNCONFIRMED_AFTER_MS = 16 * 60_000;

/** What the tab shows of a message's delivery: nothing for the ratepayer's own messages. */
export function deliveryStatus(m: Pick<TranscriptEntry, 'from' | 'at'> & { delivery?: Delivery }, nowMs: number): 'delivered' | 'failed' | 'sending' | 'unconfirmed' | undefined {
  if (m.from === 'ratepayer') return undefined;
  if (m.delivery) return m.delivery.status;
  return nowMs - Date.parse(m.at) > UNCONFIRMED_AFTER_MS ? 'unconfirmed' : 'sending';
}

/** Characters as people count them (an emoji or "é" counts once): the count the service checks. */
function characterCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

/**
 * What to tell someone whose text is over a box's limit, or nothing when it fits. The boxes have
 * no maxLength: a browser would cut a pasted text silently; the text stays and this says by how much.
 */
export function overLimit(text: string, limit: number): string | undefined {
  const n = characterCount(text.trim());
  if (n <= limit) return undefined;
  return `This is ${grouped(n)} characters; the most is ${grouped(limit)}. Shorten it by ${grouped(n - limit)} to send it — nothing you typed is lost.`;
}
