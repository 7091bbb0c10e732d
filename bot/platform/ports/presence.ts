/**
 * Presence: which members of staff have the queue tab open now. Each instance reports the
 * people whose live stream it holds; a report older than PRESENCE_FRESH_MS no longer counts.
 */
import type { StaffIdentity } from '../../domain/access.js';

/** How long a presence report counts: a little over three heartbeats. */
export const PRESENCE_FRESH_MS = 100_000;

/** One person seen with the tab open. */
export interface PresenceReport {
  staff: StaffIdentity;
  /** When an instance last saw their stream open. */
  seenAt: string;
}

/** Where presence is kept (the `presence` container). */
export interface PresenceStore {
  report(staff: StaffIdentity, seenAt: Date): Promise<void>;
  /** Reports seen at or after `since`. */
  seenSince(since: Date): Promise<PresenceReport[]>;
}
