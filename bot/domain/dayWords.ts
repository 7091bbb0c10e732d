/**
 * Dates as staff read them, in one format everywhere they see one (the tab, the back office's
 * page, the refusals the service sends them): "Fri, 27 Nov 2026" (en-ZA: weekday, day, short
 * month, year). A ratepayer reads dates in their own language (bot/messages/time.ts longDate);
 * staff work in English. Pure: Intl only.
 */

const DAY_FORMAT: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };

/**
 * A local date ("YYYY-MM-DD": a due date, already the programme's local date) as staff read it:
 * "Fri, 27 Nov 2026". Read at noon UTC, so no zone moves it to another day.
 */
export function staffDay(date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-ZA', { ...DAY_FORMAT, timeZone: 'UTC' });
}

/**
 * The day of an instant (ISO) in `timeZone` (the programme's; the runtime's own when absent), as
 * staff read it: an escalation made at 00:00 in Johannesburg (22:00 UTC the day before) is on
 * the Johannesburg day, not the UTC one.
 */
export function staffDayOf(instant: string, timeZone?: string): string {
  return new Date(instant).toLocaleDateString('en-ZA', { ...DAY_FORMAT, ...(timeZone ? { timeZone } : {}) });
}
