/**
 * The estimated wait a ratepayer is told when they join the queue and as it moves.
 */

/** What the estimate is based on. */
export type WaitEstimateInput = {
  /** 1-based place in the queue: 1 means next in line. */
  position: number;
  agentsOnDuty: number;
  /** Minutes recent cases took to handle, oldest first. */
  recentHandlingMinutes: number[];
  /** The category's configured handling time, used until there is enough history. */
  defaultHandlingMinutes: number;
};

/** An estimate in whole minutes, what it was based on and the handling time it used. */
export type WaitEstimate = { minutes: number; basis: 'history' | 'default'; handlingMinutes: number };

/** Fewer recent cases than this say more about chance than about the queue. */
const MIN_SAMPLES = 3;
/** Only the latest cases count, so the estimate follows how the session is going now. */
const MAX_SAMPLES = 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Estimates the wait as ceil(position / agents) × handling time. It assumes every agent on duty
 * has just started a case, so even the person at position 1 waits one handling time: an
 * estimate that errs long is kinder than one that keeps slipping. The handling time is the
 * median of the last (up to) 20 valid recent cases when there are at least 3 (the median, so
 * one very long case does not inflate everyone's estimate), else the category default.
 */
export function estimateWait(input: WaitEstimateInput): WaitEstimate {
  const samples = input.recentHandlingMinutes.filter((m) => Number.isFinite(m) && m >= 0).slice(-MAX_SAMPLES);
  const fromHistory = samples.length >= MIN_SAMPLES;
  const handlingMinutes = fromHistory ? median(samples) : input.defaultHandlingMinutes;
  // With nobody on duty yet, the first agent to arrive is the best assumption there is.
  const agents = Number.isFinite(input.agentsOnDuty) ? Math.max(1, Math.floor(input.agentsOnDuty)) : 1;
  const position = Number.isFinite(input.position) ? Math.max(0, Math.ceil(input.position)) : 0;
  const minutes = Math.ceil(Math.ceil(position / agents) * handlingMinutes);
  return { minutes, basis: fromHistory ? 'history' : 'default', handlingMinutes };
}

/**
 * A wait in words, rounded to 5 minutes: "less than 5 minutes", "about 15 minutes",
 * "about 1 hour 10 minutes", "more than 3 hours".
 */
export function describeWait(minutes: number): string {
  if (Number.isNaN(minutes) || minutes < 5) return 'less than 5 minutes';
  const rounded = Math.round(minutes / 5) * 5;
  if (rounded > 180) return 'more than 3 hours';
  if (rounded < 60) return `about ${rounded} minutes`;
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  const h = `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  return rest === 0 ? `about ${h}` : `about ${h} ${rest} minutes`;
}
