/**
 * Dates, sessions and waits in words: "Monday 1 August 2022, 17:00–20:00", "Friday 5 August
 * 2022 at 17:00", "about 1 hour 10 minutes". The domain computes the wall-clock parts (calendar's
 * localParts, in the definition's time zone) and the minutes; the words (day and month names, the
 * patterns) are the catalogue's `time.*`. `locale` is last and optional because staff views and
 * supervisors' cards use these too, in the catalogue's first language.
 */
import { localParts, type SessionSlot } from '../domain/calendar.js';
import { DEFAULT_LOCALE, t, type Locale } from './index.js';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** "Monday 1 August 2022" for a date written YYYY-MM-DD. */
export function longDate(date: string, locale: Locale = DEFAULT_LOCALE): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
  return t(locale, 'time.date', {
    weekday: t(locale, `time.weekday.${weekday}`),
    day: d,
    month: t(locale, `time.month.${m}` as never),
    year: y,
  });
}

/** A session as people read it: "Monday 1 August 2022, 17:00–20:00" (local time of the zone). */
export function describeSession(slot: SessionSlot, timeZone: string, locale: Locale = DEFAULT_LOCALE): string {
  // From the instants, so a start moved by a summer-time jump shows the time the clocks will say.
  const opens = localParts(slot.opensAt, timeZone);
  const closes = localParts(slot.closesAt, timeZone);
  const closing = closes.date !== opens.date && closes.time === '00:00' ? '24:00' : closes.time;
  return t(locale, 'time.session', { date: longDate(opens.date, locale), opens: opens.time, closes: closing });
}

/** An instant as people read it: "Monday 1 August 2022 at 17:00" (local time of the zone). */
export function describeInstant(at: Date, timeZone: string, locale: Locale = DEFAULT_LOCALE): string {
  const p = localParts(at, timeZone);
  return t(locale, 'time.instant', { date: longDate(p.date, locale), time: p.time });
}

/**
 * A wait in words, rounded to 5 minutes: "less than 5 minutes", "about 15 minutes",
 * "about 1 hour 10 minutes", "more than 3 hours".
 */
export function describeWait(minutes: number, locale: Locale = DEFAULT_LOCALE): string {
  if (Number.isNaN(minutes) || minutes < 5) return t(locale, 'time.wait.underFive');
  const rounded = Math.round(minutes / 5) * 5;
  if (rounded > 180) return t(locale, 'time.wait.overThreeHours');
  if (rounded < 60) return t(locale, 'time.wait.minutes', { count: rounded });
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  return rest === 0 ? t(locale, 'time.wait.hours', { count: hours }) : t(locale, 'time.wait.hoursMinutes', { count: hours, minutes: rest });
}
