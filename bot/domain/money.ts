/**
 * Amounts in rands as the City of Johannesburg's municipal statements print them: "R14 000.12",
 * "R10.00" — the rand sign with no space, thousands grouped by spaces, a point before the two
 * cent digits. Used wherever staff (or a ratepayer) read an amount; exports such as the CSV keep
 * plain numbers (14000.12) for spreadsheets.
 *
 * Intl.NumberFormat does the grouping and the rounding to cents (CLDR's `en-ZA` groups by
 * spaces); the statement's point is put in place of en-ZA's decimal comma, and the group
 * separator is a no-break space so an amount never wraps in the middle.
 */

/** The group separator shown: U+00A0, a space that does not break (it looks like a space). */
export const GROUP_SEPARATOR = '\u00a0';

const FORMAT = new Intl.NumberFormat('en-ZA', { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: true });

/**
 * An amount in rands as statements show it: `14000.12` → "R14 000.12", `10` → "R10.00",
 * `-250.5` → "-R250.50". Non-finite numbers (never stored: intake refuses them) give "R–".
 */
export function formatRands(rands: number): string {
  if (!Number.isFinite(rands)) return 'R–';
  const parts = FORMAT.formatToParts(Math.abs(rands));
  const text = parts
    .map((p) => (p.type === 'group' ? GROUP_SEPARATOR : p.type === 'decimal' ? '.' : p.value))
    .join('');
  // -0.001 rounds to "0.00": no minus sign on a zero.
  return `${rands < 0 && /[1-9]/.test(text) ? '-' : ''}R${text}`;
}

/** A stored amount (a number, or its text) as statements show it; anything that is not a number is shown as it is. */
export function formatStoredRands(value: string | number): string {
  const n = typeof value === 'number' ? value : /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isFinite(n) ? formatRands(n) : String(value);
}

/**
 * Whole cents for an amount in rands that has at most two decimals (what checkMoney returns and
 * the intake stores): `1234.5` → `123450`. Rounding absorbs the binary error of such numbers
 * (1234.5 × 100 may be 123449.99999…); never use it on a computed amount with more decimals.
 * Issue 20: the City's rules compute in integer cents end to end, from here on.
 */
export function centsFromRands(rands: number): number {
  return Math.round(rands * 100);
}

/** Integer cents as statements show them: `123450` → "R1 234.50". */
export function formatCents(cents: number): string {
  return formatRands(cents / 100);
}
