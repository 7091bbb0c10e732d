/**
 * Checking a submitted intake card against its category's fields. The answer either carries
 * the normalised values, or an error per wrong field together with everything the ratepayer
 * typed, so the card can come back with nothing lost.
 */
import { INTAKE_FIELDS, SUPPLIER_UNSURE, type IntakeContext, type IntakeFieldName } from './intakeFields.js';
import type { Category, ServiceDefinition } from './serviceDefinition.js';
import { removeInvisibles } from './validation.js';
import { message, type Message } from './message.js';

/**
 * Longest value (in characters, code points) one input carries when the card comes back to fix
 * a mistake: a card holds about 28 KB in Teams, and a form has up to seven inputs. The check
 * itself reads the whole value, so a message states the real count; only the card sent back is
 * cut, and then the ratepayer is told which field was cut (`cut` below), never "everything you
 * typed is still here".
 */
export const KEEP_AT_MOST = 4000;

/** The result of checking one card submission: per wrong field, a message as a code and its parameters. */
export type IntakeCheck =
  | { ok: true; values: Record<string, string | number> }
  | {
      ok: false;
      errors: Partial<Record<IntakeFieldName, Message>>;
      /** What to put back on the card: each field as typed, at most KEEP_AT_MOST characters. */
      typed: Record<string, string>;
      /** The fields whose value was longer than KEEP_AT_MOST, so the card cannot carry it whole. */
      cut: IntakeFieldName[];
    };

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
    // Whole: the check counts every character (the card edge, bot/platform/teams/cardValues.ts, bounds a value at 100,000).
    if (typeof value === 'string') typed[name] = removeInvisibles(value, INTAKE_FIELDS[name].invisibles ?? 'none');
    else if (typeof value === 'number' && Number.isFinite(value)) typed[name] = String(value);
  }
  return typed;
}

/**
 * The context every channel checks an intake with (the web chat's and Teams' card, WhatsApp's and
 * SMS's one question at a time): the definition's first region's wards and its suppliers. One
 * place, so no channel checks a supplier without knowing the suppliers (tester 10, finding 1:
 * WhatsApp refused every named supplier).
 */
export function intakeContextOf(def: ServiceDefinition): IntakeContext {
  return { wards: def.regions[0]?.wards, suppliers: def.rules.suppliers };
}

/**
 * Checks every field of the category; all errors are reported at once, not one at a time. Across
 * fields: a named supplier must bill the meter type chosen (`rules.suppliers[].service`; Eskom
 * does not bill water), else the supplier is wrong, said with both names (tester 10, finding 6).
 */
export function checkIntake(category: Category, raw: unknown, context: IntakeContext = {}): IntakeCheck {
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
    // Far too long for the field: said so without running its check on it. Not below 100
    // characters, so a short field's own check says what is wrong with a short answer
    // ("abayisithupha" for a household size: "write it in digits", not "too long").
    if (input.length > Math.max(info.maxLength * 4, 100) && info.input !== 'multiline') {
      errors[name] = message('validation.form.tooLong', { field: message(`fields.${name}.name`) });
      continue;
    }
    const result = info.check(input, context);
    if (result.ok) values[name] = result.value;
    else errors[name] = result.error;
  }
  const supplier = context.suppliers?.find((s) => s.id === values.supplier && s.id !== SUPPLIER_UNSURE);
  const meterType = values.meterType;
  if (supplier && typeof meterType === 'string' && supplier.service !== meterType)
    errors.supplier = message('validation.supplierService', { supplier: supplier.name, meterType: message(`fields.meterType.choices.${meterType}`) });
  if (!Object.keys(errors).length) return { ok: true, values };
  // What the card can carry back: the first KEEP_AT_MOST characters, never half a character.
  const cut: IntakeFieldName[] = [];
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(typed)) {
    const characters = Array.from(value);
    if (characters.length > KEEP_AT_MOST) {
      cut.push(name as IntakeFieldName);
      kept[name] = characters.slice(0, KEEP_AT_MOST).join('');
    } else kept[name] = value;
  }
  return { ok: false, errors, typed: kept, cut };
}
