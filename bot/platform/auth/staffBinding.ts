/**
 * Which member of staff a verified token is: decided on the Entra object id (`oid`, with the
 * tenant `tid`), which the user cannot change, never on the addresses a token carries
 * (`email` in particular can be set by users or admins of some tenants). Microsoft's guidance:
 * "use the oid and tid claims … as the key for user data" (Microsoft identity platform, access
 * token claims reference; "Secure applications and APIs by validating claims").
 *
 * 1. The service definition lists the person's `oid` (and `tenantId` for a guest): that entry.
 * 2. Otherwise an earlier sign-in bound an entry's address to this identity: that entry.
 * 3. Otherwise the token's address names one entry: the first verified sign-in binds the entry
 *    to this identity, once (recorded in Cosmos DB); a token with the same address and another
 *    identity is refused (403 `identity_mismatch`) and supervisors are alerted, once per identity.
 */
import type { JWTPayload } from 'jose';
import type { StaffIdentity } from '../../domain/access.js';
import type { ServiceDefinition, StaffMember } from '../../domain/serviceDefinition.js';
import type { BindingRefusal, StaffBinding, StaffBindings } from '../ports/staffBindings.js';
import { log } from '../log.js';
import { AuthError, addressesOf, roleFromClaims, staffFromClaims } from './tokens.js';

/** The tenant key of locally minted tokens (they carry no `tid`). */
const LOCAL_TENANT = 'local';

/** What supervisors are told about a refused sign-in. */
export interface IdentityMismatch extends BindingRefusal {
  staff: Pick<StaffMember, 'id' | 'name'>;
  /** When the entry was bound to the identity that holds it (absent when the definition lists the oid). */
  boundAt?: string;
}

/** What identifying needs: the bindings, and who to tell about a refusal. */
export interface IdentityOptions {
  bindings: StaffBindings;
  /** Called once per refused identity and entry (the alert for supervisors). */
  onMismatch?: (mismatch: IdentityMismatch) => Promise<void> | void;
  now: () => Date;
}

/** How long "this identity is not bound" is believed before asking the store again. */
const UNBOUND_CACHE_MS = 60_000;

/** Identifies staff from verified claims; bindings found are cached (they never change). */
export class StaffIdentifier {
  private readonly bound = new Map<string, string>();
  private readonly unbound = new Map<string, number>();

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly options: IdentityOptions,
  ) {}

  /** The member of staff the claims name; AuthError 401/403 when they cannot be. */
  async identify(claims: JWTPayload): Promise<StaffIdentity> {
    const role = roleFromClaims(claims);
    const oid = typeof claims.oid === 'string' && claims.oid ? claims.oid.toLowerCase() : undefined;
    if (!oid) throw new AuthError(401, 'invalid_token', 'The token has no object id (oid), so it cannot say who you are.');
    const tid = typeof claims.tid === 'string' && claims.tid ? claims.tid.toLowerCase() : LOCAL_TENANT;
    const key = `${tid}:${oid}`;
    const staff = this.definition.staff;

    // 1. Listed by object id.
    const byOid = staff.find((s) => s.oid?.toLowerCase() === oid && (!s.tenantId || s.tenantId.toLowerCase() === tid || tid === LOCAL_TENANT));
    if (byOid) return staffFromClaims(claims, byOid);

    // 2. Bound by an earlier sign-in.
    const cachedStaffId = this.bound.get(key);
    const unboundUntil = this.unbound.get(key) ?? 0;
    let binding: StaffBinding | undefined;
    if (!cachedStaffId && unboundUntil < Date.now()) binding = await this.options.bindings.findByIdentity(tid, oid);
    const boundStaffId = cachedStaffId ?? binding?.staffId;
    const boundEntry = boundStaffId ? staff.find((s) => s.id === boundStaffId && !s.oid) : undefined;
    if (boundEntry) {
      this.bound.set(key, boundEntry.id);
      return staffFromClaims(claims, boundEntry);
    }

    // 3. Named by an address: bind on the first verified sign-in.
    const addresses = addressesOf(claims);
    const candidates = staff.filter((s) => addresses.includes(s.email.toLowerCase()));
    if (candidates.length > 1)
      throw new AuthError(403, 'identity_ambiguous', 'Your sign-in carries the addresses of more than one member of staff, so the desk cannot tell who you are. Ask your administrator to list your account\'s object id in the staff list.');
    const entry = candidates[0];
    if (!entry) {
      this.unbound.set(key, Date.now() + UNBOUND_CACHE_MS);
      return staffFromClaims(claims, undefined);
    }
    if (entry.oid) return this.refuse(entry, { oid, tid });
    const holding = await this.options.bindings.bind({ id: entry.email.toLowerCase(), staffId: entry.id, oid, tid, boundAt: this.options.now().toISOString() });
    if (holding.oid !== oid || holding.tid !== tid) return this.refuse(entry, { oid, tid }, holding.boundAt);
    this.bound.set(key, entry.id);
    this.unbound.delete(key);
    return staffFromClaims(claims, entry);
  }

  private async refuse(entry: StaffMember, who: { oid: string; tid: string }, boundAt?: string): Promise<never> {
    const at = this.options.now().toISOString();
    const first = await this.options.bindings.recordRefusal({ staffId: entry.id, oid: who.oid, tid: who.tid, at });
    // Told after the answer: a slow channel does not hold up the refusal, and a failed alert is logged.
    if (first && this.options.onMismatch) {
      const mismatch = { staffId: entry.id, oid: who.oid, tid: who.tid, at, staff: { id: entry.id, name: entry.name }, ...(boundAt ? { boundAt } : {}) };
      void Promise.resolve()
        .then(() => this.options.onMismatch!(mismatch))
        .catch((error: unknown) => log.error({ err: error, component: 'staff-identity', staffId: entry.id }, 'alerting supervisors of a refused sign-in failed'));
    }
    throw new AuthError(
      403,
      'identity_mismatch',
      `This Microsoft account is not the one registered as ${entry.name} on this desk, so it cannot sign in as them. If your account was re-created, ask your administrator to update the desk's staff list. The supervisors have been told.`,
    );
  }
}
