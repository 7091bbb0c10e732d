/**
 * The language choice as a reply (issue 16): apart from the language command (./language.ts) so
 * that the welcome can offer it without importing what the command offers again (a form).
 */
import { servedLanguages } from '../../messages/programme.js';
import type { ServiceDefinition } from '../../domain/serviceDefinition.js';
import { t, type Locale } from '../../messages/index.js';
import type { LanguageContent, Reply } from '../replies.js';

/** The language choice: one button per served language, in its own name; `first` are listed first. */
function languageContent(def: ServiceDefinition, locale: Locale, first: readonly string[] = []): LanguageContent {
  const available = servedLanguages(def);
  const ordered = [...available.filter((c) => first.includes(c)), ...available.filter((c) => !first.includes(c))];
  return {
    languages: ordered.map((code) => ({ value: code, title: t(locale, `language.name.${code}`) })),
    t: { title: t(locale, 'language.title'), intro: t(locale, 'language.intro') },
  };
}

/** The language card as a reply. */
export function languageChoice(def: ServiceDefinition, locale: Locale, first: readonly string[] = []): Reply {
  return { kind: 'choice', view: 'language', content: languageContent(def, locale, first), summary: t(locale, 'language.fallback') };
}
