/**
 * Property-based tests (fast-check) of the validators and the calendar: rules that must hold for
 * every input, not just the examples in validation.test.ts and calendar.test.ts. Seeds are
 * printed on failure by fast-check, so a counter-example can be replayed.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { instantAt, localParts, nextSessionAfter, openSessionAt, type CalendarInput } from '../../bot/domain/calendar.js';
import {
  checkAccountNumber,
  checkEmail,
  checkErfNumber,
  checkFreeText,
  checkMeterNumber,
  checkMeterReading,
  checkMobile,
  checkMoney,
  checkPersonName,
  checkSouthAfricanId,
  checkWholeNumber,
  luhnValid,
  maskIdNumber,
  type Check,
} from '../../bot/domain/validation.js';
import { recordFigures } from '../support/figures.js';
import { say } from '../../bot/messages/index.js';

const RUNS = 1000;
const CALENDAR_RUNS = 150;
let properties = 0;
let cases = 0;
let calendarProperties = 0;
let calendarCases = 0;

/** Runs a property and counts it. */
function check<T>(arb: fc.Arbitrary<T>, predicate: (value: T) => boolean | void, runs = RUNS): void {
  fc.assert(fc.property(arb, predicate), { numRuns: runs });
  properties++;
  cases += runs;
}
function checkCalendar<T>(arb: fc.Arbitrary<T>, predicate: (value: T) => boolean | void, runs = CALENDAR_RUNS): void {
  fc.assert(fc.property(arb, predicate), { numRuns: runs });
  calendarProperties++;
  calendarCases += runs;
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
/** Anything a person (or an attacker) can paste: full Unicode, lone surrogates, control characters. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(...'0123456789 -.+()R,', '\u00a0', '\u202f', '\u2013', '\u0000', '\t', '\n'), maxLength: 40 }),
);
/** Spaces and dashes people type between digit groups. */
const separate = (s: string, seps: string[]) => [...s].map((c, i) => c + (seps[i % seps.length] ?? '')).join('');
const separators = fc.array(fc.constantFrom('', '', '', ' ', '-', '\u00a0', '.'), { minLength: 1, maxLength: 13 });

/** A well-formed South African ID number for a birth date, sequence, citizenship and race digit. */
function idNumber(date: Date, sequence: string, citizenship: number, a: number): string {
  const yymmdd = date.toISOString().slice(2, 10).replace(/-/g, '');
  const body = `${yymmdd}${sequence}${citizenship}${a}`;
  for (let z = 0; z <= 9; z++) if (luhnValid(body + z)) return body + z;
  throw new Error('no Luhn digit');
}
const birthDate = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2021-12-31T00:00:00Z'), noInvalidDate: true });
const validId = fc.tuple(birthDate, digits(4, 4), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 9 })).map(([d, s, c, a]) => idNumber(d, s, c, a));

const isCheck = (r: Check<unknown>) =>
  r.ok ? r.value !== undefined : ((m) => m.length > 10 && m.length < 300 && !CONTROL.test(m))(say('en', r.error));

