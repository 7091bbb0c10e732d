/**
 * Domain data put into words: what could not be passed on, lists joined with "and". These are
 * the renderers' helpers; the domain itself returns kinds and counts (bot/domain/attachments.ts).
 */
import type { NotPassedOn } from '../domain/attachments.js';
import type { IntakeFieldName } from '../domain/intakeFields.js';
import { t, type Locale } from './index.js';

const KIND_KEY = {
  picture: 'attachments.kind.picture',
  gif: 'attachments.kind.gif',
  'voice or video': 'attachments.kind.voiceOrVideo',
  'file from elsewhere': 'attachments.kind.fileFromElsewhere',
  other: 'attachments.kind.other',
} as const satisfies Record<NotPassedOn, string>;

/** "a, b and c": a list for a sentence, in the language's way. */
export function joinAnd(locale: Locale, parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : t(locale, 'common.and', { list: parts.slice(0, -1).join(', '), last: parts.at(-1)! });
}

/** "a picture pasted into the message and a GIF or sticker": what could not be passed on, for a sentence. */
export function describeNotPassedOn(locale: Locale, kinds: readonly NotPassedOn[]): string {
  const counts = new Map<NotPassedOn, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return joinAnd(
    locale,
    [...counts].map(([k, count]) => t(locale, KIND_KEY[k], { count })),
  );
}

/** A field's label on the card ("Mobile number"). */
export const fieldLabel = (locale: Locale, name: IntakeFieldName): string => t(locale, `fields.${name}.label`);

/** A field as it reads after "your" ("mobile number", "description of your query"). */
export const fieldSaidAs = (locale: Locale, name: IntakeFieldName): string => t(locale, `fields.${name}.saidAs`);
