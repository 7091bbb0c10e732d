/**
 * Dates, sessions and waits in words: "Monday 1 August 2022, 17:00–20:00", "Friday 5 August
 * 2022 at 17:00", "about 1 hour 10 minutes". The domain computes the wall-clock parts (calendar's
 * localParts, in the definition's time zone) and the minutes; the day and month names come from
 * Intl in the ratepayer's language (ICU), the patterns from the catalogue's `time.*`. `locale` is last and optional because staff views and
 * supervisors' cards use these too, in the catalogue's first language.
 */
import { localParts, type SessionSlot } from '../domain/calendar.js';
import { DEFAULT_LOCALE, t, type Locale } from './index.js';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/**
 * The BCP 47 tag ICU is asked for: the language in South Africa ("zu-ZA"), so that ICU's data for
 * the language as written here is used. Node 24 ships full ICU (74+, CLDR 48): it has every one of
 * our seven languages (docs/translations.md shows what it gives).
 */
const icuTag = (locale: Locale): string => `${locale}-ZA`;

const icuNames = new Map<Locale, Intl.DateTimeFormat | null>();

/**
 * ICU's formatter for a language's day and month names, or null when this Node's ICU does not
 * have the language (a build with small ICU has English only: it would silently answer in English).
 */
function namesFormat(locale: Locale): Intl.DateTimeFormat | null {
  let format = icuNames.get(locale);
  if (format === undefined) {
    const supported = Intl.DateTimeFormat.supportedLocalesOf([icuTag(locale)]).length > 0;
    format = supported ? new Intl.DateTimeFormat(icuTag(locale), { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }) : null;
    icuNames.set(locale, format);
  }
  return format;
}

// A date in words is asked for on most cards (the session's day) and costs an ICU formatToParts
// (tens of microseconds); the dates asked about are few, so each is written once per language.
// Bounded: emptied when full.
const longDates = new Map<string, string>();
const LONG_DATES_KEPT = 2_000;

/**
 * "Monday 1 August 2022" for a date written YYYY-MM-DD (already the programme's local date).
 * The day and month names and the numbers come from Intl (ICU's CLDR data for the language); the
 * order is the catalogue's `time.date`, because ICU's own patterns for these languages are not
 * how they are written in South Africa (isiZulu and isiXhosa month-first, "Disemba 1, 2026";
 * Sesotho, Setswana and Sepedi year-first, ICU's root pattern), while the issue's own example is
 * "Lwesibili, 1 Disemba 2026". Without ICU data for the language, the catalogue's names
 * (`time.weekday.*`, `time.month.*`) are used.
 */
export function longDate(date: string, locale: Locale = DEFAULT_LOCALE): string {
  const key = `${locale}\u0000${date}`;
  let written = longDates.get(key);
  if (written === undefined) {
    written = writeLongDate(date, locale);
    if (longDates.size >= LONG_DATES_KEPT) longDates.clear();
    longDates.set(key, written);
  }
  return written;
}

function writeLongDate(date: string, locale: Locale): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  const format = namesFormat(locale);
  if (format) {
    const parts = Object.fromEntries(format.formatToParts(day).map((p) => [p.type, p.value]));
    return t(locale, 'time.date', { weekday: parts.weekday ?? '', day: parts.day ?? String(d), month: parts.month ?? '', year: parts.year ?? String(y) });
  }
  return t(locale, 'time.date', {
    weekday: t(locale, `time.weekday.${WEEKDAYS[day.getUTCDay()]!}`),
    day: d,
    month: t(locale, `time.month.${m}` as never),
    year: y,
  });
}

/**
 * A month's name (1 = January … 12) in a language: ICU's, as `longDate` writes it, or the
 * catalogue's `time.month.<n>` where this Node's ICU lacks the language. For the public chat page,
 * whose browser (Chromium has no isiZulu, isiXhosa, Sepedi, Sesotho or Setswana data) cannot.
 */
export function monthName(month: number, locale: Locale = DEFAULT_LOCALE): string {
  const format = namesFormat(locale);
  const name = format?.formatToParts(new Date(Date.UTC(2026, month - 1, 15))).find((p) => p.type === 'month')?.value;
  return name ?? t(locale, `time.month.${month}` as never);
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
