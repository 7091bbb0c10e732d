/**
 * Leases: which service instance does the scheduled work (session open and close, the
 * supervisors' summary, wait alerts, the end-of-session report). One lease document per job
 * group, held by one instance until it expires; the holder renews it on every tick, and when it
 * stops renewing (it crashed, was scaled in, lost the network) another instance takes over once
 * the lease has expired. Every write is conditional on the document's ETag, so two instances
 * can never both believe they hold it. The lease also carries a little state (which session
 * events have fired), written under the same condition, so a new holder carries on where the old
 * one stopped.
 */

/** A lease as its holder sees it after acquiring or renewing it. */
export interface LeaseGrant {
  name: string;
  holder: string;
  /** Until when the holder may act without renewing (ISO instant, from the service clock). */
  expiresAt: string;
  /** What the holders keep between ticks (opaque to the store). */
  state: Record<string, unknown>;
  /** The version this grant was written as: the next write is conditional on it. */
  etag: string;
}

/** Where leases live (the `leases` container). */
export interface LeaseStore {
  /**
   * Acquires the lease when it is free or expired, or renews it when `holder` holds it; writes
   * `state` when given. Returns undefined when another holder has it (or won a race for it).
   */
  acquire(name: string, holder: string, now: Date, durationMs: number, state?: Record<string, unknown>): Promise<LeaseGrant | undefined>;
  /** Gives the lease up at once (a clean shutdown), if `holder` still holds it. */
  release(name: string, holder: string): Promise<void>;
  /** The lease as stored, whoever holds it. */
  read(name: string): Promise<LeaseGrant | undefined>;
}
