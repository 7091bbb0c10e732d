/**
 * The tab shows every time in the programme's zone (GET /api/config's programme.timeZone), not
 * the browser's: a fresh tester with a browser in UTC read "04:05" for a ratepayer who wrote at
 * 06:05 in Johannesburg.
 */
import assert from 'node:assert/strict';
import { formatTime, showTimesIn } from '../../tab/src/format.js';

describe('the tab\'s times', () => {
  it('are shown in the programme\'s zone once it is known, whatever the machine\'s zone', () => {
    const at = '2022-08-01T15:05:00Z'; // 17:05 in Johannesburg (UTC+2)
    showTimesIn('Africa/Johannesburg');
    assert.match(formatTime(at), /17:05/);
    showTimesIn('UTC');
    assert.match(formatTime(at), /15:05/);
  });
});
