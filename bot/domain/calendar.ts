/**
 * Sessions in the programme's own time zone. A definition writes sessions as local dates and
 * "HH:MM" times; this module turns them into instants and answers "is a session open now?" and
 * "when is the next one?". Time-zone arithmetic uses Intl only, so it follows the IANA rules
 * (including summer time) of whatever zone a programme names.
 */
import type { ServiceDefinition, Weekday } from './serviceDefinition.js';

/** The part of a service definition the calendar needs. */
export type CalendarInput = Pick<ServiceDefinition, 'timeZone' | 'calendar'>;

/** One concrete session on one local date; `id` is "<date>T<start>" in local time, e.g. "2022-08-01T17:00". */
export type SessionSlot = {
  id: string;
  date: string;
  start: string;
  end: string;
  opensAt: Date;
  closesAt: Date;
  regions?: string[];
};

// Kept here rather than imported so this module loads without the schema library at run time.
const WEEKDAY_CODES: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** How far ahead weekly windows are searched for the next session. */
const SEARCH_DAYS = 400;
const DAY_MS = 86_400_000;

// Building a DateTimeFormat is costly compared with using one; a zone's formatter never changes.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

type Fields = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The zone's wall clock at an instant, read from Intl (whole seconds). */
function formattedWallClock(at: Date, timeZone: string): Fields {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year!,
    month: fields.month!,
    day: fields.day!,
    // Some engines still write midnight as 24 even with h23.
    hour: fields.hour! % 24,
    minute: fields.minute!,
    second: fields.second!,
  };
}

/**
 * A zone's offset from UTC (ms) through each quarter hour it was asked about, or null when the
 * offset changes inside it. `formatToParts` with a zone costs tens of microseconds and a turn
 * asks several times (the session line, the queued card, the opening hours), almost always about
 * a quarter hour already asked about: "now" and the same few session instants.
 *
 * The offset is read at both ends of the quarter hour and kept only when they agree: no zone
 * changes its offset twice within fifteen minutes (IANA tzdb), so agreeing ends mean no change
 * inside, and the wall clock anywhere in it is the instant plus that offset. Bounded: cleared
 * when it holds OFFSETS_KEPT quarter hours (a long-running instance's "now" moves on).
 */
const offsets = new Map<string, number | null>();
const QUARTER_HOUR_MS = 15 * 60_000;
const OFFSETS_KEPT = 4096;

