/**
 * Reading the date and time inputs of an Adaptive Card as clients really send them. The schema
 * says Input.Date sends "YYYY-MM-DD" and Input.Time "HH:mm", but clients differ: some send
 * seconds ("17:30:00"), some a 12-hour clock ("5:30 PM", "5:30 p.m."), some a whole ISO date-time
 * ("2022-08-02T17:30:00", "2022-08-02T15:30:00.000Z"). Pure: no clock, the time zone is given.
 */
import { localParts } from './calendar.js';

const pad = (n: number) => String(n).padStart(2, '0');

function isRealDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** An ISO date-time with a zone ("…Z", "…+02:00"): an instant, read on the given zone's clocks. */
const ZONED = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;
/** An ISO date-time without a zone: already a wall-clock reading. */
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?$/i;

/**
 * The date an Input.Date sent, as "YYYY-MM-DD", or undefined when it is not a real date. Takes
 * "2022-08-02", "2022/08/02" and the date part of an ISO date-time (the date the person picked:
 * a picker that sends midnight UTC still means that day).
 */
export function readCardDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?$/.exec(value.trim());
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isRealDate(y, m, d) ? `${y}-${pad(m)}-${pad(d)}` : undefined;
}

/**
 * The time an Input.Time sent, as 24-hour "HH:mm", or undefined when it cannot be read. Takes
 * "17:30", "7:05", "17:30:00", "17:30:00.000", "5:30 PM", "5:30pm", "5:30 p.m.", "12:15 AM", and
 * ISO date-times with or without a zone (a zoned one is read on `timeZone`'s clocks).
 */
export function readCardTime(value: unknown, timeZone: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  const zoned = ZONED.exec(s);
  if (zoned) {
    const at = new Date(s.replace(' ', 'T').replace(/\s+(?=[Z+-])/i, ''));
    return Number.isFinite(at.getTime()) ? localParts(at, timeZone).time : undefined;
  }
  const local = LOCAL.exec(s);
  if (local) return clock(Number(local[4]), Number(local[5]), Number(local[6] ?? 0));
  const twentyFour = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?$/.exec(s);
  if (twentyFour) return clock(Number(twentyFour[1]), Number(twentyFour[2]), Number(twentyFour[3] ?? 0));
  const twelve = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap])\.?\s*m\.?$/i.exec(s);
  if (twelve) {
    const h = Number(twelve[1]);
    if (h < 1 || h > 12) return undefined;
    const pm = twelve[4]!.toLowerCase() === 'p';
    return clock((h % 12) + (pm ? 12 : 0), Number(twelve[2] ?? 0), Number(twelve[3] ?? 0));
  }
  return undefined;
}

function clock(h: number, m: number, sec: number): string | undefined {
  return h <= 23 && m <= 59 && sec <= 59 ? `${pad(h)}:${pad(m)}` : undefined;
}
