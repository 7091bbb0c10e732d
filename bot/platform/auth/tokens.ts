/**
 * Staff sign-in for the tab API: bearer tokens checked with jose. Production accepts Teams SSO
 * tokens (Entra ID v2 access tokens for the tab's app, scope `access_as_user`); local mode mints
 * its own RS256 tokens for the people the definition lists. Both go through `verifyStaffToken`:
 * the only differences are the key set and the expected issuer and audiences, so there is no
 * side door in local mode.
 */
import {
  SignJWT,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type CryptoKey,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { StaffIdentity, StaffRole } from '../../domain/access.js';
import type { ServiceDefinition } from '../../domain/serviceDefinition.js';

/** The delegated scope the tab asks Teams for. */
const TAB_SCOPE = 'access_as_user';

/** Entra app role values (the app registration declares them) and the tab roles they grant. */
const APP_ROLES: Readonly<Record<string, StaffRole>> = { Agent: 'agent', Supervisor: 'supervisor' };

/** What a token must satisfy, besides a valid signature from one of the keys. */
export interface TokenRules {
  keys: JWTVerifyGetKey;
  issuer: string;
  audiences: string[];
  /** The tenant (`tid`) the token must come from; unset for local tokens. */
  tenantId?: string;
}

/** Why a request was not let in: 401 (who are you?) or 403 (you may not). */
export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

function describeJoseError(error: unknown): AuthError {
  if (error instanceof errors.JWTExpired) return new AuthError(401, 'token_expired', 'The sign-in has expired; sign in again.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim;
    const what = claim === 'aud' ? 'is not for this app (wrong audience)' : claim === 'iss' ? 'comes from an issuer this service does not trust' : `has an unacceptable "${claim}" claim`;
    return new AuthError(401, `invalid_${claim}`, `The token ${what}.`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return new AuthError(401, 'bad_signature', 'The token\'s signature does not verify.');
  if (error instanceof errors.JOSEError) return new AuthError(401, 'invalid_token', `The token cannot be used (${error.code}).`);
  return new AuthError(401, 'invalid_token', 'The token cannot be read.');
}

/** Checks signature, issuer, audience, expiry, tenant and scope; returns the claims. */
export async function verifyStaffToken(token: string, rules: TokenRules, now: Date): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, rules.keys, {
      issuer: rules.issuer,
      audience: rules.audiences,
      algorithms: ['RS256'],
      currentDate: now,
      clockTolerance: 60,
      requiredClaims: ['exp', 'iat'],
    }));
  } catch (error) {
    throw describeJoseError(error);
  }
  if (rules.tenantId && payload.tid !== rules.tenantId)
    throw new AuthError(401, 'invalid_tid', 'The token comes from another organisation\'s tenant.');
  const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
  if (!scopes.includes(TAB_SCOPE))
    throw new AuthError(401, 'invalid_scope', `The token was not issued for the tab (scope ${TAB_SCOPE} missing).`);
  return payload;
}

/** The tab role a verified token grants (its `roles` claim: Entra app roles); 403 `no_role` without one. */
export function roleFromClaims(claims: JWTPayload): StaffRole {
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  const granted = roles.map((r) => APP_ROLES[r]).filter((r): r is StaffRole => !!r);
  const role: StaffRole | undefined = granted.includes('supervisor') ? 'supervisor' : granted[0];
  if (!role) throw new AuthError(403, 'no_role', 'Your account has neither the Agent nor the Supervisor role for this app.');
  return role;
}

/** The addresses a token carries (`preferred_username`, `email`, `upn`), lower-cased. Not identity: see staffBinding.ts. */
export function addressesOf(claims: JWTPayload): string[] {
  return [...new Set([claims.preferred_username, claims.email, claims.upn].filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase()))];
}

/**
 * The identity of a verified token whose staff entry has been decided (`identifyStaff` in
 * staffBinding.ts decides it from the object id, never from addresses alone): the role from the
 * token, skills and regions from the entry. A supervisor need not be listed (their id is then
 * their object id); an agent must be, since their skills are there.
 */
