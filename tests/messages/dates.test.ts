/**
 * Dates and times in the ratepayer's language and the programme's time zone (issue 16): the day
 * and month names are ICU's (Intl with "<language>-ZA"), in the order the catalogue writes dates,
 * at the wall-clock time of the zone.
 */
import assert from 'node:assert/strict';
import { LANGUAGES } from '../../bot/messages/index.js';
import { describeInstant, describeSession } from '../../bot/messages/time.js';
import { t } from '../../bot/messages/index.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { sessionLine } from '../../bot/platform/cards/ratepayerCards.js';

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

  it('says a session open until midnight in words that read naturally: isiZulu "kuze kube phakathi kwamabili", not "kuze kube ngu-phakathi kwamabili" (tester 8)', () => {
    const def = { ...loadDefinition(LOCAL_DEFINITION), timeZone: ZONE };
    // 22:00 UTC is midnight in Johannesburg.
    const news = { open: { id: 's', date: '2026-11-30', start: '20:00', end: '24:00', opensAt: new Date('2026-11-30T18:00:00Z'), closesAt: new Date('2026-11-30T22:00:00Z') } };
    assert.equal(sessionLine(def, news, 'zu'), 'Iseshini ivuliwe manje, kuze kube phakathi kwamabili. Uchwepheshe uzokusiza namuhla.');
    assert.equal(sessionLine(def, news, 'xh'), 'Iseshoni ivuliwe ngoku, de kube ezinzulwini zobusuku. Ingcali iza kukunceda namhlanje.');
    assert.equal(sessionLine(def, news, 'en'), 'A session is open now, until midnight. An expert will help you today.');
    for (const locale of LANGUAGES) assert.doesNotMatch(sessionLine(def, news, locale), /ngu-[a-z]/, locale);
    // A time is still written as a time.
    const eight = { open: { ...news.open, end: '20:00', closesAt: new Date('2026-11-30T18:00:00Z') } };
    assert.equal(sessionLine(def, eight, 'zu'), t('zu', 'cards.session.open', { closes: '20:00' }));
    assert.match(sessionLine(def, eight, 'zu'), /kuze kube ngu-20:00/);
  });
});
