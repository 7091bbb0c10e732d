/**
 * The list of intake fields a category may ask for. A programme's definition picks from
 * this list per category (collect the minimum: POPIA s10), so what a card asks is data while
 * how each answer is checked stays in code.
 */
import {
  checkAccountNumber,
  checkEmail,
  checkErfNumber,
  checkFreeText,
  checkMeterNumber,
  checkMeterReading,
  checkMobile,
  checkMoney,
  checkPersonName,
  checkSouthAfricanId,
  checkWholeNumber,
  formatMobileForDisplay,
  type Check,
  type InvisibleKeep,
} from './validation.js';
import { message } from './message.js';

/** Every field name a definition may use. */
export const INTAKE_FIELD_NAMES = [
  'accountNumber',
  'accountHolder',
  'mobile',
  'email',
  'erfNumber',
  'meterType',
  'meterNumber',
  'meterReading',
  /** Issue 20: who bills the meter; its choices are the definition's `rules.suppliers` and "not sure". */
  'supplier',
  'arrearsAmount',
  'proposedMonthlyPayment',
  'idNumber',
  'householdSize',
  'monthlyHouseholdIncome',
  'ward',
  'facility',
  'description',
] as const;

/** The supplier field's answer for a ratepayer who cannot tell who bills their meter. */
export const SUPPLIER_UNSURE = 'unsure';

/**
 * What the checks need from the programme's definition (intakeContextOf in intakeForm.ts): the
 * wards of its region, and its suppliers (`rules.suppliers`: id, name and the metered service
 * each bills). Without suppliers no named supplier is accepted, only "not sure".
 */
export interface IntakeContext {
  wards?: { from: number; to: number };
  suppliers?: readonly { id: string; name: string; service: string }[];
}

/** One field name from the catalogue. */
export type IntakeFieldName = (typeof INTAKE_FIELD_NAMES)[number];

/** How a field is shown on the card. */
export type FieldInput = 'text' | 'multiline' | 'number' | 'email' | 'tel' | 'choice';

/**
 * How a field is asked and checked. Its words (label, hint under the input, why it is collected
 * for the POPIA notice, how it reads mid-sentence, the names of its choices) are in the message
 * catalogue under `fields.<name>` (bot/messages/en.json), never here.
 */
export interface FieldInfo {
  input: FieldInput;
  /** The values a choice offers; their names are `fields.<name>.choices.<value>` in the catalogue. */
  choices?: string[];
  maxLength: number;
  /** Personal information that is masked wherever it is not needed. */
  sensitive?: boolean;
  /** Which invisible format characters the value keeps (see removeInvisibles); none unless said. */
  invisibles?: InvisibleKeep;
  /** An amount in rands: stored as a number, shown to people as statements show it ("R14 000.12", bot/domain/money.ts). */
  money?: boolean;
  /**
   * What the ratepayer wrote in their own words (the query, a facility's name as they put it):
   * machine-translated for staff who do not read the case's language, as their chat messages are
   * (Case.intakeTranslations). Never a code, a number, an amount, a name or an address: those
   * are shown as given.
   */
  freeText?: boolean;
  check(input: string, context: IntakeContext): Check<string | number>;
}

const text = (min: number, max: number, field: IntakeFieldName) => (input: string) => checkFreeText(input, { min, max, field });

/** The fields themselves: input type, limits and check for each. */
export const INTAKE_FIELDS: Record<IntakeFieldName, FieldInfo> = {
  accountNumber: {
    input: 'text',
    maxLength: 20,
    check: checkAccountNumber,
  },
  accountHolder: {
    input: 'text',
    maxLength: 100,
    invisibles: 'joiners',
    check: checkPersonName,
  },
  mobile: {
    input: 'tel',
    maxLength: 20,
    check: checkMobile,
  },
  email: {
    input: 'email',
    maxLength: 254,
    check: checkEmail,
  },
  erfNumber: {
    input: 'text',
    maxLength: 60,
    check: checkErfNumber,
  },
  meterType: {
    input: 'choice',
    choices: ['water', 'electricity'],
    maxLength: 20,
    check: (input) =>
      input === 'water' || input === 'electricity'
        ? { ok: true, value: input }
        : { ok: false, error: message('validation.meter.type') },
  },
  supplier: {
    input: 'choice',
    maxLength: 40,
    // One of the definition's suppliers, or "unsure" (never turned away: bot/domain/supplier.ts).
    check: (input, context) =>
      input === SUPPLIER_UNSURE || (context.suppliers ?? []).some((s) => s.id === input)
        ? { ok: true, value: input }
        : { ok: false, error: message('validation.supplier') },
  },
  meterNumber: {
    input: 'text',
    maxLength: 30,
    check: checkMeterNumber,
  },
  meterReading: {
    input: 'text',
    maxLength: 20,
    check: checkMeterReading,
  },
  arrearsAmount: {
    input: 'text',
    maxLength: 20,
    money: true,
    check: (input) => checkMoney(input, { field: 'arrearsAmount', max: 100_000_000 }),
  },
  proposedMonthlyPayment: {
    input: 'text',
    maxLength: 20,
    money: true,
    check: (input) => checkMoney(input, { field: 'proposedMonthlyPayment', max: 10_000_000 }),
  },
  idNumber: {
    input: 'text',
    maxLength: 20,
    sensitive: true,
    check: checkSouthAfricanId,
  },
  householdSize: {
    input: 'number',
    maxLength: 3,
    check: (input) => checkWholeNumber(input, { field: 'householdSize', min: 1, max: 50 }),
  },
  monthlyHouseholdIncome: {
    input: 'text',
    maxLength: 20,
    money: true,
    check: (input) => checkMoney(input, { field: 'monthlyHouseholdIncome', max: 10_000_000 }),
  },
  ward: {
    input: 'number',
    maxLength: 4,
    check: (input, context) =>
      checkWholeNumber(input, { field: 'ward', min: context.wards?.from ?? 1, max: context.wards?.to ?? 999 }),
  },
  facility: {
    input: 'text',
    maxLength: 120,
    freeText: true,
    invisibles: 'text',
    check: text(3, 120, 'facility'),
  },
  description: {
    input: 'multiline',
    maxLength: 1000,
    freeText: true,
    invisibles: 'text',
    check: text(10, 1000, 'description'),
  },
};

/**
 * The answers that describe the ratepayer and their account rather than one query: a second form
 * in the same chat (another category's link, the welcome card again) comes with these filled in
 * from the chat's latest case, so the person does not type them twice. The query's own answers
 * (description, meter, amounts, household) and the ID number (sensitive: asked afresh, never
 * shown back) are not carried. Source: a tester's report on the public chat page (a second
 * category's link brought a blank form into the same chat).
 */
const CARRIED_FIELDS: readonly IntakeFieldName[] = ['accountNumber', 'accountHolder', 'mobile', 'email'];

/**
 * What a new form for `fields` starts with from an earlier case's intake (its normalised answers):
 * each carried field the form asks and the case answered, as the person would type it (a mobile
 * number "+27821234567" as "082 123 4567"). Empty when nothing is shared. Pure: no store, no log.
 */
export function carriedAnswers(earlier: Readonly<Record<string, string | number>>, fields: readonly { name: IntakeFieldName }[]): Record<string, string> {
  const asked = new Set(fields.map((f) => f.name));
  const carried: Record<string, string> = {};
  for (const name of CARRIED_FIELDS) {
    const value = earlier[name];
    if (!asked.has(name) || typeof value !== 'string' || !value) continue;
    carried[name] = name === 'mobile' ? formatMobileForDisplay(value) : value;
  }
  return carried;
}
