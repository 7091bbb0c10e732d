/**
 * Programme-specific wording, from the service definition rather than the catalogue: examples of
 * what people can type to choose a category (the definition's `typeExamples`, or the first keyword
 * of its first two categories), so that a programme about ward walkabouts never tells people to
 * type "billing".
 */
import { INTAKE_FIELDS, SUPPLIER_UNSURE, type IntakeFieldName } from '../domain/intakeFields.js';
import { SPOKEN_LANGUAGES, type LanguageCode } from '../domain/language.js';
import { categoryByCode, categoryWordsIn, programmeWordsIn, type ProgrammeWords, type ServiceDefinition } from '../domain/serviceDefinition.js';
import { isLocale, t, type Locale, type MessageKey } from './index.js';

/** The words offered as examples of what to type, in a language: one or two keywords of the definition's categories. */
function typeExampleWords(def: ServiceDefinition, locale: Locale): string[] {
  const own = programmeWordsIn(def, locale).typeExamples;
  if (own) return own;
  // A language without its own examples: its categories' first keywords (English's own when it has none).
  if (locale !== 'en' && def.categories.some((c) => c.words[locale as LanguageCode])) {
    return def.categories.slice(0, 2).flatMap((c) => categoryWordsIn(c, locale).keywords.slice(0, 1));
  }
  return def.programme.typeExamples ?? def.categories.slice(0, 2).flatMap((c) => c.keywords.slice(0, 1));
}

/** 'for example "billing" or "water meter"', in the ratepayer's language. */
export function typeExamples(locale: Locale, def: ServiceDefinition): string {
  const [first = '', second] = typeExampleWords(def, locale);
  return second ? t(locale, 'common.typeExamples', { first, second }) : t(locale, 'common.typeExample', { first });
}

/**
 * The languages a programme serves, in the language card's order (English first): those its
 * definition lists (`programme.languages`) that have a catalogue (LANGUAGES). Start-up refuses a
 * definition listing a language without a catalogue, so in a running service this is the list.
 */
export function servedLanguages(def: ServiceDefinition): Locale[] {
  const listed = new Set<string>(def.programme.languages);
  return SPOKEN_LANGUAGES.filter((code): code is LanguageCode & Locale => listed.has(code) && isLocale(code));
}

/** The programme's own texts (name, organisation, information officer, purpose, contact) in a language, English where it has none. */
export function programmeIn(def: ServiceDefinition, locale: Locale): ProgrammeWords {
  return programmeWordsIn(def, locale);
}

/** A category's name in a language (the definition's words, else English), or its code when the definition no longer has it. */
export function categoryName(def: ServiceDefinition, code: string, locale: Locale): string {
  const category = categoryByCode(def, code);
  return category ? categoryWordsIn(category, locale).name : code;
}

/**
 * An intake answer as a person reads it, in a language: a choice field's code as its option's
 * label, the same words the form offered ("electricity" → "Electricity", "Ugesi"; a supplier's id
 * → the definition's name for it, "city-power" → "City Power"; "unsure" → the catalogue's "I'm not
 * sure…"). Any other field's value, and a code the definition no longer offers, come back as
 * stored. The choices are bot/domain/intakeFields.ts `INTAKE_FIELDS[name].choices` (their labels
 * `fields.<name>.choices.<code>`) and, for `supplier`, the definition's `rules.suppliers`.
 */
export function intakeValueIn(def: ServiceDefinition, name: string, value: string, locale: Locale): string {
  if (!isIntakeField(name) || INTAKE_FIELDS[name].input !== 'choice') return value;
  if (name === 'supplier') {
    if (value === SUPPLIER_UNSURE) return t(locale, 'fields.supplier.choices.unsure');
    return supplierWordsIn(def, value, locale)?.name ?? value;
  }
  return INTAKE_FIELDS[name].choices?.includes(value) ? t(locale, `fields.${name}.choices.${value}` as never) : value;
}

function isIntakeField(name: string): name is IntakeFieldName {
  return Object.hasOwn(INTAKE_FIELDS, name);
}

/**
 * The City's own rules texts in a language (tester 10, finding 12): the definition's words for
 * that language (`rules.words.<lang>`), else, when the English is the catalogue's own default
 * (or none is given), the catalogue's translation (`catalogueDefault`), else the definition's
 * English followed by `cityRules.inEnglish`, so the ratepayer knows why this part is in English.
 * English itself: the definition's text, else the catalogue's.
 */
function rulesText(locale: Locale, english: string | undefined, own: string | undefined, catalogueDefault?: MessageKey): string {
  if (locale !== 'en' && own) return own;
  const fallback = catalogueDefault ? t(locale, catalogueDefault) : '';
  if (english === undefined || (catalogueDefault && english === t('en', catalogueDefault))) return fallback;
  return locale === 'en' ? english : `${english} ${t(locale, 'cityRules.inEnglish')}`;
}

const rulesWordsIn = (def: ServiceDefinition, locale: Locale) => (locale === 'en' ? undefined : def.rules.words[locale as LanguageCode]);

/**
 * How to sign the acknowledgement of debt that makes a repayment arrangement binding, as the
 * ratepayer reads it: `rules.acknowledgementOfDebt` in their language (rulesText), else the
 * catalogue's `cityRules.acknowledgementDefault`. One place for the arrangement summary and the receipts.
 */
export function acknowledgementIn(def: ServiceDefinition, locale: Locale): string {
  return rulesText(locale, def.rules.acknowledgementOfDebt, rulesWordsIn(def, locale)?.acknowledgementOfDebt, 'cityRules.acknowledgementDefault');
}

/** The ESP application's documents (`rules.esp.documents`), as the ratepayer reads their names (rulesText), in the definition's order. */
export function espDocumentNames(def: ServiceDefinition, locale: Locale): string[] {
  const own = rulesWordsIn(def, locale)?.espDocuments ?? {};
  return def.rules.esp.documents.map((d) => rulesText(locale, d.name, own[d.id]));
}

/** How to renew an ESP registration (`rules.esp.renewal`), as the ratepayer reads it (rulesText); '' when the definition says nothing. */
export function espRenewalIn(def: ServiceDefinition, locale: Locale): string {
  return rulesText(locale, def.rules.esp.renewal, rulesWordsIn(def, locale)?.espRenewal);
}

/**
 * A supplier's words (`rules.suppliers[]`) as the ratepayer reads them: its name (a name: the
 * English one unless the definition gives another, never marked), how to tell it bills your meter,
 * and, for a supplier routed `elsewhere`, where to go instead (rulesText); undefined for an unknown id.
 */
export function supplierWordsIn(def: ServiceDefinition, id: string, locale: Locale): { name: string; hint: string; elsewhere: string } | undefined {
  const supplier = def.rules.suppliers.find((s) => s.id === id);
  if (!supplier) return undefined;
  const own = rulesWordsIn(def, locale)?.suppliers[id];
  return {
    name: (locale !== 'en' && own?.name) || supplier.name,
    hint: rulesText(locale, supplier.hint, own?.hint),
    elsewhere: supplier.route.kind === 'elsewhere' ? rulesText(locale, supplier.route.text, own?.elsewhere) : '',
  };
}
