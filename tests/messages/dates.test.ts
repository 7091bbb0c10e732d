/**
 * Dates and times in the ratepayer's language and the programme's time zone (issue 16): the day
 * and month names are ICU's (Intl with "<language>-ZA"), in the order the catalogue writes dates,
 * at the wall-clock time of the zone.
 */
import assert from 'node:assert/strict';
import { LANGUAGES } from '../../bot/messages/index.js';
import { describeInstant, describeSession } from '../../bot/messages/time.js';

const ZONE = 'Africa/Johannesburg';

describe('dates and times per language (Intl)', () => {
  // 22:30 UTC on 30 November is 00:30 on Tuesday 1 December in Johannesburg.
  const at = new Date('2026-11-30T22:30:00Z');

  for (const locale of LANGUAGES) {
    it(`${locale}: ICU's day and month names, day before month, the zone's date and time`, () => {
      assert.ok(Intl.DateTimeFormat.supportedLocalesOf([`${locale}-ZA`]).length > 0, `Node's ICU has ${locale}-ZA`);
      const names = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(`${locale}-ZA`, { timeZone: ZONE, ...options }).format(at);
      const weekday = names({ weekday: 'long' });
      const month = names({ month: 'long' });
      const text = describeInstant(at, ZONE, locale);
      assert.ok(text.includes(weekday), `${text} names the day as ICU does: ${weekday}`);
      assert.ok(text.includes(month), `${text} names the month as ICU does: ${month}`);
      assert.ok(text.includes('00:30'), `${text} is at the zone's time`);
      assert.ok(text.indexOf(' 1 ') < text.indexOf(month) && text.indexOf(month) < text.indexOf('2026'), `${text}: day, month, year`);
    });
  }

  it('writes the isiZulu example of the issue with ICU\'s names: "ULwesibili, 1 Disemba 2026"', () => {
    const session = { id: 's', date: '2026-12-01', start: '17:30', end: '20:00', opensAt: new Date('2026-12-01T15:30:00Z'), closesAt: new Date('2026-12-01T18:00:00Z') };
    assert.equal(describeSession(session, ZONE, 'zu'), 'ULwesibili, 1 Disemba 2026, 17:30–20:00');
    assert.equal(describeSession(session, ZONE, 'af'), 'Dinsdag 1 Desember 2026, 17:30–20:00');
    assert.equal(describeSession(session, ZONE, 'en'), 'Tuesday 1 December 2026, 17:30–20:00');
  });
});
