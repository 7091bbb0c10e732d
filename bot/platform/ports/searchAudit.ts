/**
 * The audit trail of searches: who searched for what, and when (POPIA: a search by account
 * number looks into a household's cases, so it is recorded like a view of a case). Kept apart
 * from the cases' own audit trails because a search touches many cases, or none.
 */

/** One search, as recorded. */
export interface SearchRecord {
  /** Unique (a UUID). */
  id: string;
  programmeId: string;
  /** When, ISO 8601 UTC. */
  at: string;
  by: { id: string; name: string; role: 'agent' | 'supervisor' };
  /** What was searched for, normalised as it was looked up (a reference or a nine-digit account number). */
  query: { reference: string } | { accountNumber: string };
  /** How many cases were found (whether or not the person may see them). */
  found: number;
}

/** Where searches are recorded (the `searches` container). */
export interface SearchAudit {
  /** Records one search; a search whose record fails is not answered. */
  record(entry: SearchRecord): Promise<void>;
}
