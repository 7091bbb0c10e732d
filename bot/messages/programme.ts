/**
 * Programme-specific wording, from the service definition rather than the catalogue: examples of
 * what people can type to choose a category (the definition's `typeExamples`, or the first keyword
 * of its first two categories), so that a programme about ward walkabouts never tells people to
 * type "billing".
 */
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import { t, type Locale } from './index.js';

/** The words offered as examples of what to type: one or two keywords of the definition's categories. */
function typeExampleWords(def: ServiceDefinition): string[] {
  return def.programme.typeExamples ?? def.categories.slice(0, 2).flatMap((c) => c.keywords.slice(0, 1));
}

/** 'for example "billing" or "water meter"', in the ratepayer's language. */
export function typeExamples(locale: Locale, def: ServiceDefinition): string {
  const [first = '', second] = typeExampleWords(def);
  return second ? t(locale, 'common.typeExamples', { first, second }) : t(locale, 'common.typeExample', { first });
}