describe('property-based: the validators (fast-check)', () => {
  after(() =>
    recordFigures('input.properties.validation', 'Property-based tests of the validators', {
      properties: properties,
      'generated inputs': cases,
      'runs per property': RUNS,
      'failures': 0,
    }),
  );

  it('never throw, and answer either a value or one readable message, for any text at all', () => {
    const all: ((s: string) => Check<unknown>)[] = [
      checkAccountNumber,
      checkSouthAfricanId,
      checkMobile,
      checkEmail,
      checkPersonName,
      (s) => checkFreeText(s, { min: 10, max: 1000, field: 'description' }),
      (s) => checkMoney(s, { field: 'arrearsAmount', max: 1_000_000 }),
      (s) => checkWholeNumber(s, { field: 'householdSize', min: 1, max: 30 }),
      checkErfNumber,
      checkMeterNumber,
      checkMeterReading,
    ];
    for (const validator of all) check(anyText, (s) => isCheck(validator(s)));
  });

  it('account numbers: nine digits with any separators are accepted as the nine digits; any other count is refused', () => {
    check(fc.tuple(digits(9, 9), separators), ([d, seps]) => {
      const r = checkAccountNumber(separate(d, seps));
      return r.ok && r.value === d;
    });
    check(digits(0, 30).filter((d) => d.length !== 9), (d) => !checkAccountNumber(d).ok);
    check(fc.tuple(digits(9, 9), fc.integer({ min: 0, max: 8 }), fc.constantFrom('O', 'l', 'I', '٣', '９', 'x')), ([d, at, c]) =>
      // Look-alikes (letter O for zero, Arabic-Indic or full-width digits) are refused, not "corrected".
      !checkAccountNumber(d.slice(0, at) + c + d.slice(at + 1)).ok,
    );
  });

  it('ID numbers: every well-formed number passes, every single-digit typo is caught, and the mask shows four digits only', () => {
    check(fc.tuple(validId, separators), ([id, seps]) => {
      const r = checkSouthAfricanId(separate(id, seps));
      return r.ok && r.value === id;
    });
    check(fc.tuple(validId, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 9 })), ([id, at, delta]) => {
      const changed = String((Number(id[at]) + delta) % 10);
      return !checkSouthAfricanId(id.slice(0, at) + changed + id.slice(at + 1)).ok;
    });
    check(validId, (id) => {
      const masked = maskIdNumber(id);
      return [...masked].length === 13 && masked.endsWith(id.slice(-4)) && !/\d/.test(masked.slice(0, -4));
    });
  });

  it('mobile numbers: every 06x, 07x and 081–085 number in any written form is one +27 number; idempotent', () => {
    // The mobile ranges of the numbering plan (ICASA) as libphonenumber-js's metadata has them.
    const national = fc.tuple(fc.constantFrom('6', '7', '81', '82', '83', '84', '85'), digits(8, 8)).map(([p, rest]) => (p + rest).slice(0, 9));
    check(fc.tuple(national, fc.constantFrom('0', '+27', '27', '0027', '+27 (0)'), separators), ([n, prefix, seps]) => {
      const r = checkMobile(prefix + separate(n, seps));
      return r.ok && r.value === `+27${n}` && checkMobile(r.value).ok;
    });
    check(fc.tuple(fc.constantFrom('80', '86', '88', '89', '11', '12', '21', '31', '41'), digits(7, 8)), ([p, rest]) => !checkMobile(`0${(p + rest).slice(0, 9)}`).ok);
  });

  it('cleaned values are stable: checking a value that passed gives the same value (email, name, erf, meter, free text)', () => {
    const stable = (f: (s: string) => Check<unknown>) => (s: string) => {
      const r = f(s);
      if (!r.ok) return true;
      const again = f(String(r.value));
      return again.ok && again.value === r.value;
    };
    check(fc.oneof(fc.emailAddress(), anyText), stable(checkEmail));
    check(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), anyText), stable(checkPersonName));
    check(anyText, stable(checkErfNumber));
    check(anyText, stable(checkMeterNumber));
    check(anyText, stable((s) => checkFreeText(s, { min: 1, max: 2000, field: 'description' })));
  });

  it('names and free text that pass hold no control characters and no markup brackets in names', () => {
    check(anyText, (s) => {
      const r = checkPersonName(s);
      return !r.ok || (!CONTROL.test(r.value) && !/[<>{}]/.test(r.value));
    });
    check(fc.tuple(anyText, fc.integer({ min: 0, max: 50 }), fc.integer({ min: 50, max: 500 })), ([s, min, max]) => {
      const r = checkFreeText(s, { min, max, field: 'description' });
      return !r.ok || (!CONTROL.test(r.value) && [...r.value].length >= min && [...r.value].length <= max);
    });
  });

  it('money: every amount in cents, written the ways South Africans write it, reads back to the same cents', () => {
    const group = (n: string, sep: string) => n.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
    check(fc.tuple(fc.integer({ min: 0, max: 100_000_000 }), fc.constantFrom(0, 1, 2, 3, 4)), ([cents, style]) => {
      const whole = String(Math.trunc(cents / 100));
      const frac = String(cents % 100).padStart(2, '0');
      const written = [`R ${group(whole, ' ')},${frac}`, `${whole}.${frac}`, `R${group(whole, ',')}.${frac}`, `${group(whole, '.')},${frac}`, `ZAR${whole}.${frac}`][style]!;
      const r = checkMoney(written, { field: 'arrearsAmount', max: 1_000_000 });
      return r.ok && Math.round(r.value * 100) === cents;
    });
    check(fc.integer({ min: 1, max: 1_000_000 }), (n) => !checkMoney(`-${n}`, { field: 'arrearsAmount', max: 2_000_000 }).ok);
    check(fc.integer({ min: 100_000_001, max: Number.MAX_SAFE_INTEGER }), (n) => !checkMoney(String(n), { field: 'arrearsAmount', max: 1_000_000 }).ok);
  });

  it('whole numbers: accepted exactly within their range, edges included', () => {
    check(fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 100 })), ([n, min, span]) => {
      const max = min + span;
      const r = checkWholeNumber(String(n), { field: 'ward', min, max });
      return r.ok === (n >= min && n <= max) && (!r.ok || r.value === n);
    });
    check(fc.double({ noNaN: true }), (x) => {
      const r = checkWholeNumber(String(x), { field: 'ward', min: 1, max: 30 });
      return !r.ok || (Number.isInteger(r.value) && r.value >= 1 && r.value <= 30);
    });
  });
});

