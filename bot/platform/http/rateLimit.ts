/**
 * Rate limits at the HTTP edge: the tab API per signed-in person (after the token is checked, so
 * an anonymous flood cannot use up someone else's allowance), answered 429 with Retry-After.
 */
import { AuthError } from '../auth/tokens.js';
import { RateLimiter, type RateLimit } from './rateLimiter.js';
import type { Authenticate } from './authenticate.js';

/** Too many requests from one person: 429 with the seconds to wait. */
export class RateLimitedError extends AuthError {
  constructor(readonly retryAfterSeconds: number) {
    // AuthError's statuses are 401 and 403; its error handling sends whatever status it carries.
    super(429 as 401, 'rate_limited', `Too many requests: please wait ${retryAfterSeconds} s and try again.`);
    this.name = 'RateLimitedError';
  }
}

/** Wraps an authenticator so that each person gets `limit` requests (burst, then per second). */
export function rateLimited(authenticate: Authenticate, limit: RateLimit): Authenticate {
  const limiter = new RateLimiter(limit);
  return async (headers) => {
    const staff = await authenticate(headers);
    const decision = limiter.take(staff.id);
    if (!decision.ok) throw new RateLimitedError(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
    return staff;
  };
}

/** Headers every response carries (the tab's own files add their CSP). */
export function securityHeaders(mode: 'local' | 'azure') {
  return (_req: unknown, res: { header(name: string, value: string): void }, next: () => void) => {
    res.header('x-content-type-options', 'nosniff');
    res.header('referrer-policy', 'no-referrer');
    // HTTPS only in Azure (App Service terminates TLS); local mode is plain HTTP on loopback.
    if (mode === 'azure') res.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    next();
  };
}
