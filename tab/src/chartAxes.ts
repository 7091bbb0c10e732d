/**
 * Axes for the supervisor view's charts: times in the programme's own time zone on a 24-hour
 * clock (whatever zone and locale the supervisor's browser has, as the view's header does), and
 * count axes with whole-number ticks only (a queue never holds 0.25 cases). Pure functions, so
 * they are tested outside the browser too.
 */

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** "17:05": the time of `at` in `timeZone` (IANA), 24-hour clock. */
export function clockTime(at: Date, timeZone: string): string {
  let format = clockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clockFormats.set(timeZone, format);
  }
  return format.format(at);
}

/** Minutes `timeZone` is ahead of UTC at the instant `at` (Johannesburg: 120; negative west of Greenwich). */
export function zoneOffsetMinutes(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** Tick spacings, in minutes, for a time axis: the first that gives at most `maxTicks` ticks is used. */
const TIME_STEPS = [5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440];

/**
 * Tick instants for a time axis from `start` to `end`: on round local times of `timeZone`
 * (17:00, 17:30, … in the programme's zone, not the browser's or UTC's), at most `maxTicks` of
 * them, and `start` and `end` themselves when no round time falls on them, so the labels span the
 * data. Tester 7 (finding 12): a session from 00:00 with data to 11:20 was labelled 00:00 … 09:00
 * only. A round time nearer to `start` or `end` than the span over `maxTicks` - 1 (the least room
 * the round times themselves get) gives way to it: two labels that close would overlap. Half a step
 * was not enough: at 320 px, "21:45" and "21:48" ran into each other (CI, 30 November 2026).
 */
export function timeTicks(start: Date, end: Date, timeZone: string, maxTicks = 6): Date[] {
  const spanMinutes = Math.max(0, (end.getTime() - start.getTime()) / 60_000);
  const step = TIME_STEPS.find((s) => spanMinutes / s <= maxTicks - 1) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  const offset = zoneOffsetMinutes(start, timeZone);
  const startLocal = start.getTime() / 60_000 + offset;
  const ticks: Date[] = [];
  for (let local = Math.ceil(startLocal / step) * step; local - offset <= end.getTime() / 60_000; local += step) ticks.push(new Date((local - offset) * 60_000));
  if (spanMinutes === 0) return ticks;
  // The least distance between two labels: what the round times get at the most labels allowed.
  const room = (spanMinutes / Math.max(1, maxTicks - 1)) * 60_000;
  // On the minute: the labels show hours and minutes, and the data's last point is "now" with seconds.
  const startTick = new Date(Math.ceil(start.getTime() / 60_000) * 60_000);
  const endTick = new Date(Math.floor(end.getTime() / 60_000) * 60_000);
  const first = ticks[0];
  if (!first || first.getTime() > startTick.getTime()) {
    if (first && first.getTime() - startTick.getTime() < room) ticks.shift();
    ticks.unshift(startTick);
  }
  const last = ticks[ticks.length - 1]!;
  if (last.getTime() < endTick.getTime()) {
    // Never the start's own label: the span is at least `room`, so start and end stay apart.
    if (endTick.getTime() - last.getTime() < room && ticks.length > 1) ticks.pop();
    ticks.push(endTick);
  }
  return ticks;
}

/** Room (CSS px of the chart's width) one time label needs, "15:17" with space either side. */
const TIME_LABEL_ROOM = 72;

/**
 * How many time labels a chart `width` CSS px wide has room for: 2 to 6 (0, not yet measured: 6).
 * Tester 8 (finding 6): at 320 px six labels ran into each other ("12:00" beside "15:17").
 */
export function timeTickCount(width: number): number {
  if (width <= 0) return 6;
  return Math.max(2, Math.min(6, Math.floor(width / TIME_LABEL_ROOM)));
}

/** Count-axis spacings: whole numbers only. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000];

/**
 * A count axis from 0 that fits `max`: `yMaxValue` and `yAxisTickCount` for the Fluent charts,
 * chosen so that the ticks (0, step, 2·step, … yMaxValue) are whole numbers, at most `maxTicks`
 * intervals. With nothing to count the axis still runs 0–1, never 0–0.25–0.5.
 */
export function countAxis(max: number, maxTicks = 5): { yMaxValue: number; yAxisTickCount: number; ticks: number[] } {
  const top = Math.max(1, Math.ceil(max));
  const step = COUNT_STEPS.find((s) => Math.ceil(top / s) <= maxTicks) ?? Math.ceil(top / maxTicks);
  const count = Math.ceil(top / step);
  return { yMaxValue: count * step, yAxisTickCount: count, ticks: Array.from({ length: count + 1 }, (_, i) => i * step) };
}
