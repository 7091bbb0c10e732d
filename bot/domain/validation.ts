/**
 * Checks of what a ratepayer types into the intake card. Each check normalises first (people
 * type on phones: spaces, dashes and stray dots are common and harmless), then either returns the
 * clean value or one short message, in the ratepayer's terms, that says how to fix it: as a code
 * and its parameters (`validation.*` in bot/messages/en.json), put into words by the renderer.
 */

import { parsePhoneNumberFromString, type NumberType } from 'libphonenumber-js/max';
import { message, type Message, type MessageParams } from './message.js';

/** The result of checking one answer: the normalised value, or a message (code and parameters) for the ratepayer. */
export type Check<T = string> = { ok: true; value: T } | { ok: false; error: Message };

const ok = <T>(value: T): Check<T> => ({ ok: true, value });
const fail = <T = never>(code: string, params?: MessageParams): Check<T> => ({ ok: false, error: message(code, params) });

/**
 * What a check calls the value in its messages ("The description", "the ward number"): an
 * intake field's name, whose words are `fields.<field>.subject` in the catalogue.
 */
export interface Subject {
  field: string;
}
const subjectOf = (opts: Subject): Message => message(`fields.${opts.field}.subject`);

/** Spaces (including the non-breaking ones phones and spreadsheets paste), dashes and dots. */
const SEPARATORS = /[\s\u00a0\u2007\u202f.\-\u2010-\u2015]/g;

// Control characters other than tab and newline, which are handled separately where they matter.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
// A non-global twin for testing: a global regex remembers where it last matched between calls.
const HAS_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Counts what a person sees as characters, so an accented letter or emoji counts once. */
const charCount = (s: string): number => [...s].length;

const groupThousands = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

/** Formats rands the way the city's statements do, e.g. "R1 234.50" or "R50 000". */
function formatRands(rands: number): string {
  const cents = Math.round(rands * 100);
  const whole = groupThousands(String(Math.trunc(cents / 100)));
  const rest = cents % 100;
  return rest === 0 ? `R${whole}` : `R${whole}.${String(rest).padStart(2, '0')}`;
}

/**
 * Format characters that carry no meaning in a typed value: bidirectional marks and isolates
 * (U+200E/F, U+202A–E, U+2066–9, U+061C), zero-width spaces, the byte-order mark (U+FEFF), word
 * joiners, soft hyphens, variation selectors, tag characters… Unicode's own terms are the
 * General_Category Cf ("format") and Default_Ignorable_Code_Point: together they are what text
 * copied from a web page, a PDF or a chat app carries invisibly, and what makes "082 123 4567"
 * look right yet fail a digits-only check.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
/** Zero-width non-joiner and joiner: some scripts need them inside a word (Persian, Indic, Sinhala…). */
const JOINERS = /[\u200c\u200d]/u;
/** Joiners that do not sit between two letters join nothing. */
const STRAY_JOINERS = /(?<![\p{L}\p{M}])[\u200c\u200d]+|[\u200c\u200d]+(?![\p{L}\p{M}])/gu;
/** What free text keeps: joiners, variation selectors and tags make emoji and some scripts what they are. */
const TEXT_KEEPS = /[\u200c\u200d\ufe00-\ufe0f\u{e0020}-\u{e007f}\u{e0100}-\u{e01ef}]/u;

/**
 * How a field treats invisible characters: `none` removes every one (numbers, addresses, codes);
 * `joiners` keeps ZWNJ and ZWJ between letters (names); `text` keeps what emoji and scripts need
 * (descriptions, comments, chat).
 */
export type InvisibleKeep = 'none' | 'joiners' | 'text';

/**
 * Removes the invisible format characters a value carries no meaning with (see INVISIBLE),
 * before it is checked and before it is stored. Idempotent; never touches visible characters.
 */
export function removeInvisibles(input: string, keep: InvisibleKeep = 'none'): string {
  if (keep === 'text') return input.replace(INVISIBLE, (ch) => (TEXT_KEEPS.test(ch) ? ch : ''));
  if (keep === 'joiners') return input.replace(INVISIBLE, (ch) => (JOINERS.test(ch) ? ch : '')).replace(STRAY_JOINERS, '');
  return input.replace(INVISIBLE, '');
}

