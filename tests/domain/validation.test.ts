import assert from 'node:assert/strict';
import { say } from '../../bot/messages/index.js';
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
  luhnValid,
  maskIdNumber,
  type Check,
} from '../../bot/domain/validation.js';

function value<T>(check: Check<T>): T {
  assert.ok(check.ok, `expected ok, got: ${check.ok ? '' : say('en', check.error)}`);
  return check.value;
}

function message<T>(check: Check<T>): string {
  assert.ok(!check.ok, `expected a failure, got value ${check.ok ? JSON.stringify(check.value) : ''}`);
  return say('en', check.error);
}

/** The Luhn check digit that makes `body` + digit valid, computed independently of luhnValid. */
function luhnDigit(body: string): string {
  let sum = 0;
  [...body].reverse().forEach((ch, i) => {
    let d = Number(ch) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  });
  return String((10 - (sum % 10)) % 10);
}

/** A well-formed ID number for a birth date (YYMMDD) and citizenship digit. */
const idFor = (yymmdd: string, citizenship = '0', sequence = '5009', a = '8') => {
  const body = `${yymmdd}${sequence}${citizenship}${a}`;
  return body + luhnDigit(body);
};

describe('validation', () => {
  describe('checkAccountNumber', () => {
    it('accepts nine digits, removing spaces, dashes and dots', () => {
      assert.equal(value(checkAccountNumber('123456789')), '123456789');
      assert.equal(value(checkAccountNumber(' 123 456 789 ')), '123456789');
      assert.equal(value(checkAccountNumber('123-456-789')), '123456789');
      assert.equal(value(checkAccountNumber('123.456.789')), '123456789');
    });

    it('says how many digits were typed and where to find the number', () => {
      const m = message(checkAccountNumber('12345678'));
      assert.match(m, /8 digits/);
      assert.match(m, /top of your municipal statement/);
      assert.match(message(checkAccountNumber('1234567890')), /10 digits/);
      assert.match(message(checkAccountNumber('1')), /1 digit,/);
    });

    it('rejects letters and empty input', () => {
      assert.match(message(checkAccountNumber('12345678A')), /only digits/);
      assert.match(message(checkAccountNumber('   ')), /account number/);
    });
  });

  describe('luhnValid', () => {
    it('accepts valid numbers and rejects a changed digit', () => {
      assert.equal(luhnValid('8001015009087'), true);
      assert.equal(luhnValid('79927398713'), true);
      assert.equal(luhnValid('8001015009088'), false);
      assert.equal(luhnValid('79927398710'), false);
    });

    it('agrees with an independently computed check digit', () => {
      for (const body of ['000000000000', '123456789012', '991231123418', '750614012308']) {
        assert.equal(luhnValid(body + luhnDigit(body)), true, body);
        const wrong = String((Number(luhnDigit(body)) + 1) % 10);
        assert.equal(luhnValid(body + wrong), false, body);
      }
    });

    it('rejects anything that is not all digits', () => {
      assert.equal(luhnValid(''), false);
      assert.equal(luhnValid('80010150090 87'), false);
      assert.equal(luhnValid('abc'), false);
    });
  });

  describe('checkSouthAfricanId', () => {
    it('accepts the known-valid example and normalises separators', () => {
      assert.equal(value(checkSouthAfricanId('8001015009087')), '8001015009087');
      assert.equal(value(checkSouthAfricanId(' 800101 5009 087 ')), '8001015009087');
      assert.equal(value(checkSouthAfricanId('800101-5009-08-7')), '8001015009087');
    });

    it('accepts generated IDs for real dates in both centuries and all citizenship digits', () => {
      for (const [date, c] of [
        ['000229', '0'], // 29 Feb 2000 (1900 was not a leap year, 2000 was)
        ['991231', '1'],
        ['050615', '2'],
        ['760229', '0'], // 1976 leap year
      ] as const) {
        const id = idFor(date, c);
        assert.equal(value(checkSouthAfricanId(id)), id);
      }
    });

    it('rejects a wrong check digit as a possible typo', () => {
      assert.match(message(checkSouthAfricanId('8001015009088')), /mistyped/);
      // Two neighbouring digits swapped, a common slip (5009 typed as 0509).
      assert.match(message(checkSouthAfricanId('8001010509087')), /mistyped/);
    });

    it('rejects dates that do not exist, with the Luhn digit otherwise right', () => {
      assert.match(message(checkSouthAfricanId(idFor('801301'))), /date of birth/); // 13th month
      assert.match(message(checkSouthAfricanId(idFor('800230'))), /date of birth/); // 30 February
      assert.match(message(checkSouthAfricanId(idFor('010229'))), /date of birth/); // 2001 and 1901 not leap years
      assert.match(message(checkSouthAfricanId(idFor('800100'))), /date of birth/); // day 0
    });

    it('rejects a citizenship digit other than 0, 1 or 2', () => {
      const m = message(checkSouthAfricanId(idFor('800101', '3')));
      assert.match(m, /11th digit/);
      assert.match(m, /0, 1 or 2/);
    });

    it('rejects the wrong length, saying how many digits were typed', () => {
      assert.match(message(checkSouthAfricanId('800101500908')), /12 digits/);
      assert.match(message(checkSouthAfricanId('80010150090871')), /14 digits/);
      assert.match(message(checkSouthAfricanId('80010150090A7')), /only digits/);
      assert.match(message(checkSouthAfricanId('')), /13-digit/);
    });

    it('checks length first, then date, then citizenship, then the check digit', () => {
      // Bad date and bad check digit: the date is the more useful thing to mention.
      assert.match(message(checkSouthAfricanId('8013015009087')), /date of birth/);
      // Bad citizenship and bad check digit.
      assert.match(message(checkSouthAfricanId('8001015009387')), /11th digit/);
    });
  });

  describe('maskIdNumber', () => {
    it('hides all but the last four digits', () => {
      assert.equal(maskIdNumber('8001015009087'), '•••••••••9087');
      assert.equal(maskIdNumber('800101 5009 087'), '•••••••••9087');
    });

    it('hides very short values completely', () => {
      assert.equal(maskIdNumber('1234'), '••••');
      assert.equal(maskIdNumber(''), '');
    });
  });

  describe('checkMobile', () => {
    it('accepts local and international forms and returns E.164', () => {
      for (const input of [
        '0821234567',
        '082 123 4567',
        '082-123-4567',
        '(082) 123 4567',
        '+27821234567',
        '+27 82 123 4567',
        '27821234567',
        '0027821234567',
        '+27 (0)82 123 4567',
      ]) {
        assert.equal(value(checkMobile(input)), '+27821234567', input);
      }
      assert.equal(value(checkMobile('060 123 4567')), '+27601234567');
      assert.equal(value(checkMobile('0731234567')), '+27731234567');
      assert.equal(value(checkMobile('0841234567')), '+27841234567');
    });

    it('refuses numbers the numbering plan does not mark mobile, saying what kind each is (libphonenumber-js metadata)', () => {
      const cases: [string, RegExp][] = [
        ['0800123456', /toll-free/],
        ['0861234567', /sharecall/],
        ['086 123 4567', /sharecall/],
        ['+27861234567', /sharecall/],
        ['087 550 1234', /VoIP/],
        ['+27 87 550 1234', /VoIP/],
        ['0111234567', /landline/], // Johannesburg
        ['0211234567', /landline/], // Cape Town
        ['0123456789', /landline/], // Pretoria
      ];
      for (const [input, kind] of cases) {
        const m = message(checkMobile(input));
        assert.match(m, kind, input);
        assert.match(m, /cellphone number/, input);
        // The old message claimed "starting with 06, 07 or 08" although 086 and 087 do.
        assert.doesNotMatch(m, /06, 07 or 08/, input);
      }
      assert.match(message(checkMobile('0881234567')), /isn’t a South African cellphone number/);
    });

    it('rejects wrong lengths with the count and an example', () => {
      assert.match(message(checkMobile('082123456')), /9 digits.*10/);
      assert.match(message(checkMobile('08212345678')), /11 digits/);
      assert.match(message(checkMobile('+2782123456')), /9 digits.*you typed 8/);
      assert.match(message(checkMobile('+278212345678')), /you typed 10/);
    });

    it('rejects foreign numbers, letters and numbers without a leading 0', () => {
      assert.match(message(checkMobile('+447700900123')), /South African/);
      assert.match(message(checkMobile('082 CALL ME')), /only digits/);
      assert.match(message(checkMobile('821234567')), /starts with 0 or \+27/);
      assert.match(message(checkMobile('')), /082 123 4567/);
    });

    it('formats E.164 for display', () => {
      assert.equal(formatMobileForDisplay('+27821234567'), '082 123 4567');
      assert.equal(formatMobileForDisplay(value(checkMobile('+27 60 123 4567'))), '060 123 4567');
      assert.equal(formatMobileForDisplay('not a number'), 'not a number');
    });
  });

  describe('checkEmail', () => {
    it('accepts plain addresses and lower-cases only the domain', () => {
      assert.equal(value(checkEmail('Thandi.Mokoena@Example.CO.ZA')), 'Thandi.Mokoena@example.co.za');
      assert.equal(value(checkEmail('  a+b@mail.joburg.org.za ')), 'a+b@mail.joburg.org.za');
      assert.equal(value(checkEmail('name@gmail. com')), 'name@gmail.com');
    });

    it('rejects things that are not addresses', () => {
      for (const input of ['thandi', 'thandi@', '@example.com', 'thandi@example', 'a@b@c.com', 'a..b@example.com', 'a@-x.com', 'a@example.c0m', '<a>@x.com']) {
        assert.match(message(checkEmail(input)), /email address/, input);
      }
      assert.match(message(checkEmail('')), /name@example\.co\.za/);
    });

    it('rejects addresses over 254 characters', () => {
      const long = `a@${Array(4).fill('b'.repeat(62)).join('.')}.com`;
      assert.ok(long.length > 254);
      assert.match(message(checkEmail(long)), /too long/);
      const fits = `a@${Array(4).fill('b'.repeat(61)).join('.')}.za`;
      assert.ok(fits.length <= 254);
      assert.equal(value(checkEmail(fits)), fits);
    });
  });

  describe('checkPersonName', () => {
    it('accepts names in any script with apostrophes, hyphens and dots', () => {
      assert.equal(value(checkPersonName('Thandi Mokoena')), 'Thandi Mokoena');
      assert.equal(value(checkPersonName("  Pieter   O'Neill-van der Merwe ")), "Pieter O'Neill-van der Merwe");
      assert.equal(value(checkPersonName('J.P. Nel')), 'J.P. Nel');
      assert.equal(value(checkPersonName('Zoë Müller')), 'Zoë Müller');
      assert.equal(value(checkPersonName('Zoe\u0308')), 'Zoë'); // decomposed input is composed
      assert.equal(value(checkPersonName('Ἀλέξανδρος')), 'Ἀλέξανδρος');
      assert.equal(value(checkPersonName('Nomsa\tDlamini')), 'Nomsa Dlamini');
    });

    it('rejects markup, control characters and digits', () => {
      assert.match(message(checkPersonName('<b>Thandi</b>')), /letters, spaces/);
      assert.match(message(checkPersonName('Thandi {x}')), /letters, spaces/);
      assert.match(message(checkPersonName('Thandi\u0000')), /letters, spaces/);
      assert.match(message(checkPersonName('Thandi\u0007 M')), /letters, spaces/);
      assert.match(message(checkPersonName('Thandi 2')), /letters, spaces/);
    });

    it('enforces 2 to 100 characters', () => {
      assert.match(message(checkPersonName('T')), /too short/);
      assert.match(message(checkPersonName('')), /name/);
      assert.match(message(checkPersonName('--')), /letters/);
      assert.equal(value(checkPersonName('a'.repeat(100))).length, 100);
      assert.match(message(checkPersonName('a'.repeat(101))), /too long.*101/);
    });
  });

  describe('checkFreeText', () => {
    const opts = { min: 10, max: 40, field: 'description' };

    it('trims, keeps newlines, strips control characters and limits blank lines to two', () => {
      assert.equal(value(checkFreeText('  Bill too high \u0007since March  ', opts)), 'Bill too high since March');
      assert.equal(value(checkFreeText('Line one\r\nLine two', opts)), 'Line one\nLine two');
      assert.equal(value(checkFreeText('First\n\n\n\n\n\nSecond', opts)), 'First\n\n\nSecond');
      assert.equal(value(checkFreeText('First\n  \n \n\t\n\nSecond', opts)), 'First\n\n\nSecond');
      assert.equal(value(checkFreeText('First\n\n\nSecond', opts)), 'First\n\n\nSecond');
      assert.equal(value(checkFreeText('Tab\tseparated', opts)), 'Tab separated');
    });

    it('names the label and the counts when too short or too long', () => {
      const short = message(checkFreeText('Too short', opts));
      assert.match(short, /^"Your query in a few words" is too short/, 'the card\'s label, not "description"');
      assert.match(short, /9 characters/);
      assert.match(short, /at least 10/);
      const long = message(checkFreeText('x'.repeat(41), opts));
      assert.match(long, /^"Your query in a few words" is too long/);
      assert.match(long, /41 characters/);
      assert.match(long, /most is 40/);
      assert.match(message(checkFreeText('   ', opts)), /Please fill in "Your query in a few words"/);
    });

    it('counts characters as people see them and measures after cleaning', () => {
      assert.equal(value(checkFreeText('😀'.repeat(40), opts)).length, 80);
      assert.ok(checkFreeText(`${'x'.repeat(10)}\u0000\u0000`, { ...opts, max: 10 }).ok);
      assert.ok(checkFreeText('', { min: 0, max: 10, field: 'comment' }).ok);
    });
  });

  describe('checkMoney', () => {
    const opts = { field: 'arrearsAmount', max: 100_000 };

    it('reads the ways South Africans write amounts', () => {
      assert.equal(value(checkMoney('R 1 234,50', opts)), 1234.5);
      assert.equal(value(checkMoney('1234.50', opts)), 1234.5);
      assert.equal(value(checkMoney('1 234', opts)), 1234);
      assert.equal(value(checkMoney('R1,234.50', opts)), 1234.5);
      assert.equal(value(checkMoney('1234,5', opts)), 1234.5);
      assert.equal(value(checkMoney('1.234,56', opts)), 1234.56);
      assert.equal(value(checkMoney('12,500', opts)), 12500);
      assert.equal(value(checkMoney('r99', opts)), 99);
      assert.equal(value(checkMoney('0', opts)), 0);
      assert.equal(value(checkMoney('0,07', opts)), 0.07);
      assert.equal(value(checkMoney('R\u00a01\u00a0234,99', opts)), 1234.99);
    });

    it('keeps cents exact', () => {
      assert.equal(value(checkMoney('0.1', opts)), 0.1);
      assert.equal(value(checkMoney('99999,99', opts)), 99999.99);
    });

    it('rejects more than two decimals, negatives and non-amounts', () => {
      assert.match(message(checkMoney('12,345', { ...opts, max: 10 })), /at most R10/); // read as 12 345
      assert.match(message(checkMoney('1,2345', opts)), /2 digits for cents/);
      assert.match(message(checkMoney('0,500', opts)), /2 digits for cents/);
      assert.match(message(checkMoney('-50', opts)), /can’t be negative/);
      assert.match(message(checkMoney('R -50', opts)), /can’t be negative/);
      assert.match(message(checkMoney('fifty', opts)), /^The arrears amount should be an amount in rands/);
      assert.match(message(checkMoney('1,23,4', opts)), /amount in rands/);
      assert.match(message(checkMoney('', opts)), /Please type the arrears amount/);
    });

    it('enforces the maximum, showing it in rands', () => {
      assert.equal(value(checkMoney('100 000', opts)), 100000);
      assert.match(message(checkMoney('100 000,01', opts)), /^The arrears amount can be at most R100 000\./);
      assert.match(message(checkMoney('9'.repeat(30), opts)), /at most/);
    });
  });

  describe('checkWholeNumber', () => {
    const opts = { field: 'householdSize', min: 1, max: 50 };

    it('accepts whole numbers in range', () => {
      assert.equal(value(checkWholeNumber(' 4 ', opts)), 4);
      assert.equal(value(checkWholeNumber('1', opts)), 1);
      assert.equal(value(checkWholeNumber('50', opts)), 50);
      assert.equal(value(checkWholeNumber('1 000', { ...opts, max: 5000 })), 1000);
      assert.equal(value(checkWholeNumber('1,000', { ...opts, max: 5000 })), 1000);
      assert.equal(value(checkWholeNumber('-3', { ...opts, min: -5 })), -3);
    });

    it('rejects out of range, decimals and words, naming the label', () => {
      assert.match(message(checkWholeNumber('0', opts)), /^The number of people in your household should be from 1 to 50/);
      assert.match(message(checkWholeNumber('51', opts)), /from 1 to 50, and you typed 51/);
      assert.match(message(checkWholeNumber('2.5', opts)), /whole number/);
      assert.match(message(checkWholeNumber('four', opts)), /digits/);
      assert.match(message(checkWholeNumber('', opts)), /Please type the number of people/);
    });
  });

  describe('checkErfNumber', () => {
    it('normalises portions, whitespace and case', () => {
      assert.equal(value(checkErfNumber('1234')), '1234');
      assert.equal(value(checkErfNumber('1234/5')), '1234/5');
      assert.equal(value(checkErfNumber('1234 / 5')), '1234/5');
      assert.equal(value(checkErfNumber('1234 portion 5')), '1234/5');
      assert.equal(value(checkErfNumber('1234 Ptn. 5')), '1234/5');
      assert.equal(value(checkErfNumber('  parkhurst   1234 Portion 5 ')), 'PARKHURST 1234/5');
      assert.equal(value(checkErfNumber('Erf 567 Melville-Ext 2')), 'ERF 567 MELVILLE-EXT 2');
    });

    it('rejects no digits, other characters and more than 60 characters', () => {
      assert.match(message(checkErfNumber('Parkhurst')), /at least one digit/);
      assert.match(message(checkErfNumber('Erf #1234')), /letters, digits, spaces/);
      assert.match(message(checkErfNumber('')), /erf \(stand\) number/);
      assert.equal(value(checkErfNumber(`${'A'.repeat(56)} 123`)).length, 60);
      assert.match(message(checkErfNumber(`${'A'.repeat(57)} 123`)), /too long/);
    });
  });

  describe('checkMeterNumber', () => {
    it('removes spaces and dashes and upper-cases', () => {
      assert.equal(value(checkMeterNumber('0123 4567 890')), '01234567890');
      assert.equal(value(checkMeterNumber('ab-12-cd')), 'AB12CD');
      assert.equal(value(checkMeterNumber('AB12')), 'AB12');
      assert.equal(value(checkMeterNumber('1'.repeat(20))), '1'.repeat(20));
    });

    it('rejects lengths outside 4 to 20 and other characters', () => {
      assert.match(message(checkMeterNumber('123')), /3 characters/);
      assert.match(message(checkMeterNumber('1'.repeat(21))), /21 characters/);
      assert.match(message(checkMeterNumber('12/34')), /letters and digits/);
      assert.match(message(checkMeterNumber('')), /meter number/);
    });
  });

  describe('checkMeterReading', () => {
    it('accepts up to 8 digits and 3 decimals with comma or dot', () => {
      assert.equal(value(checkMeterReading('01234,5')), 1234.5);
      assert.equal(value(checkMeterReading('1234.567')), 1234.567);
      assert.equal(value(checkMeterReading('12345678')), 12345678);
      assert.equal(value(checkMeterReading(' 12 345 ')), 12345);
      assert.equal(value(checkMeterReading('0')), 0);
    });

    it('accepts the unit a statement prints after the number, and says to leave out any other letters', () => {
      for (const [typed, expected] of [['12 345,6 kl', 12345.6], ['12345,6kℓ', 12345.6], ['12 345,6 KL', 12345.6], ['4 321 kWh', 4321], ['88,25 m³', 88.25], ['88,25 m3', 88.25], ['120 kilolitres', 120]] as const)
        assert.equal(value(checkMeterReading(typed)), expected, typed);
      assert.match(message(checkMeterReading('12 345,6 litres')), /leave out the unit/);
      assert.match(message(checkMeterReading('kl')), /number shown on the meter/, 'a unit alone is no reading');
    });

    it('rejects negatives, too many digits and non-numbers', () => {
      assert.match(message(checkMeterReading('-5')), /negative/);
      assert.match(message(checkMeterReading('123456789')), /8 digits/);
      assert.match(message(checkMeterReading('1,2345')), /3 digits after/);
      assert.match(message(checkMeterReading('abc')), /number shown on the meter/);
      assert.match(message(checkMeterReading('')), /reading/);
    });
  });
});
