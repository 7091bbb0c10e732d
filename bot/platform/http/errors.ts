/**
 * Errors to HTTP, once, for the tab API and the supervisor API: a sign-in refused (401/403, 429
 * with Retry-After), a coded refusal of the services (bot/platform/flow/errors.ts: its status, code,
 * message, detail and problems), the case store busy (503 with Retry-After: a person can wait and
 * retry), and anything else a 500 with a message of ours (the error itself only in the log).
 */
import type restify from 'restify';
import { AuthError } from '../auth/tokens.js';
import { ServiceError } from '../flow/errors.js';
import { RateLimitedError } from './rateLimit.js';
import { log } from '../log.js';

/** Cosmos DB throttling (429), unavailability (503) or a timeout (408) that outlasted the SDK's retries. */
function storeBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 429 || code === 503 || code === 408;
}

/** Answers a request that failed; `component` names the API in the log. */
export function sendError(res: restify.Response, error: unknown, component: string): void {
  if (error instanceof AuthError) {
    if (error instanceof RateLimitedError) res.header('Retry-After', String(error.retryAfterSeconds));
    if (error.status === 401)
      res.header('WWW-Authenticate', `Bearer error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`);
    res.send(error.status, { error: error.code, message: error.message });
    return;
  }
  if (error instanceof ServiceError) {
    res.send(error.status, {
      error: error.code,
      message: error.message,
      ...error.detail,
      ...(error.problems ? { problems: error.problems } : {}),
    });
    return;
  }
  if (storeBusy(error)) {
    res.header('Retry-After', '2');
    res.send(503, { error: 'busy', message: 'The case store is busy right now. Reload and try again in a few seconds: your last change may already be saved.' });
    return;
  }
  log.error({ err: error, component }, 'API request failed');
  res.send(500, { error: 'internal', message: 'Something went wrong on the service; try again.' });
}
