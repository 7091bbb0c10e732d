/**
 * Which language to answer a ratepayer in (issue 16). Pure: no I/O, no catalogue; the caller says
 * which languages are available (those with a catalogue file that the service definition has not
 * switched off) and where the evidence came from.
 *
 * The order, from the issue: what the ratepayer picked (the language card or the language command);
 * else the client's locale (Teams sends `locale`, a BCP 47 tag such as `zu-ZA`); else what they wrote
 * first, when it is clearly one of these languages; else English.
 *
 * One refinement of that order, and why: an English client locale (`en-ZA`, `en-US`, …) does not
 * stop the first words from counting. Teams has no user interface in isiZulu, Sesotho, Setswana,
 * Sepedi or isiXhosa, so nearly every ratepayer's client says English whatever they speak; a
 * locale in one of our other languages is a real signal and wins over the words, an English one is
 * only the client's default.
 *
 * Language codes are ISO 639 (the catalogue file names): en, zu (isiZulu), xh (isiXhosa),
 * af (Afrikaans), nso (Sepedi, Sesotho sa Leboa), st (Sesotho), tn (Setswana).
 */

/** Every language the issue asks to serve, in the order the language card lists them. */
export const SPOKEN_LANGUAGES = ['en', 'zu', 'xh', 'af', 'nso', 'st', 'tn'] as const;
/** One of SPOKEN_LANGUAGES. */
export type LanguageCode = (typeof SPOKEN_LANGUAGES)[number];

/** How a language was chosen, for the case record and the expert ("picked", "locale", …). */
export type LanguageSource = 'picked' | 'locale' | 'words' | 'default';

function isSpoken(code: string): code is LanguageCode {
  return (SPOKEN_LANGUAGES as readonly string[]).includes(code);
}

/**
 * Our language for a client locale: the primary subtag of a BCP 47 tag, any case, `-` or `_`
 * (`zu-ZA`, `AF_za`, `nso-ZA`, `en-US` → zu, af, nso, en); undefined for a language we do not
 * serve (`fr-FR`, `ve-ZA`), an empty or malformed tag.
 */
export function languageOfLocale(locale: string | undefined): LanguageCode | undefined {
  if (!locale) return undefined;
  const primary = /^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*\s*$/.exec(locale)?.[1]?.toLowerCase();
  return primary && isSpoken(primary) ? primary : undefined;
}

