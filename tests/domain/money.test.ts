import assert from 'node:assert/strict';
import { formatRands, formatStoredRands, GROUP_SEPARATOR } from '../../bot/domain/money.js';

/** What the test expects, written with ordinary spaces for readability. */
const shown = (s: string) => s.replace(/ /g, GROUP_SEPARATOR);

describe('money: amounts as the City\'s statements show them', () => {
  it('groups thousands by spaces, puts a point before two cent digits and the rand sign in front (issue 12 item 13)', () => {
    assert.equal(formatRands(14000.12), shown('R14 000.12'));
    assert.equal(formatRands(10), 'R10.00', '"10,00" is stored as 10 and shown with its cents');
  });

  it('every size of amount: cents only, no grouping below a thousand, millions, the intake maximum', () => {
    assert.equal(formatRands(0), 'R0.00');
    assert.equal(formatRands(0.5), 'R0.50');
    assert.equal(formatRands(999.99), 'R999.99');
    assert.equal(formatRands(1000), shown('R1 000.00'));
    assert.equal(formatRands(1234567.8), shown('R1 234 567.80'));
    assert.equal(formatRands(100_000_000), shown('R100 000 000.00'));
  });

  it('rounds to cents (half away from zero) and carries into the next group', () => {
    assert.equal(formatRands(12.345), 'R12.35');
    assert.equal(formatRands(999.995), shown('R1 000.00'));
    assert.equal(formatRands(0.004), 'R0.00');
  });

  it('keeps an amount on one line (no-break group separator) and writes a negative amount as statements do', () => {
    assert.doesNotMatch(formatRands(14000.12), / /, 'no breaking space inside an amount');
    assert.equal(formatRands(-250.5), '-R250.50');
    assert.equal(formatRands(-0.001), 'R0.00');
    assert.equal(formatRands(Number.NaN), 'R–');
  });

  it('formats stored values whether kept as a number or as text, and leaves text that is not a number as it is', () => {
    assert.equal(formatStoredRands(14000.12), shown('R14 000.12'));
    assert.equal(formatStoredRands('14000.12'), shown('R14 000.12'));
    assert.equal(formatStoredRands('10'), 'R10.00');
    assert.equal(formatStoredRands('about ten thousand'), 'about ten thousand');
  });
});
