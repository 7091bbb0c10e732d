import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describeInstant, describeSession } from '../../bot/messages/time.js';
import {
  instantAt,
  localParts,
  nextSessionAfter,
  openSessionAt,
  type CalendarInput,
} from '../../bot/domain/calendar.js';

const JHB = 'Africa/Johannesburg';
const utc = (iso: string) => new Date(iso);
/** An instant written as Johannesburg wall-clock time (UTC+2 all year). */
const sast = (local: string) => new Date(`${local}+02:00`);

type Cal = CalendarInput['calendar'];
const calendar = (timeZone: string, cal: Partial<Cal>): CalendarInput => ({
  timeZone,
  calendar: { sessions: [], weekly: [], holidays: [], ...cal },
});

const pilotSessions = ['2022-08-01', '2022-08-02', '2022-08-03', '2022-08-04', '2022-08-05'].map((date) => ({
  date,
  start: '17:00',
  end: '20:00',
}));
const pilot = calendar(JHB, { sessions: pilotSessions });

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[];

describe('calendar', () => {
  describe('the pilot (Region B, 1–5 August 2022, 17:00–20:00 Johannesburg time)', () => {
    it('is closed at 16:59 and the next session is 17:00 the same day', () => {
      const at = sast('2022-08-01T16:59:00');
      assert.equal(openSessionAt(pilot, at), undefined);
      const next = nextSessionAfter(pilot, at);
      assert.equal(next?.id, '2022-08-01T17:00');
      assert.deepEqual(next?.opensAt, utc('2022-08-01T15:00:00Z'));
      assert.deepEqual(next?.closesAt, utc('2022-08-01T18:00:00Z'));
    });

    it('is open from 17:00:00 up to the last moment before 20:00', () => {
      for (const local of ['2022-08-01T17:00:00', '2022-08-01T18:30:00', '2022-08-01T19:59:00', '2022-08-01T19:59:59.999']) {
        const slot = openSessionAt(pilot, sast(local));
        assert.equal(slot?.id, '2022-08-01T17:00', local);
        assert.equal(slot?.date, '2022-08-01');
        assert.equal(slot?.start, '17:00');
        assert.equal(slot?.end, '20:00');
      }
    });

    it('is closed at 20:00 and the next session is 17:00 the next day', () => {
      const at = sast('2022-08-01T20:00:00');
      assert.equal(openSessionAt(pilot, at), undefined);
      assert.equal(nextSessionAfter(pilot, at)?.id, '2022-08-02T17:00');
    });

    it('gives the next session strictly after an opening instant', () => {
      assert.equal(nextSessionAfter(pilot, sast('2022-08-03T17:00:00'))?.id, '2022-08-04T17:00');
      assert.equal(nextSessionAfter(pilot, sast('2022-08-03T16:59:59.999'))?.id, '2022-08-03T17:00');
    });

    it('has no next session after the last one closes on Friday 5 August', () => {
      const at = sast('2022-08-05T20:00:00');
      assert.equal(openSessionAt(pilot, at), undefined);
      assert.equal(nextSessionAfter(pilot, at), undefined);
      assert.equal(nextSessionAfter(pilot, sast('2022-12-25T10:00:00')), undefined);
    });

    it('points to the first session from long before the programme', () => {
      assert.equal(nextSessionAfter(pilot, sast('2022-07-01T09:00:00'))?.id, '2022-08-01T17:00');
    });

    it('is closed all day on a holiday, and the next session skips it', () => {
      const withHoliday = calendar(JHB, { sessions: pilotSessions, holidays: [{ date: '2022-08-03', name: 'Test holiday' }] });
      assert.equal(openSessionAt(withHoliday, sast('2022-08-03T18:00:00')), undefined);
      assert.equal(nextSessionAfter(withHoliday, sast('2022-08-02T20:00:00'))?.id, '2022-08-04T17:00');
    });

    it('describes sessions and instants in words', () => {
      const slot = nextSessionAfter(pilot, sast('2022-08-01T09:00:00'))!;
      assert.equal(describeSession(slot, JHB), 'Monday 1 August 2022, 17:00–20:00');
      assert.equal(describeInstant(sast('2022-08-05T17:00:00'), JHB), 'Friday 5 August 2022 at 17:00');
      assert.equal(describeInstant(utc('2022-08-01T22:30:00Z'), JHB), 'Tuesday 2 August 2022 at 00:30');
    });
  });

  describe('weekly windows', () => {
    const weekly = calendar(JHB, { weekly: [{ days: weekdays, start: '17:00', end: '20:00' }] });

    it('after Friday evening, the next session is on Monday', () => {
      const friday = sast('2022-08-12T20:30:00');
      assert.equal(localParts(friday, JHB).weekday, 'fri');
      assert.equal(openSessionAt(weekly, friday), undefined);
      const next = nextSessionAfter(weekly, friday);
      assert.equal(next?.id, '2022-08-15T17:00');
      assert.equal(localParts(next!.opensAt, JHB).weekday, 'mon');
      assert.equal(nextSessionAfter(weekly, sast('2022-08-13T12:00:00'))?.id, '2022-08-15T17:00');
    });

    it('is open on a weekday evening and closed at the weekend', () => {
      assert.equal(openSessionAt(weekly, sast('2022-08-12T19:00:00'))?.id, '2022-08-12T17:00');
      assert.equal(openSessionAt(weekly, sast('2022-08-13T18:00:00')), undefined);
    });

    it('closes for a public holiday (Women’s Day, Tuesday 9 August 2022)', () => {
      const cal = calendar(JHB, {
        weekly: [{ days: weekdays, start: '17:00', end: '20:00' }],
        holidays: [{ date: '2022-08-09', name: 'National Women’s Day' }],
      });
      assert.equal(openSessionAt(cal, sast('2022-08-09T18:00:00')), undefined);
      assert.equal(nextSessionAfter(cal, sast('2022-08-08T20:00:00'))?.id, '2022-08-10T17:00');
    });

    it('applies only from its from date up to and including its until date', () => {
      const bounded = calendar(JHB, {
        weekly: [{ days: weekdays, start: '17:00', end: '20:00', from: '2022-08-08', until: '2022-08-12' }],
      });
      assert.equal(openSessionAt(bounded, sast('2022-08-05T18:00:00')), undefined);
      assert.equal(nextSessionAfter(bounded, sast('2022-08-01T12:00:00'))?.id, '2022-08-08T17:00');
      assert.equal(openSessionAt(bounded, sast('2022-08-08T17:00:00'))?.id, '2022-08-08T17:00');
      assert.equal(openSessionAt(bounded, sast('2022-08-12T19:00:00'))?.id, '2022-08-12T17:00');
      assert.equal(nextSessionAfter(bounded, sast('2022-08-12T20:00:00')), undefined);
      assert.equal(openSessionAt(bounded, sast('2022-08-15T18:00:00')), undefined);
    });

    it('searches up to 400 days ahead, but finds dated sessions at any distance', () => {
      const far = (from: string) => calendar(JHB, { weekly: [{ days: ['mon'], start: '09:00', end: '10:00', from }] });
      assert.equal(nextSessionAfter(far('2023-08-28'), sast('2022-08-01T12:00:00'))?.id, '2023-08-28T09:00');
      assert.equal(nextSessionAfter(far('2024-01-01'), sast('2022-08-01T12:00:00')), undefined);
      const mixed = calendar(JHB, {
        sessions: [{ date: '2026-03-02', start: '07:00', end: '11:00' }],
        weekly: [{ days: ['mon'], start: '09:00', end: '10:00', until: '2022-08-01' }],
      });
      assert.equal(nextSessionAfter(mixed, sast('2022-08-01T12:00:00'))?.id, '2026-03-02T07:00');
    });

    it('gives way to a dated session that overlaps it on the same date', () => {
      const cal = calendar(JHB, {
        sessions: [{ date: '2022-08-01', start: '18:00', end: '21:00' }],
        weekly: [{ days: weekdays, start: '17:00', end: '20:00' }],
      });
      assert.equal(openSessionAt(cal, sast('2022-08-01T18:30:00'))?.id, '2022-08-01T18:00');
      assert.equal(openSessionAt(cal, sast('2022-08-01T20:30:00'))?.id, '2022-08-01T18:00');
      assert.equal(openSessionAt(cal, sast('2022-08-01T17:30:00')), undefined);
      assert.equal(nextSessionAfter(cal, sast('2022-08-01T12:00:00'))?.id, '2022-08-01T18:00');
      assert.equal(openSessionAt(cal, sast('2022-08-02T17:30:00'))?.id, '2022-08-02T17:00');
    });

    it('keeps windows that do not overlap a dated session, in opening order', () => {
      const cal = calendar(JHB, {
        sessions: [{ date: '2022-08-01', start: '17:00', end: '20:00' }],
        weekly: [{ days: ['mon'], start: '07:00', end: '11:00' }],
      });
      assert.equal(nextSessionAfter(cal, sast('2022-08-01T06:00:00'))?.id, '2022-08-01T07:00');
      assert.equal(nextSessionAfter(cal, sast('2022-08-01T07:00:00'))?.id, '2022-08-01T17:00');
    });
  });

  describe('regions', () => {
    const cal = calendar(JHB, {
      sessions: [
        { date: '2022-08-01', start: '17:00', end: '20:00', regions: ['B'] },
        { date: '2022-08-02', start: '17:00', end: '20:00', regions: ['C'] },
      ],
      weekly: [{ days: ['wed'], start: '07:00', end: '11:00', regions: ['A', 'B'] }],
    });

    it('counts a window only for its regions', () => {
      assert.deepEqual(openSessionAt(cal, sast('2022-08-01T18:00:00'), 'B')?.regions, ['B']);
      assert.equal(openSessionAt(cal, sast('2022-08-01T18:00:00'), 'C'), undefined);
      assert.equal(nextSessionAfter(cal, sast('2022-08-01T18:00:00'), 'C')?.id, '2022-08-02T17:00');
      assert.equal(nextSessionAfter(cal, sast('2022-08-01T18:00:00'), 'B')?.id, '2022-08-03T07:00');
      assert.equal(nextSessionAfter(cal, sast('2022-08-03T12:00:00'), 'C'), undefined);
    });

    it('counts every window when no region is given', () => {
      assert.equal(openSessionAt(cal, sast('2022-08-01T18:00:00'))?.id, '2022-08-01T17:00');
      assert.equal(openSessionAt(cal, sast('2022-08-02T18:00:00'))?.id, '2022-08-02T17:00');
      assert.equal(nextSessionAfter(cal, sast('2022-08-02T18:00:00'))?.id, '2022-08-03T07:00');
    });

    it('reads an empty region list as no restriction', () => {
      const open = calendar(JHB, { sessions: [{ date: '2022-08-01', start: '17:00', end: '20:00', regions: [] }] });
      assert.equal(openSessionAt(open, sast('2022-08-01T18:00:00'), 'B')?.id, '2022-08-01T17:00');
    });
  });

  describe('time zones', () => {
    const LONDON = 'Europe/London';

    it('converts Johannesburg wall-clock times (UTC+2, no summer time)', () => {
      assert.deepEqual(instantAt('2022-08-01', '17:00', JHB), utc('2022-08-01T15:00:00Z'));
      assert.deepEqual(instantAt('2022-01-01', '00:00', JHB), utc('2021-12-31T22:00:00Z'));
      assert.deepEqual(localParts(utc('2022-08-01T21:59:00Z'), JHB), { date: '2022-08-01', time: '23:59', weekday: 'mon' });
      assert.deepEqual(localParts(utc('2022-08-01T22:00:00Z'), JHB), { date: '2022-08-02', time: '00:00', weekday: 'tue' });
    });

    it('follows London across both summer-time changes of 2022', () => {
      assert.deepEqual(instantAt('2022-03-26', '09:00', LONDON), utc('2022-03-26T09:00:00Z'));
      assert.deepEqual(instantAt('2022-03-28', '09:00', LONDON), utc('2022-03-28T08:00:00Z'));
      assert.deepEqual(instantAt('2022-10-29', '09:00', LONDON), utc('2022-10-29T08:00:00Z'));
      assert.deepEqual(instantAt('2022-10-31', '09:00', LONDON), utc('2022-10-31T09:00:00Z'));
    });

    it('picks the later reading in a spring-forward gap and the first in a fall-back overlap', () => {
      // 01:30 never happens in London on 27 March 2022 (01:00 GMT jumps to 02:00 BST).
      assert.deepEqual(instantAt('2022-03-27', '01:30', LONDON), utc('2022-03-27T01:30:00Z'));
      assert.equal(localParts(utc('2022-03-27T01:30:00Z'), LONDON).time, '02:30');
      // 01:30 happens twice on 30 October 2022: first in BST, then in GMT.
      assert.deepEqual(instantAt('2022-10-30', '01:30', LONDON), utc('2022-10-30T00:30:00Z'));
      // New York, 13 March 2022: 02:30 does not exist; 03:30 EDT is 07:30 UTC.
      assert.deepEqual(instantAt('2022-03-13', '02:30', 'America/New_York'), utc('2022-03-13T07:30:00Z'));
    });

    it('runs a weekly window across a summer-time change', () => {
      const cal = calendar(LONDON, { weekly: [{ days: ['sat', 'sun'], start: '09:00', end: '17:00' }] });
      const next = nextSessionAfter(cal, utc('2022-03-26T18:00:00Z'));
      assert.equal(next?.id, '2022-03-27T09:00');
      assert.deepEqual(next?.opensAt, utc('2022-03-27T08:00:00Z'));
      assert.deepEqual(next?.closesAt, utc('2022-03-27T16:00:00Z'));
      assert.equal(openSessionAt(cal, utc('2022-03-27T15:59:59Z'))?.id, '2022-03-27T09:00');
      assert.equal(openSessionAt(cal, utc('2022-03-27T16:00:00Z')), undefined);
      assert.equal(openSessionAt(cal, utc('2022-03-27T08:30:00Z'))?.id, '2022-03-27T09:00');
      assert.equal(openSessionAt(cal, utc('2022-03-26T08:30:00Z')), undefined); // 08:30 GMT, before opening
      assert.deepEqual(nextSessionAfter(cal, utc('2022-10-29T18:00:00Z'))?.opensAt, utc('2022-10-30T09:00:00Z'));
      assert.equal(describeSession(next!, LONDON), 'Sunday 27 March 2022, 09:00–17:00');
    });

    it('describes a session whose start falls in the gap by the time the clocks will show', () => {
      const cal = calendar(LONDON, { sessions: [{ date: '2022-03-27', start: '01:30', end: '03:00' }] });
      const slot = nextSessionAfter(cal, utc('2022-03-26T12:00:00Z'))!;
      assert.equal(slot.id, '2022-03-27T01:30');
      assert.equal(describeSession(slot, LONDON), 'Sunday 27 March 2022, 02:30–03:00');
    });

    it('round-trips every half hour of the 2022 clock-change months through localParts and instantAt', () => {
      // March–April and October–November hold every 2022 change of these zones, north and south.
      const halfHours = (from: number, to: number) =>
        Array.from({ length: (to - from) / 1_800_000 }, (_, i) => from + i * 1_800_000);
      const instants = [
        ...halfHours(Date.UTC(2022, 2, 1), Date.UTC(2022, 4, 1)),
        ...halfHours(Date.UTC(2022, 9, 1), Date.UTC(2022, 11, 1)),
      ];
      // How many half hours come round twice when the clocks go back (Lord Howe moves by 30 minutes).
      const expectedRepeats: Record<string, number> = {
        [JHB]: 0,
        [LONDON]: 2,
        'America/New_York': 2,
        'Australia/Lord_Howe': 1,
        'Asia/Kolkata': 0,
        'Pacific/Chatham': 2,
      };
      for (const [zone, expected] of Object.entries(expectedRepeats)) {
        let repeated = 0;
        for (const t of instants) {
          const p = localParts(new Date(t), zone);
          const back = instantAt(p.date, p.time, zone);
          assert.deepEqual(localParts(back, zone), p, `${zone} ${new Date(t).toISOString()}`);
          // Only the second pass through a fall-back hour maps to an earlier instant.
          if (back.getTime() !== t) {
            assert.ok(back.getTime() < t, `${zone} ${new Date(t).toISOString()}`);
            repeated++;
          }
        }
        assert.equal(repeated, expected, `${zone}: repeated half hours`);
      }
    });
  });
});