/** A City of Johannesburg municipal account number: exactly nine digits. */
export function checkAccountNumber(input: string): Check {
  const value = removeInvisibles(input).trim().replace(SEPARATORS, '');
  if (value === '') return fail('validation.account.empty');
  if (!/^\d+$/.test(value)) return fail('validation.account.notDigits');
  if (value.length !== 9) return fail('validation.account.length', { count: value.length });
  return ok(value);
}

/** True when a string of digits passes the Luhn check (its last digit is the check digit). */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Counting from the right, every second digit is doubled; the check digit itself is not.
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A South African ID number, YYMMDDSSSSCAZ: the birth date must be real (in the 1900s or
 * 2000s, since the century is not written), C must be 0, 1 or 2 and Z is the Luhn check digit.
 */
export function checkSouthAfricanId(input: string): Check {
  const value = removeInvisibles(input).trim().replace(SEPARATORS, '');
  if (value === '') return fail('validation.id.empty');
  if (!/^\d+$/.test(value)) return fail('validation.id.notDigits');
  if (value.length !== 13) return fail('validation.id.length', { count: value.length });
  const yy = Number(value.slice(0, 2));
  const mm = Number(value.slice(2, 4));
  const dd = Number(value.slice(4, 6));
  // Either century will do: 000229 is 29 February 2000 even though 1900 was not a leap year.
  if (!isRealDate(1900 + yy, mm, dd) && !isRealDate(2000 + yy, mm, dd))
    return fail('validation.id.notADate');
  const citizenship = value.charAt(10);
  if (!['0', '1', '2'].includes(citizenship))
    return fail('validation.id.citizenship', { digit: citizenship });
  if (!luhnValid(value)) return fail('validation.id.checksum');
  return ok(value);
}

/** Hides an ID number (or any identifier) except its last four characters, e.g. "•••••••••9087". */
export function maskIdNumber(id: string): string {
  const value = id.trim().replace(SEPARATORS, '');
  // Showing "the last four" of something four characters long would show all of it.
  const chars = [...value];
  const shown = chars.length <= 4 ? 0 : 4;
  return '•'.repeat(chars.length - shown) + chars.slice(chars.length - shown).join('');
}

/**
 * A run of 13 digits with at most one space, dash or dot between any two (and no digit right
 * before or after it): a candidate South African ID number in free text.
 */
const ID_IN_TEXT = /(?<![\d])\d(?:[ \u00a0.\-\u2010-\u2015]?\d){12}(?![\d])/gu;

/**
 * Free text (a chat message, a query, a survey comment) with every South African ID number in it
 * masked as the form's ID is shown (maskIdNumber: "•••••••••0086"). A number counts as an ID
 * only when checkSouthAfricanId accepts it (13 digits, real date, citizenship digit, Luhn), typed
 * whole or with spaces, dashes or dots between digits; other numbers (9-digit accounts, mobiles,
 * 13-digit runs failing the check) stay as typed. Invisible format characters are removed first.
 * Source: DESIGN §5 (POPIA) "ID numbers are masked wherever they are not needed".
 */
export function maskIdNumbersIn(text: string): string {
  if (!/\d/.test(text)) return text;
  const visible = removeInvisibles(text, 'text');
  let found = false;
  const masked = visible.replace(ID_IN_TEXT, (run) => {
    const id = checkSouthAfricanId(run);
    if (!id.ok) return run;
    found = true;
    return maskIdNumber(id.value);
  });
  return found ? masked : text;
}

/** The kinds of number the numbering plan knows that are named to the ratepayer (`validation.mobile.kind.<type>`). */
const NOT_MOBILE = new Set<NumberType & string>([
  'FIXED_LINE',
  'FIXED_LINE_OR_MOBILE',
  'TOLL_FREE',
  'SHARED_COST',
  'UAN',
  'VOIP',
  'PREMIUM_RATE',
  'PAGER',
  'PERSONAL_NUMBER',
  'VOICEMAIL',
]);

