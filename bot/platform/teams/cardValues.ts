/**
 * Card values at the edge: every `value` a client sends with a message (an Action.Submit on one
 * of our cards) is parsed here, with one zod schema per verb, before any route sees it. Routes
 * then only ever get the shape they expect; anything else (`value: null`, a string, an unknown
 * verb, a rating of `true`) gets one sensible answer instead of a TypeError in a route selector.
 *
 * Schemas check types only; what a value means (a real rating, a valid mobile number) is the
 * services' and the domain's business, so the ratepayer is told what to fix in their terms.
 */
import { z } from 'zod';
import { DRAFT_ID } from '../../ratepayers/features/intakeSubmit.js';

/** A text input's value as clients send it: a string, or a number from Input.Number on some clients. */
const typed = z.union([z.string().max(100_000), z.number().finite()]);
const reference = z.string().min(1).max(64);

/** One schema per verb our cards send. Extra keys are kept (inputs arrive beside the verb). */
const CARD_VALUE_SCHEMAS = {
  'intake.submit': z
    .object({ verb: z.literal('intake.submit'), category: z.string().min(1).max(64), draftId: z.string().regex(DRAFT_ID) })
    // Each field's value is checked by its own rule in the domain (bot/domain/intakeForm.ts),
    // which reads only strings and numbers, so a wrong type there comes back as "please fill in".
    .catchall(z.unknown()),
  'category.choose': z.object({ verb: z.literal('category.choose'), category: z.string().max(200) }).passthrough(),
  'case.status': z.object({ verb: z.literal('case.status') }).passthrough(),
  // The language card's button, or the welcome card's choice (issue 16): a language code; an
  // unknown one is answered by the feature with the languages offered.
  'language.choose': z.object({ verb: z.literal('language.choose'), language: z.string().max(16) }).passthrough(),
  // The case the button is for (cards from before references were carried have none: then it is
  // treated like typed "cancel", which asks which case when there are several).
  'case.cancel': z.object({ verb: z.literal('case.cancel'), reference: reference.optional() }).passthrough(),
  'case.endChat': z.object({ verb: z.literal('case.endChat'), reference, choice: z.enum(['end', 'continue']) }).passthrough(),
  // Issue 19: the reopen button on a receipt.
  'case.reopen': z.object({ verb: z.literal('case.reopen'), reference }).passthrough(),
  'survey.submit': z
    .object({
      verb: z.literal('survey.submit'),
      reference,
      // Input.ChoiceSet sends its value as a string; a boolean or an object is not a rating.
      rating: typed.optional(),
      comment: z.string().max(100_000).optional(),
    })
    .passthrough(),
  // The details asked after a transfer (bot/ratepayers/features/moreDetails.ts): the case, and
  // each asked field's value, checked by its own rule in the domain as the intake's are.
  'details.submit': z.object({ verb: z.literal('details.submit'), reference }).catchall(z.unknown()),
  'closing.choose': z
    .object({
      verb: z.literal('closing.choose'),
      reference,
      choice: z.string().max(64),
      callbackDate: typed.optional(),
      callbackTime: typed.optional(),
    })
    .passthrough(),
} as const;

/** A verb one of our cards sends. */
export type CardVerb = keyof typeof CARD_VALUE_SCHEMAS;

/** What a message's `value` turned out to be. */
export type CardValue =
  | { kind: 'none' }
  | { kind: 'card'; verb: CardVerb; data: Record<string, unknown> }
  /** Unreadable: `verb` is set when the verb was ours but the rest was not (so the answer can be specific). */
  | { kind: 'unreadable'; verb?: CardVerb };

/** Parses a message's `value` (undefined: the message is not a card submission). */
export function readCardValue(value: unknown): CardValue {
  if (value === undefined) return { kind: 'none' };
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { kind: 'unreadable' };
  const verb = (value as { verb?: unknown }).verb;
  if (typeof verb !== 'string' || !Object.hasOwn(CARD_VALUE_SCHEMAS, verb)) return { kind: 'unreadable' };
  const parsed = CARD_VALUE_SCHEMAS[verb as CardVerb].safeParse(value);
  return parsed.success
    ? { kind: 'card', verb: verb as CardVerb, data: parsed.data as Record<string, unknown> }
    : { kind: 'unreadable', verb: verb as CardVerb };
}

/**
 * The unsent intake form a client says it shows (`channelData.openForm`; the public web page sends
 * it with each message, web/src/openForm.ts): the same category, draftId and follows its submit
 * would carry, nothing typed. Anything else, or none: undefined (the message is read as ever).
 */
const OPEN_FORM = z.object({ category: z.string().min(1).max(64), draftId: z.string().regex(DRAFT_ID), follows: z.string().min(1).max(64).optional() });

/** Reads `channelData.openForm` (see OPEN_FORM); undefined when absent or not of that shape. */
export function readOpenForm(channelData: unknown): { category: string; draftId: string; follows?: string } | undefined {
  if (!channelData || typeof channelData !== 'object') return undefined;
  const parsed = OPEN_FORM.safeParse((channelData as { openForm?: unknown }).openForm);
  if (!parsed.success) return undefined;
  const { category, draftId, follows } = parsed.data;
  return { category, draftId, ...(follows ? { follows } : {}) };
}
