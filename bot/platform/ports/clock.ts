/** The time, injected so the calendar, waits and alerts can be tested at any hour. */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };
