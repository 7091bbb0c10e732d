/** Test support: a clock the test moves by hand. */
import type { Clock } from '../../bot/platform/ports/clock.js';

export class ManualClock implements Clock {
  constructor(private t: Date) {}
  now(): Date {
    return new Date(this.t);
  }
  set(at: Date | string): void {
    this.t = new Date(at);
  }
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
}
