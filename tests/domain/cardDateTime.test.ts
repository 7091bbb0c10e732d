import assert from 'node:assert/strict';
import { readCardDate, readCardTime } from '../../bot/domain/cardDateTime.js';

const ZONE = 'Africa/Johannesburg';

describe('reading Input.Date and Input.Time as clients send them', () => {
  it('reads every form of 17:30 that Teams (desktop, web, Android, iOS) and Web Chat send', () => {
    for (const sent of ['17:30', '17:30:00', '17:30:00.000', ' 17:30 ', '5:30 PM', '5:30 pm', '5:30PM', '5:30 p.m.', '5:30:00 PM', '2022-08-02T17:30:00', '2022-08-02T17:30', '2022-08-02 17:30:00', '2022-08-02T15:30:00.000Z', '2022-08-02T15:30:00Z', '2022-08-02T17:30:00+02:00', '2022-08-02T17:30:00.0000000+02:00'])
      assert.equal(readCardTime(sent, ZONE), '17:30', JSON.stringify(sent));
    assert.equal(readCardTime('7:05', ZONE), '07:05');
    assert.equal(readCardTime('12:15 AM', ZONE), '00:15');
    assert.equal(readCardTime('12:15 PM', ZONE), '12:15');
    assert.equal(readCardTime('7 pm', ZONE), '19:00');
  });

  it('refuses what is not a time of day', () => {
    for (const sent of ['', 'half past five', '25:00', '17:60', '17:30:61', '13:00 PM', '0:30 AM', '1730', '17', 'T17:30', '2022-08-02T25:00:00Z', 17.5, null, true, {}])
      assert.equal(readCardTime(sent, ZONE), undefined, JSON.stringify(sent));
  });

  it('reads a date with or without a time part, and refuses dates that do not exist', () => {
    for (const sent of ['2022-08-02', '2022/08/02', '2022-8-2', '2022-08-02T00:00:00.000Z', '2022-08-02T00:00:00'])
      assert.equal(readCardDate(sent), '2022-08-02', sent);
    for (const sent of ['2022-02-30', '02/08/2022', 'tomorrow', '', 20220802, null]) assert.equal(readCardDate(sent), undefined, JSON.stringify(sent));
  });
});