/**
 * A South African cellphone number, returned in E.164 form (+27…). Accepts 0…, +27…, 27… and
 * 0027…, with spaces, dashes, brackets and invisible characters. Which ranges are mobile is the
 * numbering plan's business (ICASA's, as libphonenumber-js's full metadata knows it, type
 * MOBILE): a number of another kind (landline, toll-free, sharecall, VoIP…) is refused with
 * what kind it is. Source of the plan: libphonenumber-js/max, updated with the package.
 */
export function checkMobile(input: string): Check {
  const value = removeInvisibles(input).trim().replace(SEPARATORS, '').replace(/[()]/g, '');
  if (value === '') return fail('validation.mobile.empty');
  if (!/^\+?\d+$/.test(value)) return fail('validation.mobile.notDigits');
  // "+27 (0)82 …" is a common way of writing it, hence the optional 0 after the country code.
  const international = /^(?:\+27|0027|27)0?(\d*)$/.exec(value);
  let national: string;
  if (international) {
    national = international[1]!;
    if (national.length !== 9)
      return fail('validation.mobile.afterCountryCode', { typed: national.length });
  } else if (value.startsWith('+') || value.startsWith('00')) {
    return fail('validation.mobile.notSouthAfrican');
  } else if (value.startsWith('0')) {
    if (value.length !== 10)
      return fail('validation.mobile.length', { count: value.length });
    national = value.slice(1);
  } else {
    return fail('validation.mobile.start');
  }
  const number = parsePhoneNumberFromString(`+27${national}`);
  const type = number?.isValid() ? number.getType() : undefined;
  // Only MOBILE: a range the plan lists as "fixed line or mobile" may be a landline, and we must be able to text it.
  if (type === 'MOBILE') return ok(`+27${national}`);
  if (type && NOT_MOBILE.has(type)) {
    const number = `0${national.slice(0, 2)} ${national.slice(2, 5)} ${national.slice(5)}`;
    return fail('validation.mobile.notMobile', { number, kind: message(`validation.mobile.kind.${type}`) });
  }
  return fail('validation.mobile.unknown');
}

/** Shows an E.164 South African number the way people write it: "+27821234567" → "082 123 4567". */
export function formatMobileForDisplay(e164: string): string {
  const match = /^\+27(\d{2})(\d{3})(\d{4})$/.exec(e164);
  return match ? `0${match[1]} ${match[2]} ${match[3]}` : e164;
}

