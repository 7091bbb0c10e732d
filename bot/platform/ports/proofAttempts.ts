/**
 * Failed proofs of ownership per chat (issue 19: "status K7M-3PQ <account> <last four>" from a
 * chat the case was not opened from): counted in the store, so the limit holds across every
 * instance of the service (a chat guessing references or accounts is slowed down wherever its
 * messages land). Only the times are kept, never what was typed (POPIA).
 */
export interface ProofAttempts {
  /** How many failed proofs the conversation made at or after `since`. Rejects when the store cannot be reached. */
  failedProofsSince(conversationId: string, since: Date): Promise<number>;
  /**
   * Records a failed proof at `at`; attempts before `keepSince` are dropped (they no longer count),
   * so the record stays small. Rejects when the store cannot be reached.
   */
  recordFailedProof(conversationId: string, at: Date, keepSince: Date): Promise<void>;
}