/** Lower case, accents off ("môre" → "more"), punctuation to spaces, one space between words. */
function normalise(text: string): string {
  return ` ${text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;
}

/**
 * Words and phrases that mark a language, each with every language it belongs to. A word shared by
 * languages lists them all ("dumela" is a greeting in Sesotho and Setswana alike; "amanzi" is water
 * in isiZulu and isiXhosa), so it narrows the choice without settling it. Words also common in
 * English ("more", "water", "meter") are only phrases here ("goeie more"). English has markers too,
 * so "Sawubona, I need help with my bill" is not taken for isiZulu.
 */
/** A word or phrase and every language it marks. */
type Marker = readonly [string, readonly LanguageCode[]];
const mark = (languages: LanguageCode[], ...words: string[]) => words.map((w) => [w, languages] as const);
const MARKERS: readonly Marker[] = [
  ...mark(['zu'], 'sawubona', 'sanibonani', 'ngiyabonga', 'siyabonga', 'ngicela', 'ngisize', 'ngisizeni', 'ngifuna', 'yebo', 'usizo', 'ugesi', 'ukukhanya', 'isikweletu', 'akhawunti yami'),
  ...mark(['xh'], 'molo', 'molweni', 'enkosi', 'ndiyabulela', 'ndicela', 'ndincede', 'ndifuna', 'uncedo', 'umbane', 'ewe', 'ityala', 'akhawunti yam'),
  ...mark(['zu', 'xh'], 'unjani', 'ninjani', 'amanzi', 'imali', 'akhawunti'),
  ...mark(['af'], 'goeie more', 'goeiemore', 'goeie middag', 'goeiemiddag', 'goeie naand', 'goeienaand', 'goeiedag', 'hallo', 'dankie', 'asseblief', 'rekening', 'krag', 'elektrisiteit', 'betaling', 'ek wil', 'ek het', 'hulp', 'watermeter', 'eiendomsbelasting'),
  ...mark(['nso'], 'thobela', 'le kae', 'meetse', 'mohlagase', 'ke kgopela', 'tefelo'),
  ...mark(['st'], 'lumela', 'lumelang', 'ke a leboha', 'kea leboha', 'ke leboha', 'hle', 'tefo'),
  ...mark(['tn'], 'ke a itumela', 'ke itumetse', 'o tsogile jang', 'madi', 'tuelo'),
  // "Dumela" greets in Sesotho and Setswana alike; "dumelang" (to several) in Sepedi too.
  ...mark(['st', 'tn'], 'dumela', 'metsi', 'motlakase', 'ke kopa', 'ke batla'),
  ...mark(['st', 'tn', 'nso'], 'dumelang', 'thuso'),
  ...mark(['tn', 'nso'], 'ke a leboga', 'kea leboga'),
  ...mark(['en'], 'hello', 'hi', 'hey', 'good morning', 'good afternoon', 'good evening', 'please', 'thanks', 'thank you', 'i', 'need', 'want', 'the', 'bill', 'account', 'query', 'electricity', 'rates', 'payment', 'with', 'for'),
  // Afrikaans shares these with English ("Kan jy my help?").
  ...mark(['en', 'af'], 'help', 'my'),
];

const normalisedMarkers = (markers: readonly Marker[]): Marker[] => markers.map(([w, l]) => [normalise(w), l] as const).filter(([p]) => p.trim() !== '');
/** MARKERS as normalise gives them, once. */
const NORMALISED_MARKERS = normalisedMarkers(MARKERS);
/** A programme's extra words, normalised once per object given (the caller keeps one per definition). */
const extraMarkers = new WeakMap<object, Marker[]>();
function normalisedExtra(extra: Partial<Record<LanguageCode, readonly string[]>>): Marker[] {
  let m = extraMarkers.get(extra);
  if (!m) {
    const markers = (Object.entries(extra) as [LanguageCode, readonly string[]][]).flatMap(([code, words]) => words.map((w) => [w, [code]] as const));
    extraMarkers.set(extra, (m = normalisedMarkers(markers)));
  }
  return m;
}

/** What the first words say: one language, several it could equally be, or nothing clear. */
export type WordsVerdict = { language: LanguageCode } | { ambiguous: LanguageCode[] } | undefined;

/**
 * The language of a ratepayer's first message, judged on the marker words above plus any the
 * programme adds per language (`extra`, e.g. category keywords from the service definition).
 *
 * How it decides: each marker found votes for every language it belongs to. The language with the
 * most votes wins when no other has as many. When several tie, and every marker found belongs to
 * all of them, they are returned as `ambiguous` (so "Dumela" alone is Sesotho or Setswana: the
 * caller answers in English and offers those two first on the language card rather than guessing;
 * "Dumela, ke a itumela" is Setswana because "ke a itumela" is Setswana's alone). Nothing found is
 * undefined.
 */
export function languageOfWords(text: string, extra: Partial<Record<LanguageCode, readonly string[]>> = {}): WordsVerdict {
  const typed = normalise(text);
  if (typed.trim() === '') return undefined;
  const votes = new Map<LanguageCode, number>();
  const seen = new Set<string>();
  for (const [p, languages] of [...NORMALISED_MARKERS, ...normalisedExtra(extra)]) {
    if (!typed.includes(p)) continue;
    const key = `${p}\u0000${languages.join()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const lang of languages) votes.set(lang, (votes.get(lang) ?? 0) + 1);
  }
  if (votes.size === 0) return undefined;
  const most = Math.max(...votes.values());
  const top = SPOKEN_LANGUAGES.filter((l) => votes.get(l) === most);
  return top.length === 1 ? { language: top[0]! } : { ambiguous: top };
}

/** The names a ratepayer may type for each language: English, the language's own, and the code. */
const NAMES: Record<LanguageCode, readonly string[]> = {
  en: ['english', 'isingisi', 'engels', 'sekgowa', 'seenglese', 'sekgoa', 'en'],
  zu: ['isizulu', 'zulu', 'isi zulu', 'zu'],
  xh: ['isixhosa', 'xhosa', 'isi xhosa', 'xh'],
  af: ['afrikaans', 'af'],
  nso: ['sepedi', 'pedi', 'sesotho sa leboa', 'northern sotho', 'nso'],
  st: ['sesotho', 'sotho', 'southern sotho', 'st'],
  tn: ['setswana', 'tswana', 'tn'],
};

/** Our language for a language's name as typed ("isiZulu", "Zulu", "Sesotho sa Leboa", "af"). */
export function languageNamed(text: string): LanguageCode | undefined {
  const typed = normalise(text).trim();
  for (const code of SPOKEN_LANGUAGES) if (NAMES[code].includes(typed)) return code;
  return undefined;
}

