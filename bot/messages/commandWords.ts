/**
 * The commands a ratepayer types, recognised in every language with a catalogue (issue 16:
 * "commands in every language"): "status", "my cases", "cancel", "my data", "reopen" / "not
 * resolved" (with or without a case reference), "status K7M-3PQ" (issue 19) and "end chat", whatever language
 * the chat is answered in, so an isiZulu speaker's "isimo" and an English "status" both work.
 *
 * The words are data in the catalogues, beside the texts that name them (bot/messages/<code>.json):
 * - `typed.<command>`: the word a text tells people to type; the texts nest it (`Bhala
 *   "$t(typed.status)"`), so a text can never name a word the bot does not recognise;
 * - `typed.also.<command>`: other ways people say it, separated by ";".
 * Every language's words are recognised in every chat (the answer is still in the chat's
 * language), so a ratepayer answered in English who types "khansela" is understood too. The words
 * other than English were drafted by the development team (docs/translations.md, "Typed
 * commands"), to be reviewed with the rest of the catalogue.
 *
 * Matching is on the whole message (trailing "!", ".", "?" and spaces allowed), any case, accents
 * ignored ("tšwa" and "tswa" alike); "my data" and its kin also start a longer message ("my data
 * please"), as before.
 */
import { LANGUAGES, t, type MessageKey } from './index.js';

/** A command typed as words; its words are the catalogue's `typed.<command>` and `typed.also.<command>`. */
type TypedCommand = 'status' | 'myCases' | 'cancel' | 'endChat' | 'myData' | 'reopen';

/** Lower case, accents off ("Tšwa" → "tswa"), whitespace as typed. */
const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');

/** Every way to type `command`, in every language, folded; the longest first (so "my case" does not take "my cases"). */
function commandWords(command: TypedCommand): string[] {
  const words = new Set<string>();
  for (const lang of LANGUAGES) {
    const main = t(lang, `typed.${command}` as MessageKey);
    const also = t(lang, `typed.also.${command}` as MessageKey).split(';');
    for (const w of [main, ...also]) {
      const folded = fold(w).trim();
      if (folded !== '') words.add(folded);
    }
  }
  return [...words].sort((a, b) => b.length - a.length);
}

const anyOf = (words: string[]): string => `(?:${words.map(escape).join('|')})`;
/**
 * A case reference as people type it: "K7M-3PQ", "k7m3pq", "K7M 3PQ", with any dash; or a dispute
 * reference, which names its case ("K7M-3PQ-D1", "K7M3PQ-D1" as printed on the dispute receipt,
 * issue 20): the case's part is captured, the dispute's number is not needed to find the case.
 */
const REF = '([2-9A-Za-z]{3}[\\s\\-\\u2010-\\u2015]?[2-9A-Za-z]{3})(?:[\\s\\-\\u2010-\\u2015]?[Dd][1-9]\\d?)?';
const END = '[\\s!.?]*$';

interface Patterns {
  whole: Record<Exclude<TypedCommand, 'reopen'>, RegExp>;
  myData: RegExp;
  reopen: RegExp;
  statusOf: RegExp;
}
let built: Patterns | undefined;

// Built once, on first use, from the catalogues (loaded when this module's importer loads them).
function patterns(): Patterns {
  if (built) return built;
  const whole = (command: TypedCommand) => new RegExp(`^${anyOf(commandWords(command))}${END}`, 'iu');
  // "status K7M-3PQ": the word each text names for status (not "where am i"), with the optional
  // English "of" and "case", a reference, and, from another chat, the account number and the last
  // four digits of the mobile number.
  const statusWords = [...new Set(LANGUAGES.map((lang) => fold(t(lang, 'typed.status')).trim()))];
  built = {
    whole: { status: whole('status'), myCases: whole('myCases'), cancel: whole('cancel'), endChat: whole('endChat'), myData: whole('myData') },
    myData: new RegExp(`^${anyOf(commandWords('myData'))}(?![\\p{L}\\p{N}])`, 'iu'),
    reopen: new RegExp(`^${anyOf(commandWords('reopen'))}(?:\\s+(?:case\\s+)?${REF})?${END}`, 'iu'),
    statusOf: new RegExp(`^${anyOf(statusWords)}\\s+(?:of\\s+)?(?:case\\s+)?${REF}(?:[\\s,]+([\\d\\s]{9,13}?)[\\s,]+(\\d{4}))?${END}`, 'iu'),
  };
  return built;
}

/** Whether `text` is the typed command (in any language): "status", "isimo", "kanselleer", "my data please"… */
export function isCommand(command: Exclude<TypedCommand, 'reopen'>, text: string): boolean {
  const p = patterns();
  return (command === 'myData' ? p.myData : p.whole[command]).test(fold(text));
}

/** "reopen K7M-3PQ", "vula futhi", "nie opgelos nie": the reopen command and the reference typed with it, if any; undefined when it is not the command. */
export function reopenCommand(text: string): { reference?: string } | undefined {
  const m = patterns().reopen.exec(fold(text));
  if (!m) return undefined;
  return m[1] ? { reference: m[1].toUpperCase() } : {};
}

/** "status K7M-3PQ [account lastFour]", "isimo K7M-3PQ": the reference and the proof typed; undefined when it is not the command. */
export function statusOfCommand(text: string): { reference: string; account?: string; lastFour?: string } | undefined {
  const m = patterns().statusOf.exec(fold(text));
  if (!m) return undefined;
  const [, reference, account, lastFour] = m;
  return { reference: reference!.toUpperCase(), ...(account ? { account } : {}), ...(lastFour ? { lastFour } : {}) };
}

/** Every word of a `;`-separated word list (`whatsapp.skipWords`…) in every catalogue, folded, without repeats. */
const listedWords = (key: MessageKey): string[] => [...new Set(LANGUAGES.flatMap((lang) => t(lang, key).split(';').map((w) => fold(w).trim())))].filter(Boolean);

let skip: RegExp | undefined;

/**
 * Whether an answer leaves an optional question out: "0", as the WhatsApp question says, or the
 * word for "skip" or "none" in any catalogue's language (`whatsapp.skipWords`: "skip", "yeqa",
 * "slaan oor"…), matched as the commands are (whole message, any case, accents ignored).
 */
export function isSkipWord(text: string): boolean {
  skip ??= new RegExp(`^(?:0|${anyOf(listedWords('whatsapp.skipWords'))})${END}`, 'iu');
  return skip.test(fold(text.trim()));
}

let yesNo: { yes: RegExp; no: RegExp } | undefined;

/**
 * "yes" or "no" typed as the answer to a yes-or-no question (WhatsApp's "is this the best number
 * to reach you?"): the catalogues' `whatsapp.yesWords` and `whatsapp.noWords` ("yes", "yebo",
 * "ja", "ee"…; "no", "cha", "nee", "tjhe", "nnyaa", "aowa", "hayi"…), in any catalogue's language
 * whatever the chat's, matched as the commands are (whole message, any case, accents ignored, a
 * trailing "!", "." or "?"). Undefined: neither (a number, a sentence).
 */
export function yesOrNo(text: string): 'yes' | 'no' | undefined {
  yesNo ??= {
    yes: new RegExp(`^${anyOf(listedWords('whatsapp.yesWords'))}${END}`, 'iu'),
    no: new RegExp(`^${anyOf(listedWords('whatsapp.noWords'))}${END}`, 'iu'),
  };
  const folded = fold(text.trim());
  if (yesNo.yes.test(folded)) return 'yes';
  if (yesNo.no.test(folded)) return 'no';
  return undefined;
}
