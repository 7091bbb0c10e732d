/** The supervisor view's chart axes: the programme's clock and whole-number counts, whatever the browser's zone. */
import assert from 'node:assert/strict';
import { clockTime, countAxis, timeTickCount, timeTicks, zoneOffsetMinutes } from '../../tab/src/chartAxes.js';

describe('supervisor view chart axes (tab/src/chartAxes.ts)', () => {
  it('tells the time in the programme\'s zone on a 24-hour clock', () => {
    const at = new Date('2022-08-01T16:05:00Z');
    assert.equal(clockTime(at, 'Africa/Johannesburg'), '18:05');
    assert.equal(clockTime(at, 'America/Los_Angeles'), '09:05');
    assert.equal(clockTime(new Date('2022-08-01T22:00:00Z'), 'Africa/Johannesburg'), '00:00', 'midnight is 00:00, not 24:00 or 12 AM');
  });

  it('knows a zone\'s offset at an instant, daylight saving and half hours included', () => {
    assert.equal(zoneOffsetMinutes(new Date('2022-08-01T15:00:00Z'), 'Africa/Johannesburg'), 120);
    assert.equal(zoneOffsetMinutes(new Date('2022-08-01T15:00:00Z'), 'Asia/Kolkata'), 330);
    assert.equal(zoneOffsetMinutes(new Date('2022-08-01T15:00:00Z'), 'America/New_York'), -240);
    assert.equal(zoneOffsetMinutes(new Date('2022-12-01T15:00:00Z'), 'America/New_York'), -300);
  });

  it('puts time ticks on round local times of the programme\'s zone, at most six', () => {
    // The pilot's session, 17:00–20:00 in Johannesburg.
    const ticks = timeTicks(new Date('2022-08-01T15:00:00Z'), new Date('2022-08-01T18:00:00Z'), 'Africa/Johannesburg');
    assert.deepEqual(ticks.map((t) => clockTime(t, 'Africa/Johannesburg')), ['17:00', '18:00', '19:00', '20:00']);
    // A zone half an hour off UTC still gets its own round hours, not UTC's.
    const kolkata = timeTicks(new Date('2022-08-01T02:00:00Z'), new Date('2022-08-01T07:00:00Z'), 'Asia/Kolkata');
    // Its data runs 07:30–12:30: both ends are labelled, the round hours next to them give way.
    assert.deepEqual(kolkata.map((t) => clockTime(t, 'Asia/Kolkata')), ['07:30', '09:00', '10:00', '11:00', '12:30']);
    // The data's start and end are labelled too when no round time falls on them.
    assert.deepEqual(timeTicks(new Date('2022-08-01T15:02:00Z'), new Date('2022-08-01T15:14:00Z'), 'Africa/Johannesburg').map((t) => clockTime(t, 'Africa/Johannesburg')), ['17:02', '17:05', '17:10', '17:14']);
  });

  it('labels the time axis as far as the data runs (tester 7, finding 12: labels stopped at 09:00, data ran to 11:20)', () => {
    const jhb = (iso: string) => new Date(`${iso}+02:00`);
    const labels = (from: string, to: string) => timeTicks(jhb(from), jhb(to), 'Africa/Johannesburg').map((t) => clockTime(t, 'Africa/Johannesburg'));
    assert.deepEqual(labels('2026-11-30T00:00', '2026-11-30T11:20:41'), ['00:00', '03:00', '06:00', '09:00', '11:20']);
    // The last round time too close to the end gives way to the end (the labels would overlap).
    assert.deepEqual(labels('2026-11-30T00:00', '2026-11-30T10:10'), ['00:00', '03:00', '06:00', '10:10']);
    // An end on a round time is labelled once.
    assert.deepEqual(labels('2026-11-30T17:00', '2026-11-30T20:00'), ['17:00', '18:00', '19:00', '20:00']);
  });

  it('gives a narrow chart fewer time labels, so they stay apart (tester 8, finding 6: "12:00" beside "15:17" at 320 px)', () => {
    assert.equal(timeTickCount(0), 6, 'not measured yet: as many as before');
    assert.equal(timeTickCount(1400), 6);
    assert.equal(timeTickCount(264), 3, 'the queue card at 320 px');
    assert.equal(timeTickCount(100), 2, 'always the two ends');
    const jhb = (iso: string) => new Date(`${iso}+02:00`);
    const ticks = timeTicks(jhb('2026-11-30T00:00'), jhb('2026-11-30T15:17'), 'Africa/Johannesburg', timeTickCount(264));
    assert.deepEqual(ticks.map((t) => clockTime(t, 'Africa/Johannesburg')), ['00:00', '15:17']);
    // At 264 px, neighbouring labels at least a quarter of the width apart: room for "15:17".
    const span = ticks.at(-1)!.getTime() - ticks[0]!.getTime();
    for (let i = 1; i < ticks.length; i++) assert.ok(((ticks[i]!.getTime() - ticks[i - 1]!.getTime()) / span) * 264 >= 66);
  });

  it('keeps every two labels as far apart as the round times are, whatever minute "now" falls on (CI: "21:45" ran into "21:48" at 320 px)', () => {
    const jhb = (iso: string) => new Date(`${iso}+02:00`);
    const labels = (from: string, to: string, maxTicks: number) => timeTicks(jhb(from), jhb(to), 'Africa/Johannesburg', maxTicks).map((t) => clockTime(t, 'Africa/Johannesburg'));
    // The case CI met: data from 21:35 to 21:48:50 on the 320-px card (room for four labels).
    assert.deepEqual(labels('2026-11-30T21:35', '2026-11-30T21:48:50', 4), ['21:35', '21:40', '21:48']);
    // Every end time over six hours in 30-second steps, for spans of 5 minutes to 10 hours and 2 to
    // 6 labels: no two neighbouring labels nearer than the span over (labels - 1).
    const day = jhb('2026-11-30T00:00').getTime();
    for (const spanMinutes of [5, 13, 14, 29, 47, 95, 180, 600])
      for (let maxTicks = 2; maxTicks <= 6; maxTicks++)
        for (let end = day + spanMinutes * 60_000; end < day + 6 * 3_600_000 + spanMinutes * 60_000; end += 30_000) {
          const start = new Date(end - spanMinutes * 60_000);
          const ticks = timeTicks(start, new Date(end), 'Africa/Johannesburg', maxTicks);
          const room = (spanMinutes * 60_000) / (maxTicks - 1);
          for (let i = 1; i < ticks.length; i++) {
            const gap = ticks[i]!.getTime() - ticks[i - 1]!.getTime();
            // Start and end are put on the minute, which may take up to a minute off the span.
            if (gap < room - 60_000) assert.fail(`${spanMinutes} min to ${clockTime(new Date(end), 'Africa/Johannesburg')}, ${maxTicks} labels: ${ticks.map((t) => clockTime(t, 'Africa/Johannesburg')).join(' ')}`);
          }
        }
  });

  it('gives count axes whole-number ticks only, from 0, with at most five intervals', () => {
    assert.deepEqual(countAxis(0), { yMaxValue: 1, yAxisTickCount: 1, ticks: [0, 1] });
    assert.deepEqual(countAxis(1).ticks, [0, 1]);
    assert.deepEqual(countAxis(3).ticks, [0, 1, 2, 3]);
    assert.deepEqual(countAxis(7).ticks, [0, 2, 4, 6, 8]);
    assert.deepEqual(countAxis(23).ticks, [0, 5, 10, 15, 20, 25]);
    for (let max = 0; max <= 5000; max += 7) {
      const axis = countAxis(max);
      assert.ok(axis.yMaxValue >= max && axis.yAxisTickCount <= 5 && axis.ticks.every(Number.isInteger), `max ${max}: ${axis.ticks.join(',')}`);
      assert.equal(axis.yMaxValue / axis.yAxisTickCount, axis.ticks[1], 'the library splits yMaxValue into yAxisTickCount equal whole steps');
    }
  });
});
