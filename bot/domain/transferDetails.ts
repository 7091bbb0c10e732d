/**
 * What a transfer leaves a case without: each category's intake form asks for its own details
 * (the definition's `fields`, bot/domain/intakeFields.ts), so a case moved from credit control to
 * indigent queries arrives without the ID number, household size and income the indigent experts
 * need. The lifecycle (bot/domain/case.ts transferCase) records the gap; the ratepayer is asked
 * for exactly those details (bot/ratepayers/features/moreDetails.ts).
 */
import { INTAKE_FIELD_NAMES, type IntakeFieldName } from './intakeFields.js';
import type { Category } from './serviceDefinition.js';

/**
 * The fields `category` requires that `intake` has no answer for (absent, or empty text), in the
 * order of the field catalogue (INTAKE_FIELD_NAMES: how the forms ask them). Optional fields are
 * never asked after a transfer (POPIA s10: collect the minimum). Pure; never throws.
 */
export function missingDetails(category: Pick<Category, 'fields'>, intake: Readonly<Record<string, string | number>>): IntakeFieldName[] {
  const required = new Set(category.fields.filter((f) => f.required).map((f) => f.name));
  return INTAKE_FIELD_NAMES.filter((name) => required.has(name) && (intake[name] === undefined || String(intake[name]).trim() === ''));
}

/**
 * The category's fields cut down to the ones asked after a transfer, each required: what the
 * details form shows and what its answers are checked against (bot/domain/intakeForm.ts
 * checkIntake), so an answer is held to exactly the intake's own rules.
 */
export function askedFieldsOf<C extends Pick<Category, 'fields'>>(category: C, asked: readonly IntakeFieldName[]): C {
  const fields = INTAKE_FIELD_NAMES.filter((name) => asked.includes(name)).map((name) => ({ name, required: true }));
  return { ...category, fields };
}
