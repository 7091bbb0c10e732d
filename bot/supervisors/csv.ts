/** The session's CSV export (GET /api/supervisor/cases.csv): references and figures only. */
import { localParts, type SessionSlot } from '../domain/calendar.js';
import { formatReference } from '../domain/reference.js';
import { waitBeforeClaim } from '../domain/sessionReport.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import type { SessionCaseReader } from '../platform/ports/supervision.js';
import { regionByCode } from './scope.js';

/**
 * The columns of the session's CSV export: no ratepayer's name, contact details, ID numbers or
 * free text. `agent`: every expert who had the case, in order, each once, joined by "; " (one cell, as
 * spreadsheets and reporting tools read a list); `handling_minutes`: all their finished turns
 * together; `outcome`: what the expert decided (`referred_back_office` stays so after the back
 * office finishes); `back_office_outcome`: the back office's final outcome of a referral.
 */
const CSV_COLUMNS = [
  'reference',
  'category',
  'region',
  'session',
  'state',
  'queued_at',
  'first_taken_at',
  'wait_minutes',
  'agent',
  'handling_minutes',
  'outcome',
  'closed_at',
  'satisfaction',
  // Issue 19: the back-office referral and reopening.
  'referred_at',
  // The due date as the tab, the back office and the receipt show it ("2026-12-14"), not the
  // instant it becomes overdue (the next day's 00:00, which a spreadsheet read as the next day:
  // tester 8, finding 9).
  'due_date',
  'referral_done_at',
  'reopened',
  // Tester 7 (finding 12): the back office's outcome overwrote the expert's referral. Last, so
  // a tool that reads the earlier columns by position still finds them.
  'back_office_outcome',
] as const;

/** The zone's offset from UTC at an instant, as ISO 8601 writes it: "+02:00", "-07:00", "+00:00". */
function utcOffset(at: Date, timeZone: string): string {
  const name = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const offset = name.replace('GMT', '');
  return offset === '' ? '+00:00' : offset;
}

/** One CSV cell: quoted when it needs it, spreadsheet formulas defused. */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  // Quote what needs it, and defuse spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The session's cases (of one region, with `region`) as CSV (RFC 4180, CRLF line ends). The
 * reference as staff see it everywhere ("K7M-3PQ"); times in the programme's zone as ISO 8601
 * with their offset ("2026-08-01T17:04+02:00"), so a spreadsheet elsewhere reads the same instant;
 * the due date a date ("2026-12-14"), the day it is due wherever it is read. Throws SupervisionError('invalid') for a region the programme does not have.
 */
export async function sessionCsv(definition: ServiceDefinition, reader: SessionCaseReader, session: SessionSlot, region?: string): Promise<string> {
  const scope = region ? regionByCode(definition, region) : undefined;
  const cases = (await reader.forSession(definition.programme.id, session)).filter((c) => !scope || c.region === scope.code);
  const tz = definition.timeZone;
  const local = (iso: string | undefined) => {
    if (!iso) return undefined;
    const at = new Date(iso);
    const p = localParts(at, tz);
    return `${p.date}T${p.time}${utcOffset(at, tz)}`;
  };
  const rows = [...cases]
    .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.id.localeCompare(b.id))
    .map((c) => {
      const wait = waitBeforeClaim(c);
      return [
        formatReference(c.id),
        c.category,
        c.region,
        c.sessionId,
        c.state,
        local(c.queuedAt),
        local(c.firstClaimedAt),
        wait === undefined ? undefined : Math.round(wait * 10) / 10,
        // Each expert once, in the order they first had it: a case transferred and taken again by
        // the same expert named them twice (tester 11, finding 12), where the API's `experts` lists each once.
        [...new Set(c.experts ?? (c.assignedTo ? [c.assignedTo.name] : []))].join('; ') || undefined,
        c.handlingMinutes,
        c.expertOutcome ?? c.outcome,
        local(c.closedAt),
        c.survey?.rating,
        local(c.referredAt),
        c.dueDate,
        local(c.referralDoneAt),
        c.reopenedCount ?? 0,
        c.referralDoneAt ? c.outcome : undefined,
      ]
        .map(csvCell)
        .join(',');
    });
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
