/**
 * Checking a submitted intake card against its category's fields. The answer either carries
 * the normalised values, or an error per wrong field together with everything the ratepayer
 * typed, so the card can come back with nothing lost.
 */
import { INTAKE_FIELDS, type IntakeFieldName } from './intakeFields.js';
import type { Category } from './serviceDefinition.js';
import { removeInvisibles } from './validation.js';
import { message, type Message } from './message.js';

/** Longest value kept from one input when it is sent back; anything longer is cut here. */
const KEEP_AT_MOST = 4000;

/** The result of checking one card submission: per wrong field, a message as a code and its parameters. */
export type IntakeCheck =
  | { ok: true; values: Record<string, string | number> }
  | { ok: false; errors: Partial<Record<IntakeFieldName, Message>>; typed: Record<string, string> };

/**
 * What the ratepayer typed into each field, as text, without the invisible format characters
 * copy and paste brings (see removeInvisibles): so the check, the stored value and the card sent
 * back to fix a mistake all see the same, clean text. Anything that is not text is ignored.
 */
function typedValues(category: Category, raw: unknown): Record<string, string> {
  const source = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const typed: Record<string, string> = {};
  for (const { name } of category.fields) {
    const value = source[name];
    if (typeof value === 'string') typed[name] = removeInvisibles(value.slice(0, KEEP_AT_MOST), INTAKE_FIELDS[name].invisibles ?? 'none');
    else if (typeof value === 'number' && Number.isFinite(value)) typed[name] = String(value);
  }
  return typed;
}

/** Checks every field of the category; all errors are reported at once, not one at a time. */
export function checkIntake(
  category: Category,
  raw: unknown,
  context: { wards?: { from: number; to: number } } = {},
): IntakeCheck {
  const typed = typedValues(category, raw);
  const errors: Partial<Record<IntakeFieldName, Message>> = {};
  const values: Record<string, string | number> = {};
  for (const { name, required } of category.fields) {
    const info = INTAKE_FIELDS[name];
    const input = (typed[name] ?? '').trim();
    if (input === '') {
      if (required) errors[name] = message('validation.form.required', { field: message(`fields.${name}.name`) });
      continue;
    }
    if (input.length > info.maxLength * 4 && info.input !== 'multiline') {
      errors[name] = message('validation.form.tooLong', { field: message(`fields.${name}.label`) });
      continue;
    }
    const result = info.check(input, context);
    if (result.ok) values[name] = result.value;
    else errors[name] = result.error;
  }
  return Object.keys(errors).length ? { ok: false, errors, typed } : { ok: true, values };
}