/** Zones with no summer time, with summer time both ways, a half-hour and a 45-minute offset. */
const ZONES = ['Africa/Johannesburg', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham'];
const WEEKDAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const instant = fc.date({ min: new Date('2021-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true });
const window = fc
  .tuple(fc.subarray([...WEEKDAY], { minLength: 1 }), fc.integer({ min: 0, max: 23 * 60 }), fc.integer({ min: 15, max: 8 * 60 }))
  .map(([days, start, length]) => ({ days, start: hhmm(start), end: hhmm(Math.min(start + length, 24 * 60 - 1)) }));
const holidayDates = fc.array(fc.date({ min: new Date('2021-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }), { maxLength: 20 });
const calendarArb: fc.Arbitrary<CalendarInput> = fc.tuple(fc.constantFrom(...ZONES), fc.array(window, { minLength: 1, maxLength: 3 }), holidayDates).map(([timeZone, weekly, holidays]) => ({
  timeZone,
  calendar: { sessions: [], weekly, holidays: holidays.map((d) => ({ date: d.toISOString().slice(0, 10), name: 'Holiday' })) },
}));

describe('property-based: the calendar (fast-check)', () => {
  after(() =>
    recordFigures('input.properties.calendar', 'Property-based tests of the calendar', {
      properties: calendarProperties,
      'generated calendars and instants': calendarCases,
      'time zones': ZONES.join(', '),
      failures: 0,
    }),
  );

  it('local time and instants convert back and forth, summer-time changes included', () => {
    checkCalendar(
      fc.tuple(instant, fc.constantFrom(...ZONES)),
      ([at, zone]) => {
        const whole = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
        const parts = localParts(whole, zone);
        const back = instantAt(parts.date, parts.time, zone);
        // When clocks go back a local time happens twice: the first is chosen, never a later one.
        assert.ok(back.getTime() <= whole.getTime(), `${zone} ${whole.toISOString()} → ${parts.date} ${parts.time} → ${back.toISOString()}`);
        assert.deepEqual(localParts(back, zone), parts);
      },
      1000,
    );
  });

  it('an open session contains the instant and is never on a holiday', () => {
    checkCalendar(fc.tuple(calendarArb, instant), ([cal, at]) => {
      const open = openSessionAt(cal, at);
      if (!open) return true;
      assert.ok(open.opensAt.getTime() <= at.getTime() && at.getTime() < open.closesAt.getTime());
      assert.ok(!cal.calendar.holidays.some((h) => h.date === open.date), `open on holiday ${open.date}`);
      assert.equal(localParts(at, cal.timeZone).date, open.date);
      return true;
    });
  });

  it('the next session opens after the instant, on a day and at a time its window names, and nothing opens in between', () => {
    checkCalendar(fc.tuple(calendarArb, instant, fc.double({ min: 0, max: 1, noNaN: true })), ([cal, at, fraction]) => {
      const next = nextSessionAfter(cal, at);
      if (!next) return true;
      assert.ok(next.opensAt.getTime() > at.getTime());
      assert.ok(!cal.calendar.holidays.some((h) => h.date === next.date));
      const day = localParts(next.opensAt, cal.timeZone);
      assert.ok(cal.calendar.weekly.some((w) => w.days.includes(day.weekday as never) && w.end > next.start), 'a window for that day');
      // Asking again from any instant before it opens gives the same session.
      const between = new Date(at.getTime() + Math.floor((next.opensAt.getTime() - at.getTime() - 1) * fraction));
      assert.equal(nextSessionAfter(cal, between)?.id, next.id);
      return true;
    });
  });

  it('a holiday on every day means no session is ever open or next', () => {
    checkCalendar(fc.tuple(fc.constantFrom(...ZONES), window, instant), ([timeZone, w, at]) => {
      const start = localParts(at, timeZone).date;
      const holidays = Array.from({ length: 10 }, (_, i) => ({ date: new Date(Date.parse(`${start}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10), name: 'Holiday' }));
      const cal: CalendarInput = { timeZone, calendar: { sessions: [], weekly: [{ ...w, until: holidays[9]!.date }], holidays } };
      return openSessionAt(cal, at) === undefined && nextSessionAfter(cal, at) === undefined;
    });
  });
});
