/** The time, injected so the calendar, waits and alerts can be tested at any hour. */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * Timers, injected so what waits for a quiet moment (RatepayerUpdates' place updates) can be
 * tested without sleeping: `set` runs `fn` once after `ms` milliseconds unless `clear`ed first.
 */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** The machine's timers; they do not keep the process alive on their own (unref). */
export const systemTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