/** A plausible email address (one @, a domain with a dot); the domain is lower-cased. */
export function checkEmail(input: string): Check {
  // Spaces are never part of an address, but phone keyboards add them after dots and @.
  const value = removeInvisibles(input).trim().replace(/\s+/g, '');
  if (value === '') return fail('validation.email.empty');
  if (value.length > 254) return fail('validation.email.tooLong');
  const at = value.lastIndexOf('@');
  if (at < 0) return fail('validation.email.noAt');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  const localOk =
    local.length >= 1 &&
    local.length <= 64 &&
    /^[^\s@<>()[\]\\,;:"]+$/.test(local) &&
    !local.startsWith('.') &&
    !local.endsWith('.') &&
    !local.includes('..');
  const labels = domain.split('.');
  const domainOk =
    labels.length >= 2 &&
    labels.every((l) => /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u.test(l)) &&
    /^(?:\p{L}{2,}|xn--[a-z0-9-]+)$/u.test(labels[labels.length - 1]!);
  if (!localOk || !domainOk) return fail('validation.email.invalid');
  return ok(`${local}@${domain}`);
}

/** A person's name: 2–100 characters of letters (any script), spaces, apostrophes, hyphens and dots. */
export function checkPersonName(input: string): Check {
  // Composed form, so "é" typed as e + accent counts and compares as one letter.
  const value = removeInvisibles(input, 'joiners').normalize('NFC').replace(/\s+/g, ' ').trim();
  if (value === '') return fail('validation.name.empty');
  if (/[<>{}]/.test(value) || HAS_CONTROL.test(value)) return fail('validation.name.otherCharacters');
  if (!/^[\p{L}\p{M}\u200c\u200d '’ʼ\-‐.]+$/u.test(value))
    return fail('validation.name.numbers');
  if (!/\p{L}/u.test(value)) return fail('validation.name.noLetters');
  const n = charCount(value);
  if (n < 2) return fail('validation.name.tooShort');
  if (n > 100) return fail('validation.name.tooLong', { count: n });
  return ok(value);
}

/**
 * Free text such as a description: control characters are removed (newlines kept), runs of
 * more than two blank lines are shortened to two, and the length must be within min..max.
 */
export function checkFreeText(input: string, opts: { min: number; max: number } & Subject): Check {
  const value = removeInvisibles(input, 'text')
    .replace(/\r\n?/g, '\n')
    // A tab separates words; dropping it outright would glue them together.
    .replace(/\t/g, ' ')
    .replace(CONTROL, '')
    .replace(/[ \u00a0]+$/gm, '')
    .replace(/\n{4,}/g, '\n\n\n')
    .trim();
  const n = charCount(value);
  const subject = subjectOf(opts);
  if (n === 0 && opts.min > 0) return fail('validation.text.empty', { subject });
  if (n < opts.min) return fail('validation.text.tooShort', { subject, count: n, min: opts.min });
  if (n > opts.max) return fail('validation.text.tooLong', { subject, count: n, max: opts.max });
  return ok(value);
}

/**
 * Splits a typed amount into whole rands and cents digits, working out which of "," and "." is
 * the decimal mark: both are used in South Africa, and either may also group thousands.
 */
function splitAmount(s: string): { whole: string; fraction: string } | undefined {
  const grouped = (whole: string, sep: string): string | undefined => {
    const re = sep === ',' ? /^[1-9]\d{0,2}(?:,\d{3})+$/ : /^[1-9]\d{0,2}(?:\.\d{3})+$/;
    return re.test(whole) ? whole.split(sep).join('') : undefined;
  };
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma < 0 && lastDot < 0) return /^\d+$/.test(s) ? { whole: s, fraction: '' } : undefined;
  if (lastComma >= 0 && lastDot >= 0) {
    // Both present ("R1,234.50" or "1.234,50"): the last one is the decimal mark.
    const decimal = lastComma > lastDot ? ',' : '.';
    const thousands = decimal === ',' ? '.' : ',';
    const at = Math.max(lastComma, lastDot);
    const whole = grouped(s.slice(0, at), thousands);
    const fraction = s.slice(at + 1);
    return whole !== undefined && /^\d+$/.test(fraction) ? { whole, fraction } : undefined;
  }
  const sep = lastComma >= 0 ? ',' : '.';
  const parts = s.split(sep);
  // Several marks, or one followed by exactly three digits ("1,234"), group thousands: cents
  // never have three digits, so reading them as decimals would only ever give an error.
  const asThousands = grouped(s, sep);
  if (asThousands !== undefined && (parts.length > 2 || parts[1]!.length === 3)) return { whole: asThousands, fraction: '' };
  if (parts.length !== 2) return undefined;
  const [whole, fraction] = parts as [string, string];
  if (!/^\d*$/.test(whole) || !/^\d+$/.test(fraction)) return undefined;
  return { whole: whole === '' ? '0' : whole, fraction };
}

/**
 * An amount in rands ("R 1 234,50", "1234.50", "R1,234.50", "1234,5"), at most two decimals,
 * between 0 and max; the value is in rands, rounded to cents.
 */
export function checkMoney(input: string, opts: { max: number } & Subject): Check<number> {
  const subject = subjectOf(opts);
  let s = removeInvisibles(input).trim().replace(/[\s\u00a0\u2007\u202f]/g, '');
  if (s === '') return fail('validation.money.empty', { subject });
  const negative = /^-|^R-|^-R/i.test(s);
  s = s.replace(/^-?(?:ZAR|R)?-?/i, '');
  const parts = splitAmount(s);
  if (!parts) return fail('validation.money.notAnAmount', { subject });
  if (negative) return fail('validation.money.negative', { subject });
  if (parts.fraction.length > 2) return fail('validation.money.cents', { subject });
  // Whole cents as an integer, so "0.1 + 0.2" style rounding never creeps in.
  const cents = Number(parts.whole) * 100 + Number(parts.fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents) || cents > Math.round(opts.max * 100))
    return fail('validation.money.tooMuch', { subject, max: formatRands(opts.max) });
  return ok(cents / 100);
}

/**
 * A whole number between min and max (inclusive); spaces between digits are ignored, "1,000"
 * groups thousands. Errors: `validation.number.empty|decimal|notDigits|range`; `range` repeats the
 * answer in `typed`, a string exactly as typed (invisible characters and outer spaces off), which a
 * renderer that reads Markdown escapes (bot/platform/cards/ratepayerCards.ts `sayInCard`).
 */
export function checkWholeNumber(input: string, opts: { min: number; max: number } & Subject): Check<number> {
  const subject = subjectOf(opts);
  // What the message repeats is what they typed ("0821234567", "1 000"), not the number read from
  // it: a mobile number in the wrong box would otherwise come back without its leading zero.
  const typed = removeInvisibles(input).trim();
  const s = typed.replace(/[\s\u00a0\u2007\u202f]/g, '');
  if (s === '') return fail('validation.number.empty', { subject, min: opts.min });
  // "1,000" groups thousands; anything else with a comma or dot has a decimal part.
  const digits = /^[1-9]\d{0,2}(?:,\d{3})+$/.test(s) ? s.replace(/,/g, '') : s;
  if (/^-?\d*[.,]\d+$/.test(digits)) return fail('validation.number.decimal', { subject });
  if (!/^-?\d+$/.test(digits)) return fail('validation.number.notDigits', { subject, min: opts.min });
  const value = Number(digits);
  if (value < opts.min || value > opts.max)
    return fail('validation.number.range', { subject, min: opts.min, max: opts.max, typed });
  return ok(value);
}

/**
 * An erf (stand) number, optionally with a township name and a portion: "1234 portion 5" and
 * "1234 / 5" both become "1234/5". The result is upper-cased with single spaces.
 */
export function checkErfNumber(input: string): Check {
  const value = removeInvisibles(input)
    .normalize('NFC')
    // Dots here are only abbreviations ("Ptn.", "No."), never part of the number.
    .replace(/\./g, ' ')
    .replace(/(\d)\s*(?:portion|ptn|por)\s*(\d)/giu, '$1/$2')
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
  if (value === '') return fail('validation.erf.empty');
  if (charCount(value) > 60) return fail('validation.erf.tooLong');
  if (!/^[\p{L}\p{M}\d /-]+$/u.test(value)) return fail('validation.erf.characters');
  if (!/\d/.test(value)) return fail('validation.erf.noDigit');
  return ok(value);
}

/** A water or electricity meter number: 4–20 letters and digits, upper-cased. */
export function checkMeterNumber(input: string): Check {
  const value = removeInvisibles(input).trim().replace(SEPARATORS, '').toUpperCase();
  if (value === '') return fail('validation.meter.empty');
  if (!/^[A-Z0-9]+$/.test(value)) return fail('validation.meter.characters');
  if (value.length < 4 || value.length > 20) return fail('validation.meter.length', { count: value.length });
  return ok(value);
}

/** A meter reading: up to 8 digits, optionally with up to 3 decimals after a comma or dot. */
export function checkMeterReading(input: string): Check<number> {
  // A unit after the number, as statements print it ("12 345,6 kl", "kℓ", "kWh", "m³"), is accepted and dropped.
  const s = removeInvisibles(input)
    .trim()
    .replace(/[\s\u00a0\u2007\u202f]/g, '')
    .replace(/(?<=\d)(k[lℓ]|kilolitres?|kwh|m3|m³)$/i, '');
  if (s === '') return fail('validation.reading.empty');
  if (/^-/.test(s)) return fail('validation.reading.negative');
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(s);
  if (!match) return fail('validation.reading.notANumber');
  const [, whole, fraction = ''] = match;
  if (whole!.length > 8) return fail('validation.reading.whole');
  if (fraction.length > 3) return fail('validation.reading.fraction');
  return ok(Number(fraction ? `${whole}.${fraction}` : whole));
}