/**
 * The word for "language" in each of our languages (with "change language" forms), so the command
 * works whatever language the ratepayer is being answered in: English "language", isiZulu "ulimi",
 * isiXhosa "ulwimi", Afrikaans "taal", Sesotho "puo" and "leleme", Setswana "puo", Sepedi "polelo"
 * and "leleme".
 */
const COMMAND_WORDS = ['language', 'languages', 'ulimi', 'izilimi', 'ulwimi', 'iilwimi', 'taal', 'tale', 'puo', 'dipuo', 'leleme', 'maleme', 'polelo', 'dipolelo'];
const CHANGE_WORDS = ['change', 'choose', 'set', 'shintsha', 'guqula', 'khetha', 'tshintsha', 'verander', 'kies', 'fetola', 'fetosa', 'kgetha', 'tlhopha', 'fetofola', 'fetoga', 'cambia'];

/** A language command: asked for the language card, or straight for one language ("taal afrikaans"). */
export type LanguageCommand = { command: 'choose' } | { command: 'set'; language: LanguageCode };

/**
 * Whether a message is the language command, in any of our languages: the word alone ("ulimi",
 * "Taal?"), with a change verb ("change language", "shintsha ulimi", "verander taal", "fetola
 * puo"), or with a language's name ("language zulu", "puo sesotho", "taal: Afrikaans"). A message
 * that is only a language's name ("isiZulu", "Afrikaans") picks that language too. Anything else,
 * including sentences that merely contain the word ("my language is not listed"), is not a command.
 */
export function languageCommand(text: string): LanguageCommand | undefined {
  const words = normalise(text).trim().split(' ').filter((w) => w !== '');
  if (words.length === 0 || words.length > 5) return undefined;
  const named = languageNamed(words.join(' '));
  if (named) return { command: 'set', language: named };
  const at = words.findIndex((w) => COMMAND_WORDS.includes(w));
  if (at === -1) return undefined;
  const rest = words.filter((w, i) => i !== at && !CHANGE_WORDS.includes(w) && w !== 'to' && w !== 'na' && w !== 'ka' && w !== 'please');
  if (rest.length === 0) return { command: 'choose' };
  const language = languageNamed(rest.join(' '));
  return language ? { command: 'set', language } : undefined;
}

/** What is known about a ratepayer's language when a reply is due. */
export interface LanguageEvidence {
  /** What they picked on the language card or with the language command. */
  picked?: string;
  /** The client's locale (Teams `activity.locale`), a BCP 47 tag. */
  clientLocale?: string;
  /** The text of their first message. */
  firstWords?: string;
  /** Programme words per language (category keywords from the service definition). */
  programmeWords?: Partial<Record<LanguageCode, readonly string[]>>;
}

/** The language chosen, how, and (when the first words were ambiguous) the languages to offer first. */
export interface LanguageChoice {
  language: LanguageCode;
  source: LanguageSource;
  offerFirst?: LanguageCode[];
}

/**
 * The language to answer in, from the evidence, among `available` (the languages with a catalogue
 * the definition has not switched off; English is always one). Evidence for a language that is not
 * available is passed over, so a switched-off language falls to the next rule, not to a missing text.
 */
export function chooseLanguage(evidence: LanguageEvidence, available: readonly string[]): LanguageChoice {
  const usable = (code: LanguageCode | undefined): code is LanguageCode => code !== undefined && available.includes(code);
  const picked = evidence.picked === undefined ? undefined : (languageOfLocale(evidence.picked) ?? languageNamed(evidence.picked));
  if (usable(picked)) return { language: picked, source: 'picked' };
  const fromLocale = languageOfLocale(evidence.clientLocale);
  if (fromLocale !== 'en' && usable(fromLocale)) return { language: fromLocale, source: 'locale' };
  const verdict = evidence.firstWords === undefined ? undefined : languageOfWords(evidence.firstWords, evidence.programmeWords);
  if (verdict && 'language' in verdict && verdict.language !== 'en' && usable(verdict.language)) return { language: verdict.language, source: 'words' };
  const offerFirst = verdict && 'ambiguous' in verdict ? verdict.ambiguous.filter((l) => l !== 'en' && available.includes(l)) : [];
  const source: LanguageSource = fromLocale === 'en' ? 'locale' : 'default';
  return offerFirst.length > 1 ? { language: 'en', source, offerFirst } : { language: 'en', source };
}
