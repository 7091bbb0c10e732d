/**
 * Staff bound to their Entra identity. Where the service definition lists a member of staff by
 * address only, the first verified sign-in with that address binds it to the token's object id
 * (`oid`) and tenant (`tid`), once; later sign-ins with the address and another object id are
 * refused. Bindings are never changed by the service: re-binding is an administrator's act
 * (list the new `oid` in the definition, or delete the binding document).
 */

/** One binding: the address of a staff entry and the identity that first signed in with it. */
export interface StaffBinding {
  /** The staff entry's address, lower-cased (the document id). */
  id: string;
  staffId: string;
  /** Entra object id (immutable per user and tenant). */
  oid: string;
  /** Entra tenant id; `local` for the local sign-in. */
  tid: string;
  /** When it was bound, ISO 8601 UTC. */
  boundAt: string;
}

/** A refused sign-in, recorded once per staff entry and identity (so supervisors are alerted once). */
export interface BindingRefusal {
  staffId: string;
  oid: string;
  tid: string;
  at: string;
}

/** Where bindings are kept (the `staffBindings` container). */
export interface StaffBindings {
  /** The binding of an address, if any. */
  get(address: string): Promise<StaffBinding | undefined>;
  /** The binding made by this identity, if any. */
  findByIdentity(tid: string, oid: string): Promise<StaffBinding | undefined>;
  /** Binds the address unless it is bound already; returns the binding that holds (new or existing). */
  bind(binding: StaffBinding): Promise<StaffBinding>;
  /** Records a refusal; true the first time for this staff entry and identity. */
  recordRefusal(refusal: BindingRefusal): Promise<boolean>;
}
