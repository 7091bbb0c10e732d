/** Reads the bearer token of a tab API request and turns it into the member of staff it names. */
import type { IncomingHttpHeaders } from 'node:http';
import { StaffIdentifier, type IdentityOptions } from '../auth/staffBinding.js';
import { AuthError, verifyStaffToken, type TokenRules } from '../auth/tokens.js';
import type { StaffIdentity } from '../../domain/access.js';
import type { ServiceDefinition } from '../../domain/serviceDefinition.js';
import type { Clock } from '../ports/clock.js';

/** Checks a request's token; throws AuthError (401 or 403). */
export type Authenticate = (headers: IncomingHttpHeaders) => Promise<StaffIdentity>;

/**
 * An authenticator over one set of token rules: the same function in production and locally.
 * The person is identified by their object id (bot/platform/auth/staffBinding.ts), never by an address.
 */
export function createAuthenticator(
  rules: TokenRules,
  definition: ServiceDefinition,
  clock: Clock,
  identity: Omit<IdentityOptions, 'now'>,
): Authenticate {
  const identifier = new StaffIdentifier(definition, { ...identity, now: () => clock.now() });
  return async (headers) => {
    const header = headers.authorization;
    if (!header) throw new AuthError(401, 'no_token', 'Sign in first: the request has no Authorization header.');
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(header.trim());
    if (!match) throw new AuthError(401, 'no_token', 'The Authorization header must be "Bearer <token>".');
    const claims = await verifyStaffToken(match[1]!, rules, clock.now());
    return identifier.identify(claims);
  };
}