export function staffFromClaims(claims: JWTPayload, listed: ServiceDefinition['staff'][number] | undefined): StaffIdentity {
  const role = roleFromClaims(claims);
  const addresses = addressesOf(claims);
  const name = typeof claims.name === 'string' ? claims.name : (listed?.name ?? addresses[0] ?? 'Staff member');
  if (!listed) {
    if (role === 'supervisor')
      return { id: String(claims.oid ?? claims.sub ?? addresses[0]), name, email: addresses[0] ?? '', role, skills: [], regions: [] };
    throw new AuthError(403, 'not_listed', `${addresses[0] ?? 'Your account'} is not listed as an agent in the service definition, so it has no categories.`);
  }
  return { id: listed.id, name: listed.name, email: listed.email, role, skills: listed.skills, regions: listed.regions };
}

/** Where Entra ID is and which app the tab is. */
export interface EntraSettings {
  clientId: string;
  tenantId: string;
  authorityHost: string;
  /** The tab's public origin, e.g. https://desk.example.org. */
  tabEndpoint: string;
}

/**
 * Rules for Teams SSO tokens: Entra ID v2 access tokens (the app registration must set
 * `requestedAccessTokenVersion: 2`) whose audience is the app's client id; the app id URI
 * forms Teams uses for tab and tab-plus-bot apps are accepted as well.
 */
export function entraTokenRules(s: EntraSettings): TokenRules {
  const host = s.authorityHost.replace(/\/+$/, '');
  const domain = new URL(s.tabEndpoint).host;
  return {
    keys: createRemoteJWKSet(new URL(`${host}/${s.tenantId}/discovery/v2.0/keys`)),
    issuer: `${host}/${s.tenantId}/v2.0`,
    audiences: [s.clientId, `api://${domain}/${s.clientId}`, `api://${domain}/botid-${s.clientId}`, `api://botid-${s.clientId}`],
    tenantId: s.tenantId,
  };
}

/** The issuer and audience of locally minted tokens. */
const LOCAL_ISSUER = 'urn:ratepayer-desk:local-sign-in';
const LOCAL_AUDIENCE = 'urn:ratepayer-desk:tab';

/** An RS256 key pair for local sign-in; pass the same one to instances that share tokens. */
export interface LocalSigningKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** Makes a fresh local signing key. */
export async function createLocalSigningKey(): Promise<LocalSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'local-1', alg: 'RS256', use: 'sig' };
  return { privateKey, publicJwk };
}

/** Rules for locally minted tokens: the same checks, the local key and names. */
export function localTokenRules(key: LocalSigningKey): TokenRules {
  return { keys: createLocalJWKSet({ keys: [key.publicJwk] }), issuer: LOCAL_ISSUER, audiences: [LOCAL_AUDIENCE] };
}

/** How long a local sign-in lasts. */
const LOCAL_TOKEN_HOURS = 8;

/** Mints a token for a member of staff listed in the definition, shaped like a Teams SSO token. */
export async function mintLocalToken(
  key: LocalSigningKey,
  staff: ServiceDefinition['staff'][number],
  now: Date,
  overrides: { audience?: string; issuer?: string; expiresInSeconds?: number; scope?: string } = {},
): Promise<{ token: string; expiresAt: string }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + (overrides.expiresInSeconds ?? LOCAL_TOKEN_HOURS * 3600);
  const token = await new SignJWT({
    name: staff.name,
    preferred_username: staff.email,
    roles: [staff.role === 'supervisor' ? 'Supervisor' : 'Agent'],
    scp: overrides.scope ?? TAB_SCOPE,
    // The listed object id when there is one, so the local sign-in goes through the same binding rules.
    oid: staff.oid ?? staff.id,
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.publicJwk.kid ?? 'local-1', typ: 'JWT' })
    .setIssuer(overrides.issuer ?? LOCAL_ISSUER)
    .setAudience(overrides.audience ?? LOCAL_AUDIENCE)
    .setSubject(staff.id)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey);
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}
