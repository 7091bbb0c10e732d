/**
 * The catalogue of intake fields a category may ask for. A programme's definition picks from
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
  type Check,
  type InvisibleKeep,
} from './validation.js';

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
  'arrearsAmount',
  'proposedMonthlyPayment',
  'idNumber',
  'householdSize',
  'monthlyHouseholdIncome',
  'ward',
  'facility',
  'description',
] as const;

/** One field name from the catalogue. */
export type IntakeFieldName = (typeof INTAKE_FIELD_NAMES)[number];

/** How a field is shown on the card. */
export type FieldInput = 'text' | 'multiline' | 'number' | 'email' | 'tel' | 'choice';

/** What the card and the POPIA notice need to know about a field. */
export interface FieldInfo {
  label: string;
  /** Shown under the input as a hint. */
  placeholder: string;
  input: FieldInput;
  /** Why it is collected, in the notice's words. */
  purpose: string;
  choices?: { title: string; value: string }[];
  maxLength: number;
  /** Personal information that is masked wherever it is not needed. */
  sensitive?: boolean;
  /** Which invisible format characters the value keeps (see removeInvisibles); none unless said. */
  invisibles?: InvisibleKeep;
  /** An amount in rands: stored as a number, shown to people as statements show it ("R14 000.12", bot/domain/money.ts). */
  money?: boolean;
  check(input: string, context: { wards?: { from: number; to: number } }): Check<string | number>;
}

const text = (min: number, max: number, label: string) => (input: string) => checkFreeText(input, { min, max, label });

/** The catalogue itself: label, input type, purpose and check for each field. */
export const INTAKE_FIELDS: Record<IntakeFieldName, FieldInfo> = {
  accountNumber: {
    label: 'Municipal account number',
    placeholder: '9 digits, at the top of your statement',
    input: 'text',
    purpose: 'to find your account',
    maxLength: 20,
    check: checkAccountNumber,
  },
  accountHolder: {
    label: 'Account holder name',
    placeholder: 'As it appears on the statement',
    input: 'text',
    purpose: 'to confirm we are looking at the right account',
    maxLength: 100,
    invisibles: 'joiners',
    check: checkPersonName,
  },
  mobile: {
    label: 'Mobile number',
    placeholder: 'e.g. 082 123 4567',
    input: 'tel',
    purpose: 'to call you back if the chat is cut off',
    maxLength: 20,
    check: checkMobile,
  },
  email: {
    label: 'Email address',
    placeholder: 'For the case summary',
    input: 'email',
    purpose: 'to send you the outcome in writing',
    maxLength: 254,
    check: checkEmail,
  },
  erfNumber: {
    label: 'Erf or stand number',
    placeholder: 'e.g. 1234 or 1234/5',
    input: 'text',
    purpose: 'to find the property the rates are charged on',
    maxLength: 60,
    check: checkErfNumber,
  },
  meterType: {
    label: 'Meter type',
    placeholder: 'Water or electricity',
    input: 'choice',
    choices: [
      { title: 'Water', value: 'water' },
      { title: 'Electricity', value: 'electricity' },
    ],
    purpose: 'to send your query to the right metering expert',
    maxLength: 20,
    check: (input) =>
      input === 'water' || input === 'electricity'
        ? { ok: true, value: input }
        : { ok: false, message: 'Please choose water or electricity.' },
  },
  meterNumber: {
    label: 'Meter number',
    placeholder: 'Printed on the meter and on your statement',
    input: 'text',
    purpose: 'to look up the meter and its readings',
    maxLength: 30,
    check: checkMeterNumber,
  },
  meterReading: {
    label: 'Latest meter reading',
    placeholder: 'If you have it, e.g. 01234.5',
    input: 'text',
    purpose: 'to compare with the reading on your bill',
    maxLength: 20,
    check: checkMeterReading,
  },
  arrearsAmount: {
    label: 'Arrears amount (if known)',
    placeholder: 'In rands, e.g. 12 500',
    input: 'text',
    purpose: 'to prepare a repayment arrangement',
    maxLength: 20,
    money: true,
    check: (input) => checkMoney(input, { label: 'The arrears amount', max: 100_000_000 }),
  },
  proposedMonthlyPayment: {
    label: 'Monthly payment you can afford',
    placeholder: 'In rands, e.g. 800',
    input: 'text',
    purpose: 'to propose a repayment arrangement you can keep',
    maxLength: 20,
    money: true,
    check: (input) => checkMoney(input, { label: 'The monthly payment', max: 10_000_000 }),
  },
  idNumber: {
    label: 'South African ID number',
    placeholder: '13 digits',
    input: 'text',
    purpose: 'to check your indigent (ESP) registration, as the policy requires',
    maxLength: 20,
    sensitive: true,
    check: checkSouthAfricanId,
  },
  householdSize: {
    label: 'People in your household',
    placeholder: 'Including you',
    input: 'number',
    purpose: 'to assess whether your household qualifies for the Expanded Social Package',
    maxLength: 3,
    check: (input) => checkWholeNumber(input, { label: 'The number of people in your household', min: 1, max: 50 }),
  },
  monthlyHouseholdIncome: {
    label: 'Monthly household income',
    placeholder: 'In rands, all earners together',
    input: 'text',
    purpose: 'to assess whether your household qualifies for the Expanded Social Package',
    maxLength: 20,
    money: true,
    check: (input) => checkMoney(input, { label: 'The monthly household income', max: 10_000_000 }),
  },
  ward: {
    label: 'Ward number',
    placeholder: 'The ward you live in',
    input: 'number',
    purpose: 'to send the officials for your ward',
    maxLength: 4,
    check: (input, context) =>
      checkWholeNumber(input, { label: 'The ward number', min: context.wards?.from ?? 1, max: context.wards?.to ?? 999 }),
  },
  facility: {
    label: 'Facility',
    placeholder: 'e.g. the clinic, library or park and its street',
    input: 'text',
    purpose: 'to find the facility you are reporting',
    maxLength: 120,
    invisibles: 'text',
    check: text(3, 120, 'The facility'),
  },
  description: {
    label: 'Your query in a few words',
    placeholder: 'What is wrong, and since when',
    input: 'multiline',
    purpose: 'so the expert can prepare before speaking with you',
    maxLength: 1000,
    invisibles: 'text',
    check: text(10, 1000, 'The description'),
  },
};
