/**
 * The message catalogue: every word a ratepayer reads, one JSON file per language beside this
 * module (en.json first), read through i18next. Keys are dotted paths with named parameters
 * (`{{reference}}`) and plural forms chosen by `count` (i18next's JSON v4 suffixes `_one` and
 * `_other`, from Intl.PluralRules, so a language with more forms adds its own suffixes). Adding a
 * language is its file here and its code in LANGUAGES.
 *
 * Programme-specific wording (the programme's name, its categories and the words people type,
 * who to call) is not here: it comes from the service definition and arrives as parameters.
 *
 * The domain does not import this module: it returns Messages (codes and parameters,
 * bot/domain/message.ts), and the services and renderers put them into words with `say`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n } from 'i18next';
import type { Message, MessageParams } from '../domain/message.js';
import { formatCount } from '../domain/textLimits.js';
import type english from './en.json';

/** The languages there is a catalogue file for; the first is the fallback for a missing key. */
export const LANGUAGES = ['en', 'zu', 'xh', 'af', 'nso', 'st', 'tn'] as const;
/** One language code (a file name in this folder). */
export type Locale = (typeof LANGUAGES)[number];
/** The language a ratepayer is answered in until the case records their own. */
export const DEFAULT_LOCALE: Locale = 'en';

/**
 * The BCP 47 tag of a catalogue language as spoken in South Africa ("zu" → "zu-ZA"): what an
 * outgoing Bot Framework activity's `locale` says its text is in, and what Web Chat is given.
 */
export function localeTag(locale: Locale): string {
  return `${locale}-ZA`;
}

type PluralSuffix = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
type Unplural<K extends string> = K extends `${infer Base}_${PluralSuffix}` ? Base : K;
type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${Unplural<K>}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every key of the English catalogue (plural forms under their base key). */
export type MessageKey = Leaves<typeof english>;

const folder = path.dirname(fileURLToPath(import.meta.url));

function load(): i18n {
  const resources = Object.fromEntries(
    LANGUAGES.map((lng) => [lng, { translation: JSON.parse(readFileSync(path.join(folder, `${lng}.json`), 'utf8')) as object }]),
  );
  const instance = i18next.createInstance();
  // Synchronous: the resources are given inline, so init has nothing to wait for.
  void instance.init({
    resources,
    lng: DEFAULT_LOCALE,
    fallbackLng: LANGUAGES[0],
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    // Not HTML: cards escape Markdown themselves (bot/platform/cards/render.ts), plain messages are text.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  // "The description" starts a sentence; mid-sentence it reads "the description".
  instance.services.formatter?.add('lowerFirst', (value: unknown) => {
    const s = String(value);
    return s.charAt(0).toLowerCase() + s.slice(1);
  });
  // "100 000 characters": counts grouped as the City writes numbers (bot/domain/textLimits.ts).
  instance.services.formatter?.add('thousands', (value: unknown) => (typeof value === 'number' ? formatCount(value) : String(value)));
  return instance;
}

const catalogue = load();

// The keys are a fixed set: whether each exists, and the words of those without parameters, are
// worked out once (i18next resolves a key afresh on every call, about 10 µs each).
const known = new Map<string, boolean>();
const plain = new Map<string, string>();
// And the words of a key with parameters, by the parameters (JSON): most are the same from turn
// to turn (a category's name, the programme's contact), so each is resolved once, not on every
// card. Bounded: emptied when full (a session's references, each told a few times, pass through).
const filled = new Map<string, string>();
const FILLED_KEPT = 5_000;

/** Whether the catalogue has a key (in the fallback language, which has every key). */
export function hasMessage(key: string): boolean {
  let found = known.get(key);
  if (found === undefined) {
    const lng = LANGUAGES[0];
    found = catalogue.exists(key, { lng }) || catalogue.exists(`${key}_other`, { lng });
    known.set(key, found);
  }
  return found;
}

function words(locale: Locale, key: string, params: MessageParams | undefined): string {
  if (!hasMessage(key)) throw new Error(`The message catalogue has no "${key}"`);
  if (!params) {
    const cacheKey = `${locale}\u0000${key}`;
    let text = plain.get(cacheKey);
    if (text === undefined) plain.set(cacheKey, (text = catalogue.t(key, { lng: locale })));
    return text;
  }
  const resolved: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) resolved[name] = typeof value === 'object' ? say(locale, value) : value;
  const cacheKey = `${locale}\u0000${key}\u0000${JSON.stringify(resolved)}`;
  let text = filled.get(cacheKey);
  if (text === undefined) {
    text = catalogue.t(key, { ...resolved, lng: locale });
    if (filled.size >= FILLED_KEPT) filled.clear();
    filled.set(cacheKey, text);
  }
  return text;
}

/**
 * The words for a catalogue key in a language, with its named parameters filled in.
 * Throws when the key is missing from the catalogue (a programming mistake, caught by the tests).
 */
export function t(locale: Locale, key: MessageKey, params?: MessageParams): string {
  return words(locale, key, params);
}

/** The words for a Message the domain returned (a code and parameters), in a language. */
export function say(locale: Locale, message: Message): string {
  return words(locale, message.code, message.params);
}

/** Whether a code is a registered language (a catalogue file listed in LANGUAGES). */
export function isLocale(code: unknown): code is Locale {
  return typeof code === 'string' && (LANGUAGES as readonly string[]).includes(code);
}

/**
 * The language to answer a ratepayer in (issue 16): THE accessor every sender calls.
 *
 * `who` is whatever is at hand: a case or a stored conversation (their `language`, recorded when
 * the language was chosen: bot/ratepayers/features/language.ts), or a turn (its `locale`, settled
 * before any feature ran). Anything else, or a language no longer registered, is English
 * (DEFAULT_LOCALE): an old case from before languages were recorded reads as it always did.
 */
export function localeOf(who?: unknown): Locale {
  if (who && typeof who === 'object') {
    const { language, locale } = who as { language?: unknown; locale?: unknown };
    if (isLocale(language)) return language;
    if (isLocale(locale)) return locale;
  }
  return DEFAULT_LOCALE;
}