describe('calendar: a window closing at 24:00', () => {
  const allDay: CalendarInput = {
    timeZone: 'Africa/Johannesburg',
    calendar: { sessions: [], weekly: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] , start: '00:00', end: '24:00' }], holidays: [] },
  };

  it('is open at 23:59:59 and the next day opens at midnight with no gap', () => {
    const late = openSessionAt(allDay, new Date('2022-08-01T21:59:59Z'));
    assert.equal(late?.id, '2022-08-01T00:00');
    assert.equal(late?.closesAt.toISOString(), '2022-08-01T22:00:00.000Z');
    assert.equal(openSessionAt(allDay, new Date('2022-08-01T22:00:00Z'))?.id, '2022-08-02T00:00');
    assert.equal(describeSession(late!, 'Africa/Johannesburg'), 'Monday 1 August 2022, 00:00–24:00');
  });
});

describe('calendar: the wall clock read from a kept offset', () => {
  // localParts keeps each zone's offset per quarter hour instead of asking Intl every time; what
  // it answers must stay what Intl says, also in the quarter hours where the clocks change.
  const zones = ['Africa/Johannesburg', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham'];
  const intl = new Map(zones.map((z) => [z, new Intl.DateTimeFormat('en-US', { timeZone: z, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })]));
  const expected = (at: Date, zone: string) => {
    const p = Object.fromEntries(intl.get(zone)!.formatToParts(at).map((x) => [x.type, x.value]));
    return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour === '24' ? '00' : p.hour}:${p.minute}` };
  };
  const wall = (at: Date, zone: string) => {
    const { date, time } = localParts(at, zone);
    return { date, time };
  };

  it('agrees with Intl at any instant from 1990 to 2060, in zones with summer time, half and quarter hours', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        assert.deepEqual(wall(new Date(ms), zone), expected(new Date(ms), zone));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with Intl second by second across the changes of the clocks, also one off the quarter hour', () => {
    const changes: [string, string][] = [
      ['Europe/London', '2026-03-29T01:00:00Z'],
      ['Europe/London', '2026-10-25T01:00:00Z'],
      ['America/New_York', '2026-03-08T07:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T15:00:00Z'],
      ['Pacific/Chatham', '2026-04-04T14:00:00Z'],
      // Off the quarter hour: Johannesburg left local mean time (+1:52) for +1:30 at 22:08 UTC.
      ['Africa/Johannesburg', '1892-02-07T22:08:00Z'],
    ];
    for (const [zone, iso] of changes) {
      const change = Date.parse(iso);
      for (let s = -1800; s <= 1800; s += 7) {
        const at = new Date(change + s * 1000);
        assert.deepEqual(wall(at, zone), expected(at, zone), `${zone} at ${at.toISOString()}`);
      }
    }
  });
});
