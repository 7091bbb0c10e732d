/**
 * The supervisor view's session report line in words (tab/src/components/SupervisorView.tsx),
 * pure, so it is tested outside the browser: "Session report so far: 2 cases, waits: 1 case taken
 * after 2.3 min, 1 still waiting (6 min so far), satisfaction …".
 */
import type { SupervisorOverview } from '../../bot/platform/contract/tabApi.js';

/** "1 case", "3 cases": a count with its noun in the right number. */
export const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Below this many waits the report names the longest wait instead of the 90th percentile: the
 * percentile (nearest rank) of fewer than 10 waits is the longest one anyway, and "90 % waited
 * under 1.5 min" said of one to four people reads as a share of people that was never measured
 * (tester 7, finding 12).
 */
const PERCENTILE_FROM_WAITS = 10;

/** The report's figures of the waits of the cases an expert took (minutes, one decimal: sessionReport). */
export type TakenWaits = Pick<SupervisorOverview['report']['totals'], 'waitsMeasured' | 'averageWaitMinutes' | 'p90WaitMinutes' | 'longestWaitMinutes'>;

/** The queue as it is now (the live summary's totals): how many wait, and the longest of them in whole minutes. */
export type WaitingNow = Pick<SupervisorOverview['summary']['totals'], 'waiting' | 'longestWaitMinutes'>;

/**
 * The report's waits in words: the cases taken ("nobody taken yet"; one wait said once, "1 case
 * taken after 2.3 min"; "3 cases taken, average 1.2 min, longest 1.5 min"; from 10 waits with
 * the 90th percentile), then the cases still waiting and the longest current wait ("1 still
 * waiting (6 min so far)", "3 still waiting (the longest 6 min so far)"). Tester 8: "average 2.3
 * min, longest 2.3 min" repeated one wait, and the case waiting at that moment went unmentioned.
 */
export function waitsInWords(taken: TakenWaits, now: WaitingNow): string {
  const n = taken.waitsMeasured ?? 0;
  const parts = [`waits: ${takenInWords(n, taken)}`];
  if (now.waiting > 0) {
    const so = now.longestWaitMinutes < 1 ? 'under 1 min so far' : `${now.longestWaitMinutes} min so far`;
    parts.push(`${now.waiting} still waiting (${now.waiting === 1 ? so : `the longest ${so}`})`);
  }
  return parts.join(', ');
}

function takenInWords(n: number, t: TakenWaits): string {
  if (n === 0) return 'nobody taken yet';
  if (n === 1) return `1 case taken after ${t.longestWaitMinutes} min`;
  const start = `${count(n, 'case', 'cases')} taken, average ${t.averageWaitMinutes} min`;
  if (n < PERCENTILE_FROM_WAITS) return `${start}, longest ${t.longestWaitMinutes} min`;
  return `${start}, 90 % of them under ${t.p90WaitMinutes} min, longest ${t.longestWaitMinutes} min`;
}
