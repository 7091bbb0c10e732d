/**
 * Token buckets per key (a signed-in person, a conversation): `burst` requests at once, then
 * `perSecond` on average. Kept in memory per instance: a limit is about protecting this
 * instance and the people it serves from one flooding client, so N instances allow N times the
 * rate in total — still bounded, and no store round trip on every request.
 */

/** A limit: how many at once, and how many a second after that. */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

/** The answer for one request. */
export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

/** Buckets above this count are pruned (full buckets first): memory stays bounded under a flood of keys. */
const MAX_KEYS = 20_000;

/** Per-key token buckets. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Takes one token for the key, or says how long until one is there. */
  take(key: string): RateDecision {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > MAX_KEYS) this.prune(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / this.limit.perSecond) * 1000) };
  }

  private prune(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.limit.perSecond >= this.limit.burst) this.buckets.delete(key);
    }
    // Still too many (a flood of distinct keys): drop the oldest half.
    if (this.buckets.size > MAX_KEYS) [...this.buckets.keys()].slice(0, this.buckets.size / 2).forEach((k) => this.buckets.delete(k));
  }
}

/** The service's limits; tests raise or lower them. */
export interface RateLimits {
  /** Per signed-in person on the tab API (the tab makes a few calls a minute; a script would make hundreds). */
  api: RateLimit;
  /** Per conversation on the bot endpoint (a person types a message every few seconds). */
  bot: RateLimit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  api: { burst: 120, perSecond: 20 },
  bot: { burst: 12, perSecond: 1 },
};