function offsetThrough(quarter: number, timeZone: string): number | null {
  const key = `${timeZone}\n${quarter}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const first = quarter * QUARTER_HOUR_MS;
    const last = first + QUARTER_HOUR_MS - 1000;
    const start = offsetOf(first, formattedWallClock(new Date(first), timeZone));
    offset = start === offsetOf(last, formattedWallClock(new Date(last), timeZone)) ? start : null;
    if (offsets.size >= OFFSETS_KEPT) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

const offsetOf = (seconds: number, f: Fields): number => Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - seconds;

/** The zone's wall clock at an instant, to the whole second (as Intl reads it). */
function wallClock(at: Date, timeZone: string): Fields {
  const ms = at.getTime();
  const offset = Number.isFinite(ms) ? offsetThrough(Math.floor(ms / QUARTER_HOUR_MS), timeZone) : null;
  if (offset === null) return formattedWallClock(at, timeZone);
  const local = new Date(Math.floor(ms / 1000) * 1000 + offset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function parseDate(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y!, m!, d!];
}

function parseTime(time: string): [number, number] {
  const [h, m] = time.split(':').map(Number);
  return [h!, m!];
}

function addDays(date: string, days: number): string {
  const [y, m, d] = parseDate(date);
  const t = new Date(Date.UTC(y, m - 1, d) + days * DAY_MS);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

function weekdayIndex(date: string): number {
  const [y, m, d] = parseDate(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** Milliseconds the zone's wall clock is ahead of UTC at an instant (e.g. +2h in Johannesburg). */
function offsetAt(instantMs: number, timeZone: string): number {
  // Whole seconds only: the formatter has no milliseconds, so compare like with like.
  const seconds = Math.floor(instantMs / 1000) * 1000;
  const f = wallClock(new Date(seconds), timeZone);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - seconds;
}

/** The local date ("YYYY-MM-DD"), time ("HH:MM") and weekday of an instant in a time zone. */
export function localParts(at: Date, timeZone: string): { date: string; time: string; weekday: Weekday } {
  const f = wallClock(at, timeZone);
  const date = `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`;
  return { date, time: `${pad(f.hour)}:${pad(f.minute)}`, weekday: WEEKDAY_CODES[weekdayIndex(date)]! };
}

/**
 * The instant at which a time zone's clocks show a local date and time; the inverse of
 * localParts. When clocks go back and the time happens twice, the first is chosen; when they go
 * forward and it never happens, the later reading (the one after the jump) is chosen, as a
 * session "at 02:30" on that day can only start once the clocks say so.
 */
export function instantAt(date: string, time: string, timeZone: string): Date {
  const [y, mo, d] = parseDate(date);
  const [h, mi] = parseTime(time);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // No zone changes its offset twice within two days, so the offsets a day either side are
  // the only two that can apply to this wall-clock time; when they agree, there is no change.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  if (before === after) return new Date(wall - before);
  const candidates = [wall - before, wall - after].sort((a, b) => a - b);
  const matching = candidates.filter((t) => {
    const p = localParts(new Date(t), timeZone);
    return p.date === date && p.time === time;
  });
  return new Date(matching.length > 0 ? matching[0]! : candidates[candidates.length - 1]!);
}

const appliesTo = (regions: string[] | undefined, region: string | undefined): boolean =>
  // An empty list is read as "no restriction": a filter that matches nothing would silently
  // close the window, which is never what a definition means.
  region === undefined || regions === undefined || regions.length === 0 || regions.includes(region);

function slot(date: string, w: { start: string; end: string; regions?: string[] }, timeZone: string): SessionSlot {
  return {
    id: `${date}T${w.start}`,
    date,
    start: w.start,
    end: w.end,
    opensAt: instantAt(date, w.start, timeZone),
    // "24:00" closes at the following midnight, so a day-long window needs no gap at 23:59.
    closesAt: w.end === '24:00' ? instantAt(addDays(date, 1), '00:00', timeZone) : instantAt(date, w.end, timeZone),
    ...(w.regions ? { regions: [...w.regions] } : {}),
  };
}

/**
 * Every session on one local date for a region, in opening order. A holiday closes the whole
 * day; a dated session is the explicit plan for its date, so a weekly window that overlaps one
 * gives way to it entirely (the dated session may be a longer or moved one).
 */
function sessionsOn(cal: CalendarInput, date: string, region: string | undefined): SessionSlot[] {
  const { calendar, timeZone } = cal;
  if (calendar.holidays.some((h) => h.date === date)) return [];
  const dated = calendar.sessions.filter((s) => s.date === date && appliesTo(s.regions, region));
  const weekday = WEEKDAY_CODES[weekdayIndex(date)]!;
  const weekly = calendar.weekly.filter(
    (w) =>
      w.days.includes(weekday) &&
      (w.from === undefined || w.from <= date) &&
      (w.until === undefined || date <= w.until) &&
      appliesTo(w.regions, region) &&
      !dated.some((s) => s.start < w.end && w.start < s.end),
  );
  return [...dated, ...weekly]
    .map((w) => slot(date, w, timeZone))
    .sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime());
}

/**
 * The session open at an instant (opening time included, closing time not), or undefined.
 * With no region given, a window for any region counts.
 */
export function openSessionAt(cal: CalendarInput, at: Date, region?: string): SessionSlot | undefined {
  const t = at.getTime();
  // Windows never cross midnight, so only the local date of the instant can hold an open one.
  const { date } = localParts(at, cal.timeZone);
  return sessionsOn(cal, date, region).find((s) => s.opensAt.getTime() <= t && t < s.closesAt.getTime());
}

/**
 * The next session that opens strictly after an instant, or undefined when there is none
 * (weekly windows are searched up to 400 days ahead; dated sessions at any distance).
 */
export function nextSessionAfter(cal: CalendarInput, at: Date, region?: string): SessionSlot | undefined {
  const t = at.getTime();
  const { date: today } = localParts(at, cal.timeZone);
  const after = (s: SessionSlot) => s.opensAt.getTime() > t;

  // Dated sessions may lie beyond the weekly search horizon, so look at each future date directly.
  const datedDates = [...new Set(cal.calendar.sessions.map((s) => s.date))].filter((d) => d >= today).sort();
  const horizon = cal.calendar.weekly.length > 0 ? addDays(today, SEARCH_DAYS) : today;
  for (let date = today; date <= horizon || datedDates.some((d) => d >= date); ) {
    const found = sessionsOn(cal, date, region).find(after);
    if (found) return found;
    // Past the weekly horizon only dated sessions are left, so jump straight to the next one.
    const next = addDays(date, 1);
    date = next <= horizon ? next : (datedDates.find((d) => d >= next) ?? next);
  }
  return undefined;
}

/**
 * True when the calendar has no session open at `at` and none ahead (in any region): every
 * ratepayer would be told that no more sessions are planned. The service says so at start
 * (bot/service.ts), since a definition whose sessions are over deploys without an error
 * (tester 10, finding 13: the pilot's calendar ended on 5 August 2022).
 */
export function calendarIsOver(cal: CalendarInput, at: Date): boolean {
  return !openSessionAt(cal, at) && !nextSessionAfter(cal, at);
}
